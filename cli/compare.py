"""``peer compare``: the forgetting benchmark of several continual-learning methods on one stream."""

from __future__ import annotations

import shlex
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from cli.common import interrupt_is_one_line, reports_errors, say


def _split(items: list[str] | None) -> list[str]:
    return [part.strip() for item in items or [] for part in item.split(",") if part.strip()]


@reports_errors
def compare(
    stream: Annotated[
        Path,
        typer.Option(help="A text file listing the corpora in order, one a line: a path, NAME = PATH, or a built-in "
                          "domain (python-code, python-docs, shakespeare).", show_default=False),
    ],
    out: Annotated[Path, typer.Option(help="Folder for report.md, the PNG plots and results.json.",
                                      show_default=False)],
    methods: Annotated[
        list[str] | None,
        typer.Option(help="Methods, comma-separated or repeated (default: every recipe; study/recipes.py RECIPES "
                          "lists and describes them).", show_default=False),
    ] = None,
    steps: Annotated[int | None, typer.Option(help="Training steps per corpus (default: the config's steps).",
                                              show_default=False)] = None,
    seeds: Annotated[list[str] | None, typer.Option(help="Seeds, comma-separated or repeated (default: 0).",
                                                     show_default=False)] = None,
    replay: Annotated[float, typer.Option(help="Fraction of each stage's windows from earlier corpora "
                                               "(sequential methods).")] = 0.0,
    config: Annotated[
        Path | None,
        typer.Option(help="A TOML/JSON config of the model and training (the fields of `peer init --config`).",
                     show_default=False),
    ] = None,
    domain_bytes: Annotated[
        int | None,
        typer.Option(help="Bytes of text each built-in domain takes (about; default: the scale's).",
                     show_default=False),
    ] = None,
    scale: Annotated[
        str,
        typer.Option(help="Size of the whole study: cpu, gpu-small or gpu (study/scale.py); "
                          "--config, --steps and --domain-bytes override its values."),
    ] = "cpu",
) -> None:
    """Run every method through the stream with the same steps per corpus and matched active parameters;
    write the loss matrices, forgetting, backward transfer, plasticity and expert usage."""
    from peer_store.errors import ConfigError
    from study.recipes import DEFAULT_METHODS, recipe
    from study.compare import compare as run_compare
    from study.report import write_report
    from study.scale import DEFAULT_SCALE, SCALES, resolve_study
    from study.stream import open_stream, parse_stream

    chosen = _split(methods) or list(DEFAULT_METHODS)
    for name in chosen:
        recipe(name)  # an unknown method fails before any work
    try:
        seed_list = [int(s) for s in _split(seeds)] or [0]
    except ValueError:
        raise ConfigError(f"--seeds takes integers, e.g. --seeds 0,1; got {seeds}") from None
    settings, steps, budget = resolve_study(scale, config_file=config, steps=steps, domain_bytes=domain_bytes)
    if out.exists() and not out.is_dir():
        raise ConfigError(f"--out {out} is a file; give a folder for report.md, the plots and results.json")
    entries = parse_stream(stream)
    command = "peer compare " + " ".join(
        shlex.quote(a) for a in [
            "--stream", str(stream), "--methods", ",".join(chosen), "--steps", str(steps),
            "--seeds", ",".join(map(str, seed_list)), *(["--replay", str(replay)] if replay else []),
            *(["--config", str(config)] if config is not None else []),
            *(["--scale", scale] if scale != DEFAULT_SCALE else []),
            *(["--domain-bytes", str(budget)] if budget != SCALES[scale].domain_bytes else []), "--out", str(out),
        ]
    )
    with tempfile.TemporaryDirectory(prefix="peer-compare-") as cache, interrupt_is_one_line():
        corpora = open_stream(entries, Path(cache), doc_bytes=settings.doc_bytes, budget=budget)
        say(f"stream: {' -> '.join(corpora)}; methods: {', '.join(chosen)}; {steps} steps per corpus")
        result = run_compare(corpora, chosen, settings, steps=steps, seeds=seed_list, replay=replay, say=say)
    written = write_report(result, out, command=command)
    for s in result.summary:
        typer.echo(f"{s.method:>20}  final {s.average_final_loss:.3f}  forgetting {s.average_forgetting:.3f}  "
                   f"plasticity {s.mean_plasticity:.3f}"
                   + (f"  intrusion {s.intrusion:.0%}" if s.intrusion is not None else ""))
    typer.echo(f"report written to {written[0]} ({len(written)} files, {result.wall_seconds:.0f} s)")
