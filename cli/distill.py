"""``peer distill`` and ``peer students``: dense students of a version (Switch Transformer, section 4).

Each parses its options and calls :mod:`continual.distill`, or reads the registry.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cli.common import (
    DbUrlOption,
    JsonOption,
    ProgressOption,
    StoreOption,
    interrupt_is_one_line,
    open_store,
    print_json,
    reports_errors,
    say,
    show_progress,
)


class Init(str, Enum):
    teacher = "teacher"
    fresh = "fresh"


@reports_errors
def distill(
    version: Annotated[str, typer.Option("--version", help="The teacher: a version number, or 'current'.")],
    width: Annotated[int, typer.Option("--width", help="The student's model width (d_model), a multiple of the "
                                                       "teacher's attention heads; its FFNs are 4 x width wide.")],
    steps: Annotated[
        int | None, typer.Option("--steps", help="Training steps (default: the store config's steps).",
                                 show_default=False),
    ] = None,
    alpha: Annotated[float, typer.Option("--alpha", help="The teacher's share of the targets: loss = alpha * CE to "
                                                         "the teacher's probabilities + (1 - alpha) * CE to the "
                                                         "labels (0.25: the paper's best mix).")] = 0.25,
    init: Annotated[Init, typer.Option("--init", help="Start from the teacher's non-expert weights where shapes "
                                                      "allow (at the teacher's width: embedding, attention, norms, "
                                                      "head, dense FFNs; at another width none), or from fresh "
                                                      "weights.")] = Init.teacher,
    progress: ProgressOption = None,
    store: StoreOption = None,
    db_url: DbUrlOption = None,
    json: JsonOption = False,
) -> None:
    """Distill a version into a dense language model of its depth (Fedus et al. 2021, section 4): train it on
    the training windows of every corpus the version learnt against the version's routed predictions and the
    labels, evaluate it on their held-out windows, and register it as a student of the version.

    Use it with `peer score FILE --student ID` and `peer evaluate forgetting --student ID`. Bad input is
    refused before anything is trained; a failure or a kill registers nothing."""
    from continual.distill_inputs import check_inputs, check_store

    with open_store(store, db_url) as opened:
        opened.version(version)  # bad input is refused before torch loads
        check_store(opened.config)
        check_inputs(width, 1 if steps is None else steps, alpha, init.value)  # (the store's own steps are valid)
        from continual.distill import distill as run_distill  # torch and Lightning: only when needed

        with interrupt_is_one_line("nothing was registered"):
            student = run_distill(opened, version, width=width, steps=steps, alpha=alpha, init=init.value,
                                  progress=show_progress(progress), say=say)
    if json:
        print_json(student.to_dict())
        return
    typer.echo(f"student {student.id} of version {student.teacher} ready: width {student.width}, "
               f"{student.params:,} weights ({student.init} init), alpha {student.alpha:g}, {student.steps} steps in "
               f"{student.wall_seconds:.1f} s")
    for e in student.evaluations:
        bpb = "" if e.bits_per_byte is None else f"  ({e.bits_per_byte:.3f} bits/byte)"
        typer.echo(f"  held-out loss {e.corpus}: {e.loss:.4f}{bpb}")
    typer.echo(f"  beside its teacher: peer evaluate forgetting --student {student.id}")


@reports_errors
def students(
    version: Annotated[str | None, typer.Option("--version", help="Only this version's students.",
                                                show_default=False)] = None,
    store: StoreOption = None,
    db_url: DbUrlOption = None,
    json: JsonOption = False,
) -> None:
    """List the store's students (dense models distilled from a version), oldest first."""
    with open_store(store, db_url) as opened:
        found = opened.students(version)
    if json:
        print_json([s.to_dict() for s in found])
        return
    if not found:
        typer.echo("no students yet; `peer distill --version V --width W` makes one")
        return
    table = Table("id", "teacher", "width", "weights", "init", "alpha", "steps", "mean held-out loss", "file")
    for s in found:
        losses = [e.loss for e in s.evaluations]
        mean = f"{sum(losses) / len(losses):.3f}" if losses else "-"
        table.add_row(str(s.id), f"v{s.teacher}", str(s.width), f"{s.params:,}", s.init, f"{s.alpha:g}",
                      str(s.steps), mean, s.file.file)
    Console().print(table)
