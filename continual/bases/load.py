"""Loading a pretrained Hugging Face causal LM as a store's base: ``peer init --base-model``.

A base is a local folder in the standard layout (``config.json``, weights, tokenizer
files) or a hub name where the hub can be reached. Everything that can refuse it
runs before the store exists: a folder that is not a model, an architecture outside
:data:`continual.bases.hf.FAMILIES`, a tokenizer whose ids do not fit the model's
embedding (or that has no end-of-sequence token), memory blocks out of range. Each
is one :class:`ConfigError` line.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from continual.bases.hf import (
    DEFAULT_PEER,
    FAMILIES,
    SUPPORTED,
    HFBaseConfig,
    HFLanguageModel,
    default_memory_blocks,
)
from peer_store.errors import ConfigError
from peer_store.fsio import sha256_file
from trainer.data import PretrainedTokenizer

WEIGHT_SUFFIXES = (".safetensors", ".bin")


@dataclass
class LoadedBase:
    """A pretrained base, ready to be version 1 of a store."""

    model: HFLanguageModel
    tokenizer: PretrainedTokenizer
    record: dict[str, Any]
    """What the store records of it (``ContinualConfig.base``): name, revision, sha256 of each weight file."""


def quiet_transformers() -> None:
    """transformers' advice lines (unused weights, generation config) mean nothing to a `peer` user."""
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    logging.getLogger("transformers").setLevel(logging.ERROR)


def read_config(name: str, revision: str | None) -> dict[str, Any]:
    """The base's config as a dict; one line when ``name`` is not a model (or cannot be reached)."""
    from transformers import AutoConfig

    folder = Path(name)
    if folder.exists() and not (folder / "config.json").is_file():
        raise ConfigError(f"{name} is not a Hugging Face model folder (it has no config.json); pass the folder "
                          "that save_pretrained wrote")
    try:
        config = AutoConfig.from_pretrained(name, revision=revision)
    except (OSError, ValueError, KeyError) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ConfigError(f"cannot load a model config from {name!r}: {first}") from None
    if config.model_type not in FAMILIES:
        raise ConfigError(f"unsupported architecture {config.model_type!r}; supported model types: {SUPPORTED}")
    return config.to_dict()


def read_tokenizer(name: str, revision: str | None, vocab_size: int) -> PretrainedTokenizer:
    """The base's fast tokenizer; one line when it is missing, slow-only, or does not fit the model."""
    from transformers import AutoTokenizer

    try:
        tokenizer = AutoTokenizer.from_pretrained(name, revision=revision)
    except (OSError, ValueError, KeyError, TypeError) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ConfigError(f"cannot load the tokenizer of {name!r}: {first}") from None
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is None:
        raise ConfigError(f"the tokenizer of {name!r} has no fast (tokenizer.json) form; save it with a fast tokenizer")
    if len(tokenizer) > vocab_size:
        raise ConfigError(f"the tokenizer of {name!r} has {len(tokenizer)} tokens but the model embeds only "
                          f"{vocab_size}: they do not belong together")
    if tokenizer.eos_token_id is None:
        raise ConfigError(f"the tokenizer of {name!r} has no end-of-sequence token; documents need one between them")
    return PretrainedTokenizer(backend, int(tokenizer.eos_token_id))


def weight_hashes(name: str) -> dict[str, str]:
    """``{file: sha256}`` of a local base's weight files (empty for a hub name: the hub keeps those)."""
    folder = Path(name)
    if not folder.is_dir():
        return {}
    return {p.name: sha256_file(p) for p in sorted(folder.iterdir()) if p.suffix in WEIGHT_SUFFIXES}


def load_base(name: str, *, revision: str | None = None, memory_blocks: list[int] | None = None,
              peer: dict[str, Any] | None = None) -> LoadedBase:
    """The base ``name`` with PEER memories beside ``memory_blocks`` (default: the middle block; ``[]`` for
    none), in float32, with its tokenizer; every check runs before the weights are read."""
    from transformers import AutoModelForCausalLM

    quiet_transformers()
    hf_config = read_config(name, revision)
    config = HFBaseConfig(hf=hf_config, memory_blocks=[], peer={**DEFAULT_PEER, **(peer or {})})
    blocks = default_memory_blocks(config.n_layers) if memory_blocks is None else list(memory_blocks)
    config = HFBaseConfig(hf=hf_config, memory_blocks=blocks, peer=config.peer)
    tokenizer = read_tokenizer(name, revision, config.vocab_size)
    try:
        hf = AutoModelForCausalLM.from_pretrained(name, revision=revision, dtype=torch.float32)
    except (OSError, ValueError, RuntimeError) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ConfigError(f"cannot load the weights of {name!r}: {first}") from None
    config = HFBaseConfig(hf=json.loads(hf.config.to_json_string(use_diff=False)), memory_blocks=config.memory_blocks,
                          peer=config.peer)
    record = {"name": name, "revision": revision, "weights": weight_hashes(name)}
    return LoadedBase(HFLanguageModel(config, hf.eval()), tokenizer, record)


__all__ = ["LoadedBase", "load_base", "quiet_transformers", "read_config", "read_tokenizer", "weight_hashes"]
