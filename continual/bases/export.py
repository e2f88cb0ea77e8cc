"""``peer export``: a version of a store on a pretrained base as a standard Hugging Face model folder.

What is exported must compute exactly what the version computes, so
``AutoModelForCausalLM.from_pretrained(DIR)`` gives the version's logits:

- a ``finetune`` or ``lora`` version (LoRA is merged into the weights after every
  corpus) whose memories add nothing (none were asked for, or their expert output
  vectors are still zero) exports as the base's own architecture and tokenizer;
- a version whose PEER memories have learnt something is refused: a standard folder
  has no place for them, and leaving them out would change what it computes;
- a store on the built-in LM is refused (it is not a Hugging Face model; ``peer
  distill`` makes a dense student of it).

The folder is written beside ``out`` and renamed into place, so an export that fails
leaves nothing behind.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import torch

from continual.bases.hf import HFLanguageModel
from continual.bases.load import quiet_transformers
from continual.versions import LoadedVersion, load_version
from peer_store.db import Store
from peer_store.errors import ConfigError


def check_exportable(loaded: LoadedVersion) -> HFLanguageModel:
    """The version's Hugging Face model, or one line saying why a standard folder cannot hold it."""
    lm = loaded.model.lm
    if not isinstance(lm, HFLanguageModel):
        raise ConfigError(f"version {loaded.number} is the built-in byte-level LM, not a Hugging Face model: only "
                          "stores made with `peer init --base-model` export")
    if len(loaded.model.deltas):
        raise ConfigError(f"version {loaded.number} routes tokens to per-version deltas, which one Hugging Face "
                          "folder cannot hold")
    learnt = [b for b, layer in lm.memory_layers()
              if any(bool(seg.up.weight.detach().any()) for seg in layer.memory.segments)]
    if learnt:
        raise ConfigError(f"version {loaded.number} has trained PEER memories beside blocks {learnt}, which a "
                          "standard Hugging Face folder cannot hold; make the store with --memory-blocks none to "
                          "export its versions")
    return lm


def export_version(store: Store, version: int | str, out: Path | str) -> Path:
    """Write ``version`` as a Hugging Face folder at ``out`` (new, or an empty folder)."""
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ConfigError(f"{out} exists and is not an empty folder; pick a new or empty folder")
    loaded = load_version(store, version)
    lm = check_exportable(loaded)
    from transformers import PreTrainedTokenizerFast

    quiet_transformers()
    eos = loaded.tokenizer.tokenizer.id_to_token(loaded.tokenizer.eos_id)
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=loaded.tokenizer.tokenizer, eos_token=eos)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        with torch.no_grad():
            lm.hf.save_pretrained(staging)
        tokenizer.save_pretrained(staging)
        if out.exists():
            out.rmdir()
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out


__all__ = ["check_exportable", "export_version"]
