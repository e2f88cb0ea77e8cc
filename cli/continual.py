"""``peer ingest``, ``peer rollback``, ``peer generate``, ``peer score``: grow, move, sample and score a store.

Each parses its options and calls one procedure of :mod:`continual`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cli.common import (
    DbUrlOption,
    FollowLinksOption,
    IncludeOption,
    JsonOption,
    MaxCorpusBytesOption,
    MethodOptionsOption,
    ProgressOption,
    StepsOption,
    StoreOption,
    TokensOption,
    interrupt_is_one_line,
    method_options,
    open_store,
    print_ingest,
    print_json,
    reports_errors,
    say,
    show_progress,
)
from continual.corpora import DEFAULT_SCORE_BYTES, first_look
from peer_store.db.records import check_name
from trainer.data.reading import DEFAULT_MAX_CORPUS_BYTES, ReadLimits


def progress_lines(every_s: float = 10.0) -> Callable[[int, int], None]:
    """A progress hook for ``peer score``: a line on stderr at most every ``every_s`` seconds, none for short input."""
    last = [time.monotonic()]

    def hear(documents: int, n_bytes: int) -> None:
        if time.monotonic() - last[0] >= every_s:
            last[0] = time.monotonic()
            say(f"scored {documents:,} documents ({n_bytes:,} bytes) so far")

    return hear


@reports_errors
def ingest(
    corpus: Annotated[
        str,
        typer.Argument(help="A file, directory, glob, JSONL (.jsonl, optionally .gz), gzip file, or - for stdin.",
                       show_default=False),
    ],
    name: Annotated[str | None, typer.Option(help="Corpus name (default: from its path; 'stdin' for -).")] = None,
    keys: Annotated[
        int | None,
        typer.Option(help="Sub-keys per half of each new segment: keys**2 new experts per PEER layer "
                          "(default: the store config's; a store's first version uses model.peer.n_keys).",
                     show_default=False),
    ] = None,
    steps: StepsOption = None,
    tokens: TokensOption = None,
    replay: Annotated[float, typer.Option(help="Fraction of training windows drawn from earlier corpora.")] = 0.0,
    method: Annotated[
        str | None,
        typer.Option(help="The store's method, named to be sure (a store's method is fixed at `peer init --method`; "
                          "another one is refused).", show_default=False),
    ] = None,
    method_option: MethodOptionsOption = None,
    new_route: Annotated[
        bool,
        typer.Option("--new-route", help="Routed stores: give the corpus a route of its own even when it is of a kind "
                                         "an existing route knows (default: the store decides by the routes' n-gram "
                                         "profiles)."),
    ] = False,
    continue_version: Annotated[
        int | None,
        typer.Option("--continue", metavar="V",
                     help="Routed stores: continue the route version V learnt (its deltas, its earlier corpora "
                          "rehearsed; its tokens move to the new version), whatever the profiles say.",
                     show_default=False),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Ingest a corpus the store already holds again.")] = False,
    evaluate_earlier: Annotated[
        bool,
        typer.Option("--evaluate-earlier",
                     help="Also evaluate the new version on every earlier corpus now (otherwise `peer evaluate "
                          "forgetting` does it when asked, once, so an ingest costs the same however long the "
                          "store's history)."),
    ] = False,
    include: IncludeOption = None,
    max_corpus_bytes: MaxCorpusBytesOption = DEFAULT_MAX_CORPUS_BYTES,
    follow_links: FollowLinksOption = False,
    progress: ProgressOption = None,
    store: StoreOption = None,
    db_url: DbUrlOption = None,
    json: JsonOption = False,
) -> None:
    """Learn a new corpus as a new version, by the store's method (see `peer init --help`; --method-option
    overrides the store's options of it for this version). On a routed store a corpus of a kind a
    route already knows continues that route (printed and recorded; see --new-route, --continue). Then evaluate held-out loss on
    the new corpus (through the routes) and record the version; `peer evaluate forgetting` measures the
    earlier corpora.

    Text is read as bytes (the byte tokenizer takes any encoding, invalid UTF-8 included); files with NUL
    bytes are refused as binary. A failure or a kill leaves the previous version current.
    """
    limits = ReadLimits(max_bytes=max_corpus_bytes, follow_links=follow_links)
    if name is not None:
        check_name(name)
    with open_store(store, db_url) as opened:
        stdin = first_look(corpus, include=include, limits=limits)  # bad input is refused before torch loads
        from continual.ingest import ingest as run_ingest  # torch and Lightning: only when needed

        with interrupt_is_one_line():
            result = run_ingest(
                opened, corpus, name=name, keys=keys, steps=steps, tokens=tokens, replay=replay, method=method,
                method_options=method_options(method_option), new_route=new_route,
                continue_version=continue_version, force=force, include=include, stdin=stdin,
                limits=limits, evaluate_earlier=evaluate_earlier, progress=show_progress(progress), say=say,
            )
    if json:
        print_json(result.to_dict())
    else:
        print_ingest(result)


@reports_errors
def rollback(
    version: Annotated[str, typer.Argument(help="The version to return to (a number from `peer versions`).")],
    store: StoreOption = None,
    db_url: DbUrlOption = None,
    json: JsonOption = False,
) -> None:
    """Make a new version equal to an old one (same files, same evaluations); history is never rewritten."""
    with open_store(store, db_url) as opened:
        opened.version(version)  # an unknown version is refused before torch loads
        from continual.ingest import rollback as run_rollback

        made = run_rollback(opened, version)
    if json:
        print_json(made.to_dict())
    else:
        typer.echo(f"version {made.number} ready: {made.message} ({made.segments} segments, {made.experts:,} experts)")


@reports_errors
def generate(
    prompt: Annotated[str, typer.Option(help="The text to continue.")],
    tokens: Annotated[int, typer.Option(help="Tokens (bytes) to sample.")] = 200,
    temperature: Annotated[float, typer.Option(help="Sampling temperature (0: always the likeliest token).")] = 0.8,
    top_k: Annotated[int, typer.Option(help="Sample among the k likeliest tokens (0: all).")] = 40,
    seed: Annotated[int, typer.Option(help="Random seed of the sampler.")] = 0,
    version: Annotated[str, typer.Option(help="The version to sample from.")] = "current",
    store: StoreOption = None,
    db_url: DbUrlOption = None,
    json: JsonOption = False,
) -> None:
    """Continue a prompt with the current version (or --version), each token routed as the store routes it."""
    from continual.inference import generate as run_generate, text_bytes

    with open_store(store, db_url) as opened:
        number = opened.version(version).number
        text = run_generate(opened, prompt, tokens=tokens, temperature=temperature, top_k=top_k or None,
                            seed=seed, version=version)
    if json:
        print_json({"version": number, "prompt": prompt, "text": text})
    else:  # a prompt of invalid UTF-8 (as an argument carries it) is shown as the sample is: with U+FFFD
        typer.echo(text_bytes(prompt).decode("utf-8", errors="replace") + text)


@reports_errors
def score(
    source: Annotated[
        str,
        typer.Argument(help="Text to score: a file, directory, glob, JSONL (.jsonl, optionally .gz), or - for stdin.",
                       show_default=False),
    ],
    version: Annotated[str, typer.Option(help="The version to score with.")] = "current",
    student: Annotated[
        int | None,
        typer.Option(help="Score with this distilled student (an id of `peer students`) instead of the routed model.",
                     show_default=False),
    ] = None,
    include: IncludeOption = None,
    max_bytes: Annotated[
        int, typer.Option(help="Most bytes to score (after decompression); more is refused as soon as a read "
                               "passes it (16 MiB by default: about 35 minutes on one CPU core).",
                          show_default=False),
    ] = DEFAULT_SCORE_BYTES,
    store: StoreOption = None,
    db_url: DbUrlOption = None,
    json: JsonOption = False,
) -> None:
    """Per document: held-out style loss (nats/token), bits per byte, and which versions' routes served what share
    of its tokens; then the whole. Documents are cut as the store cuts its corpora. With --student, a dense
    student of `peer distill` scores (its one route is 'student N'; the version printed is its teacher).
    The input is read and scored a batch at a time; on long input a line on stderr says how far it has got."""
    limits = ReadLimits(max_bytes=max_bytes, option="--max-bytes")
    with open_store(store, db_url) as opened:
        stdin = first_look(source, include=include, limits=limits)  # bad input is refused before torch loads
        from continual.inference import score as run_score, score_total

        number, scores = run_score(opened, source, version=version, include=include, student=student, stdin=stdin,
                                   max_bytes=max_bytes, on_batch=progress_lines())
    total = score_total(scores)
    if json:
        print_json({"version": number, **({} if student is None else {"student": student}),
                    "documents": [s.to_dict() for s in scores], "total": total})
        return
    table = Table(title=f"version {number}" if student is None else f"student {student} of version {number}")
    for column in ("document", "tokens", "loss", "bits/byte", "routes"):
        table.add_column(column, justify="left" if column in ("document", "routes") else "right")
    for s in scores:
        table.add_row(s.name, f"{s.tokens:,}", f"{s.loss:.3f}", f"{s.bits_per_byte:.3f}", _shares(s.routes))
    table.add_row("all", f"{total['tokens']:,}", f"{total['loss']:.3f}", f"{total['bits_per_byte']:.3f}",
                  _shares(total["routes"]), style="bold")
    Console().print(table)


def _shares(routes: dict[str, float]) -> str:
    return ", ".join(f"{label} {share:.0%}" for label, share in sorted(routes.items(), key=lambda kv: -kv[1]))
