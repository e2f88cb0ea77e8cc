"""``peer export``: a version as a standard Hugging Face model folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.common import (
    DbUrlOption,
    JsonOption,
    StoreOption,
    open_store,
    print_json,
    reports_errors,
)


@reports_errors
def export(
    version: Annotated[str, typer.Argument(help="The version to export: a number or 'current'.")],
    out: Annotated[Path, typer.Option(help="The folder to write (new or empty).", show_default=False)],
    store: StoreOption = None,
    db_url: DbUrlOption = None,
    json: JsonOption = False,
) -> None:
    """Write a version of a store made with --base-model as a Hugging Face folder (weights, config, tokenizer)
    that AutoModelForCausalLM.from_pretrained loads: finetune and lora versions (LoRA merged). A version whose
    PEER memories learnt something is refused: a standard folder cannot hold them."""
    from continual.bases.export import export_version

    ref: int | str = int(version) if version.isdigit() else version
    with open_store(store, db_url) as opened:
        folder = export_version(opened, ref, out)
    if json:
        print_json({"version": version, "out": str(folder)})
    else:
        typer.echo(f"exported version {version} to {folder} (load it with AutoModelForCausalLM.from_pretrained)")
