"""``peer versions`` and ``peer show``: the version history."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cli.common import DbUrlOption, JsonOption, StoreOption, open_store, print_json, reports_errors


def _when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value is not None else "-"


@reports_errors
def versions(store: StoreOption = None, db_url: DbUrlOption = None, json: JsonOption = False) -> None:
    """List every version, oldest first; the current one is the newest ready version."""
    with open_store(store, db_url) as opened:
        if json:
            print_json(opened.listing())
            return
        history = opened.versions()
        current = opened.current()
    if not history:
        typer.echo(f"no versions yet in {opened.path}; `peer ingest CORPUS` makes the first")
        return
    table = Table("", "v", "status", "kind", "parent", "corpus", "segs", "experts", "finished", "message")
    for v in history:
        mark = "*" if current is not None and v.number == current.number else ""
        note = v.message if v.error is None else f"{v.message} ({v.error})".strip()
        table.add_row(mark, str(v.number), v.status, v.kind, str(v.parent or "-"), v.corpus or "-",
                      str(v.segments), str(v.experts), _when(v.finished_at), note)
    Console().print(table)


@reports_errors
def show(
    version: Annotated[str, typer.Argument(help="A version number, or 'current'.")] = "current",
    store: StoreOption = None,
    db_url: DbUrlOption = None,
    json: JsonOption = False,
) -> None:
    """Show one version: status, segments, routes, checkpoint, ingest and evaluations."""
    from continual.accumulate import describe_decision

    with open_store(store, db_url) as opened:
        detail = opened.detail(version)
    if json:
        print_json(detail.to_dict())
        return
    v = detail.version
    console = Console()
    console.print(f"version {v.number}  {v.status}  ({v.kind}, parent {v.parent or '-'})  {v.message}")
    console.print(f"created {_when(v.created_at)}  finished {_when(v.finished_at)}")
    if v.error:
        console.print(f"error: {v.error}")
    segments = Table("layer", "keys", "experts", "frozen", "sha256", "bytes", title="segments")
    for s in detail.segments:
        segments.add_row(str(s.layer), str(s.n_keys), str(s.n_experts), "yes" if s.frozen else "no",
                         s.sha256[:12], str(s.bytes))
    console.print(segments)
    if detail.routes:
        routes = Table("route", "corpus", "learnt by", "segments per layer", "profile", "deltas",
                       title="routes (each token goes to one)")
        for r, route in enumerate(detail.routes):
            routes.add_row(str(r), route.corpus, "-" if route.learnt_by is None else f"v{route.learnt_by}",
                           ", ".join(f"{layer}: {n}" for layer, n in sorted(route.segments.items())),
                           "-" if route.profile is None else route.profile.sha256[:12],
                           "-" if route.deltas is None else route.deltas.sha256[:12])
        console.print(routes)
    if detail.checkpoint is not None:
        console.print(f"backbone checkpoint {detail.checkpoint.sha256[:12]} ({detail.checkpoint.bytes} bytes)")
    if detail.ingest is not None:
        i = detail.ingest
        console.print(f"ingest of {i.corpus}: {i.steps} steps, {i.tokens} tokens, {i.wall_seconds:.1f} s, "
                      f"train loss {i.train_loss}, held-out loss {i.heldout_loss}")
        if i.settings.get("route") and v.parent is not None:
            console.print(describe_decision(i.settings["route"], None))
    if v.method is not None:
        options = v.method["options"]
        shown = "options not recorded" if options is None else ", ".join(f"{k}={val}" for k, val in options.items())
        console.print(f"method {v.method['name']} ({shown})", markup=False)
    if detail.evaluations:
        evals = Table("corpus", "split", "loss", "bits/byte", "tokens", title="evaluations")
        for e in detail.evaluations:
            evals.add_row(e.corpus, e.split, f"{e.loss:.4f}",
                          "-" if e.bits_per_byte is None else f"{e.bits_per_byte:.4f}", str(e.tokens))
        console.print(evals)
