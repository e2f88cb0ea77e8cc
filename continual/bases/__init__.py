"""What a store's versions grow from: the built-in byte-level LM (:mod:`trainer.model`) or a pretrained Hugging
Face causal LM with PEER memories beside its MLPs (:mod:`continual.bases.hf`, loaded by
:mod:`continual.bases.load`)."""

from importlib import import_module
from types import ModuleType

from peer_store.errors import ConfigError


def hf_library(name: str) -> ModuleType:
    """``transformers`` or ``peft``, or one line naming the extra that installs them."""
    try:
        return import_module(name)
    except ImportError:
        raise ConfigError(f"pretrained bases and the lora method need {name}: pip install 'peer-store[hf]'") from None


__all__ = ["hf_library"]
