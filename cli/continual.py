"""``peer ingest``, ``peer rollback``, ``peer generate``: the commands that grow, move and sample a store.

Each parses its options and calls one procedure of :mod:`trainer.continual`.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from cli.common import (
    DbUrlOption,
    IncludeOption,
    JsonOption,
    ProgressOption,
    StepsOption,
    StoreOption,
    TokensOption,
    interrupt_is_one_line,
    open_store,
    print_ingest,
    print_json,
    reports_errors,
    say,
    show_progress,
)


class Freeze(str, Enum):
    experts = "experts"
    experts_backbone = "experts+backbone"


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
    freeze: Annotated[
        Freeze, typer.Option(help="What stays fixed: old segments, or old segments and the whole backbone.")
    ] = Freeze.experts,
    force: Annotated[bool, typer.Option("--force", help="Ingest a corpus the store already holds again.")] = False,
    include: IncludeOption = None,
    progress: ProgressOption = None,
    store: StoreOption = None,
    db_url: DbUrlOption = None,
    json: JsonOption = False,
) -> None:
    """Grow the memory on a new corpus: freeze every segment, add a new one per PEER layer (k-means keys),
    train, evaluate held-out loss on every registered corpus, and record the new version.

    Text is read as bytes (the byte tokenizer takes any encoding, invalid UTF-8 included); files with NUL
    bytes are refused as binary. A failure or a kill leaves the previous version current.
    """
    from trainer.continual import ingest as run_ingest  # torch and Lightning: only when needed

    with open_store(store, db_url) as opened, interrupt_is_one_line():
        result = run_ingest(
            opened, corpus, name=name, keys=keys, steps=steps, tokens=tokens, replay=replay, freeze=freeze.value,
            force=force, include=include, progress=show_progress(progress), say=say,
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
    from trainer.continual import rollback as run_rollback

    with open_store(store, db_url) as opened:
        made = run_rollback(opened, version)
    if json:
        print_json(made.to_dict())
    else:
        typer.echo(f"version {made.number} ready: {made.message} ({made.segments} segments, {made.experts:,} experts)")


@reports_errors
def generate(
    prompt: Annotated[str, typer.Option(help="The text to continue.")],
    tokens: Annotated[int, typer.Option(help="Tokens (bytes) to sample.")] = 200,
    temperature: Annotated[float, typer.Option(help="Sampling temperature.")] = 0.8,
    top_k: Annotated[int, typer.Option(help="Sample among the k likeliest tokens (0: all).")] = 40,
    seed: Annotated[int, typer.Option(help="Random seed of the sampler.")] = 0,
    version: Annotated[str, typer.Option(help="The version to sample from.")] = "current",
    store: StoreOption = None,
    db_url: DbUrlOption = None,
    json: JsonOption = False,
) -> None:
    """Continue a prompt with the current version (or --version)."""
    from trainer.continual import generate as run_generate

    with open_store(store, db_url) as opened:
        number = opened.version(version).number
        text = run_generate(opened, prompt, tokens=tokens, temperature=temperature, top_k=top_k or None,
                            seed=seed, version=version)
    if json:
        print_json({"version": number, "prompt": prompt, "text": text})
    else:
        typer.echo(prompt + text)
