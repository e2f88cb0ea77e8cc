"""``peer evaluate``: what the versions of a store forgot."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from peer_store.errors import ConfigError
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

app = typer.Typer(help="Measure versions on the registered corpora.", no_args_is_help=True)


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _table(report) -> Table:
    table = Table("version", *report.corpora, title="held-out loss (nats/token) after each version",
                  caption=(f"average forgetting {_cell(report.average_forgetting)}, backward transfer "
                           f"{_cell(report.backward_transfer)}, average final loss {_cell(report.average_final_loss)}"))
    for v, label, row in zip(report.versions, report.labels, report.loss):
        table.add_row(f"v{v} {label}", *(_cell(x) for x in row))
    table.add_section()
    table.add_row("plasticity", *(_cell(report.plasticity[c]) for c in report.corpora))
    table.add_row("forgetting", *(_cell(report.forgetting[c]) for c in report.corpora))
    table.add_row("forgetting, bits/byte", *(_cell(report.forgetting_bits_per_byte[c]) for c in report.corpora))
    return table


@app.command(
    epilog="Example: peer evaluate forgetting --store ./my-store --versions 1,2,3 --plot forgetting.png"
)
@reports_errors
def forgetting(
    versions: Annotated[
        list[str] | None,
        typer.Option(help="Versions to compare, e.g. 1,2,3 or repeated (default: every ready version).",
                     show_default=False),
    ] = None,
    format: Annotated[Format, typer.Option("--format", help="table for people, json or csv for machines.")] = (
        Format.table
    ),
    plot: Annotated[Path | None, typer.Option(help="Also write a PNG plot here.", show_default=False)] = None,
    recorded: Annotated[
        bool,
        typer.Option("--recorded", help="Report only what is recorded; do not evaluate the cells ingests left "
                                        "for later (shown as -)."),
    ] = False,
    student: Annotated[
        int | None,
        typer.Option(help="Print this distilled student's held-out loss on each corpus its teacher learnt beside "
                          "the teacher's (an id of `peer students`).", show_default=False),
    ] = None,
    progress: ProgressOption = None,
    store: StoreOption = None,
    db_url: DbUrlOption = None,
    json: JsonOption = False,
) -> None:
    """The held-out loss matrix (versions x corpora), per-corpus forgetting, average forgetting
    (Chaudhry: last minus best earlier), backward transfer and plasticity.

    An ingest evaluates its version on its own corpus; the first report that needs a version on an
    earlier corpus evaluates it (through the store's routing) and records it, so later reports are reads.
    A store this user cannot write still gets its report: the cells are evaluated, not recorded (one line
    on stderr says so). With --student: the student of `peer distill` beside its teacher, per corpus."""
    from continual.forgetting import evaluate_forgetting, parse_versions

    chosen = parse_versions(versions)
    if student is not None:
        if chosen is not None or plot is not None:
            raise ConfigError("--student compares one student with its teacher; drop --versions and --plot")
        _student(student, Format.json if json else format, recorded, progress, store, db_url)
        return
    with open_store(store, db_url) as opened:
        evaluated = [] if recorded else _fill(opened, chosen, show_progress(progress))
        report = evaluate_forgetting(opened, chosen, evaluated=evaluated)
    if plot is not None:
        report.plot(plot)
    fmt = Format.json if json else format
    if fmt is Format.json:
        print_json(report.to_dict())
    elif fmt is Format.csv:
        typer.echo(report.to_csv(), nl=False)
    else:
        Console().print(_table(report))
    if plot is not None and fmt is Format.table:
        typer.echo(f"plot written to {plot}")


def _student(student: int, fmt: Format, recorded: bool, progress: bool | None, store, db_url) -> None:
    from continual.forgetting import student_report

    with open_store(store, db_url) as opened:
        teacher = opened.student(student).teacher
        evaluated = [] if recorded else _fill(opened, [str(teacher)], show_progress(progress))
        report = student_report(opened, student, evaluated=evaluated)
    if fmt is Format.json:
        print_json(report.to_dict())
        return
    if fmt is Format.csv:
        typer.echo(report.to_csv(), nl=False)
        return
    table = Table("corpus", f"teacher v{report.teacher}", f"student {report.student}", "student - teacher",
                  title="held-out loss (nats/token)",
                  caption=(f"student: dense, width {report.width}, {report.params:,} weights, {report.init} init, "
                           f"alpha {report.alpha:g}, {report.steps} steps"))
    rows = [*zip(report.corpora, report.teacher_loss, report.student_loss),
            ("average", report.average_teacher_loss, report.average_student_loss)]
    for i, (corpus, t, s) in enumerate(rows):
        if i == len(rows) - 1:
            table.add_section()
        gap = "-" if t is None or s is None else f"{s - t:+.3f}"
        table.add_row(corpus, _cell(t), _cell(s), gap)
    Console().print(table)


def _fill(store, chosen: list[str] | None, progress: bool) -> list:
    """Evaluate the chosen versions' missing cells (torch loads only when some are missing); the cells evaluated
    (a read-only store could not record them)."""
    from continual.forgetting import missing_evaluations
    from continual.heldout import fill_evaluations

    missing = missing_evaluations(store, chosen)
    if not missing:
        return []
    with interrupt_is_one_line("the cells evaluated so far are recorded; the next report evaluates the rest"):
        if not progress:
            return fill_evaluations(store, chosen, say=say)
        from rich.progress import Progress

        with Progress(transient=True, console=Console(stderr=True)) as bar:
            task = bar.add_task("evaluating", total=sum(len(cs) for cs in missing.values()))
            return fill_evaluations(store, chosen, say=say,
                                    on_cell=lambda n, c: bar.update(task, advance=1, description=f"v{n} on {c}"))
