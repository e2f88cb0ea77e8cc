"""``peer init``, ``peer fsck``, ``peer gc``: the store folder, its model config and its files."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

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
from continual.corpora import first_look
from continual.methods import METHODS, method_class
from continual.presets import PRESETS
from peer_store.db import fsck, gc
from peer_store.db.engine import describe
from peer_store.errors import ConfigError
from trainer.data.reading import DEFAULT_MAX_CORPUS_BYTES, ReadLimits

if TYPE_CHECKING:
    from continual.bases.load import LoadedBase
    from continual.config import ContinualConfig


BaseModelOption = Annotated[
    str | None,
    typer.Option(help="Start from this pretrained Hugging Face causal LM (a save_pretrained folder, or a hub "
                      "name where the hub can be reached): GPT-2, Llama (Qwen2, Mistral, SmolLM, TinyLlama) or "
                      "GPT-NeoX. Version 1 is the base itself; methods: finetune (the default here), lora.",
                 metavar="PATH_OR_NAME", show_default=False),
]
RevisionOption = Annotated[str | None, typer.Option(help="The base's revision (a hub branch, tag or commit).",
                                                    show_default=False)]
MemoryBlocksOption = Annotated[
    str | None,
    typer.Option(help="Blocks of the base that get a PEER memory beside their MLP, comma-separated (e.g. 2,4), "
                      "or 'none'. Default: none for finetune and lora (their versions export as plain Hugging "
                      "Face folders).", show_default=False),
]
EvalCorpusOption = Annotated[
    str | None,
    typer.Option(help="General text the base is evaluated on: a column of the forgetting report, so it says "
                      "what the base lost. Needs --base-model.", show_default=False),
]


@reports_errors
def init(
    store: Annotated[Path, typer.Argument(help="Folder for the new store (new or empty).", show_default=False)],
    db_url: DbUrlOption = None,
    name: Annotated[str | None, typer.Option(help="Store name in the registry (default: the folder name).")] = None,
    config: Annotated[
        str | None,
        typer.Option(help="Model and training config: a preset's name or a JSON or TOML file (default: the "
                          "'default' preset). Presets: "
                          + "; ".join(f"'{name}': {p.description}" for name, p in PRESETS.items()) + ".",
                     metavar="PRESET_OR_FILE", show_default=False),
    ] = None,
    base_corpus: Annotated[
        str | None,
        typer.Option(help="Train version 1 on this corpus (file, directory, glob, JSONL, .gz, or - for stdin).",
                     show_default=False),
    ] = None,
    base_name: Annotated[str | None, typer.Option(help="Name of the base corpus (default: from its path).")] = None,
    method: Annotated[
        str | None,
        typer.Option(help="How every version grows: " + ", ".join(f"'{name}' ({entry.summary})"
                                                                  for name, entry in METHODS.items())
                          + ". Default: the config's, else routed.", metavar="METHOD", show_default=False),
    ] = None,
    method_option: MethodOptionsOption = None,
    steps: StepsOption = None,
    tokens: TokensOption = None,
    include: IncludeOption = None,
    max_corpus_bytes: MaxCorpusBytesOption = DEFAULT_MAX_CORPUS_BYTES,
    follow_links: FollowLinksOption = False,
    progress: ProgressOption = None,
    json: JsonOption = False,
    base_model: BaseModelOption = None,
    revision: RevisionOption = None,
    memory_blocks: MemoryBlocksOption = None,
    eval_corpus: EvalCorpusOption = None,
) -> None:
    """Create a store: its folder, a migrated registry (SQLite inside it unless --db-url) and its model config.

    With --base-corpus it also trains version 1 on that corpus and records its held-out loss. With --base-model
    version 1 is that pretrained model (its weights, config and tokenizer kept in the store), and --base-corpus
    trains version 2.
    """
    limits = ReadLimits(max_bytes=max_corpus_bytes, follow_links=follow_links)
    stdin = None if base_corpus is None else first_look(base_corpus, include=include, limits=limits)
    from continual.ingest import (
        create_store,  # torch and Lightning: only for the commands that need them
    )

    settings = store_settings(config, method, method_option, base_model=base_model)
    base = pretrained_base(base_model, settings, revision=revision, memory_blocks=memory_blocks,
                           eval_corpus=eval_corpus)
    with interrupt_is_one_line():
        created, result = create_store(
            store, config=settings, db_url=db_url, name=name, base_corpus=base_corpus, base_name=base_name,
            steps=steps, tokens=tokens, include=include, stdin=stdin, limits=limits, progress=show_progress(progress),
            say=say, base_model=base, eval_corpus=eval_corpus,
        )
    with created:
        registry = "SQLite inside the store" if db_url is None else describe(created.engine.url)
        if json:
            print_json({"store": str(created.path), "name": created.name,
                        "version": None if result is None else result.to_dict()})
            return
        typer.echo(f"created store {created.name!r} at {created.path} (registry: {registry})")
        if result is not None:
            print_ingest(result)


def store_settings(config: str | None, method: str | None, method_option: list[str] | None, *,
                   base_model: str | None) -> ContinualConfig:
    """The new store's config: the preset or file, with ``--method`` and ``--method-option`` applied (a
    pretrained base defaults to finetune, the reference its user runs first)."""
    from continual.config import ContinualConfig

    settings = ContinualConfig.from_preset_or_file(config) if config is not None else ContinualConfig()
    if method is None and base_model is not None:
        method = "finetune"
    if method is not None or method_option:
        chosen = settings.method if method is None else method
        kept = settings.method_options if chosen == settings.method else {}  # options of the config's method
        settings = dataclasses.replace(settings, method=chosen,
                                       method_options={**kept, **method_options(method_option)})
    return settings


def pretrained_base(base_model: str | None, settings: ContinualConfig, *, revision: str | None,
                    memory_blocks: str | None, eval_corpus: str | None) -> LoadedBase | None:
    """``--base-model`` loaded with its memories (None without it); the base's options refused without it."""
    if base_model is None:
        if revision is not None or memory_blocks is not None or eval_corpus is not None:
            raise ConfigError("--revision, --memory-blocks and --eval-corpus describe a pretrained base: pass them "
                              "with --base-model")
        return None
    from continual.bases.load import load_base

    blocks = parse_blocks(memory_blocks)
    if blocks is None and not method_class(settings.method).grows:
        blocks = []  # a method that does not grow trains no memory by default: its versions export as they are
    return load_base(base_model, revision=revision, memory_blocks=blocks,
                     peer={k: v for k, v in vars(settings.model.peer).items() if k in ("n_heads", "top_k", "n_keys")})


def parse_blocks(text: str | None) -> list[int] | None:
    """``--memory-blocks``: comma-separated block indices, or 'none' (no memory); None when not given."""
    if text is None:
        return None
    if text.strip().lower() == "none":
        return []
    try:
        return [int(part) for part in text.split(",")]
    except ValueError:
        raise ConfigError(f"--memory-blocks takes block indices separated by commas (e.g. 2,4) or 'none', "
                          f"got {text!r}") from None


@reports_errors
def check(store: StoreOption = None, db_url: DbUrlOption = None, json: JsonOption = False) -> None:
    """Verify every file of the store against the registry: missing, corrupted and extra files.

    Exits with status 1 when anything is wrong.
    """
    with open_store(store, db_url) as opened:
        report = fsck(opened)
    if json:
        print_json({"ok": report.ok, **report.to_dict()})
    else:
        for p in report.problems:
            used = f" (used by versions {', '.join(map(str, p.versions))})" if p.versions else ""
            typer.echo(f"{p.problem:9s} {p.file}{': ' + p.detail if p.detail else ''}{used}")
        for number in report.interrupted:
            typer.echo(f"version {number} is still marked training; the next writer marks it failed")
        summary = "ok" if report.ok else f"{len(report.problems)} problem(s); `peer gc` removes extra files"
        typer.echo(f"checked {report.checked} files: {summary}")
    if not report.ok:
        raise typer.Exit(code=1)


@reports_errors
def collect(
    store: StoreOption = None,
    db_url: DbUrlOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List what would go; delete nothing.")] = False,
    json: JsonOption = False,
) -> None:
    """Delete files that no ready version references (failed ingests, leftovers of crashes)."""
    with open_store(store, db_url) as opened:
        report = gc(opened, dry_run=dry_run)
    if json:
        print_json(report.to_dict())
        return
    verb = "would remove" if dry_run else "removed"
    for file in report.removed:
        typer.echo(f"{verb} {file}")
    typer.echo(f"{verb} {len(report.removed)} files, {report.bytes_freed} bytes")
