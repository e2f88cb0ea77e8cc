"""The configuration of a Hugging Face base (which families are supported, where their blocks are, which
blocks get a memory and its shape), apart from the model so that reading a store's config imports no torch.
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, field
from typing import Any

from peer_store.config import PEERConfig
from peer_store.errors import ConfigError


@dataclass(frozen=True)
class Family:
    """Where a family's blocks are (each block's MLP is its ``mlp`` attribute) and what its attention and MLP
    projections are called (the modules LoRA adapts, whatever their type: Linear, GPT-2's Conv1D)."""

    blocks: str
    projections: tuple[str, ...]

    def projection_pattern(self) -> str:
        """A regular expression over module names (PEFT's ``target_modules``) matching every projection."""
        return rf"{self.blocks.replace('.', chr(92) + '.')}\.\d+\..*\.({'|'.join(self.projections)})"


_LLAMA = Family("model.layers", ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"))
FAMILIES: dict[str, Family] = {
    "gpt2": Family("transformer.h", ("c_attn", "c_proj", "c_fc")),
    "llama": _LLAMA,
    "qwen2": _LLAMA,
    "mistral": _LLAMA,
    "gpt_neox": Family("gpt_neox.layers", ("query_key_value", "dense", "dense_h_to_4h", "dense_4h_to_h")),
}
"""The supported families by ``model_type``."""

SUPPORTED = "gpt2, llama (also qwen2 and mistral configs: SmolLM, TinyLlama, Qwen2), gpt_neox (Pythia)"

DEFAULT_PEER: dict[str, Any] = dict(n_heads=4, top_k=16, n_keys=16, d_key=None)
"""The memory shape unless ``peer init --config`` says otherwise: 4 heads x top-16 of 16^2 experts per block
(the built-in store's shape; d_key: the model's width)."""


def _hf_width(hf: dict[str, Any]) -> int:
    return int(hf.get("hidden_size") or hf["n_embd"])


def default_memory_blocks(n_layers: int) -> list[int]:
    """The middle block (the retrofits' choice of middle layers, one memory to start)."""
    return [n_layers // 2]


@dataclass
class HFBaseConfig:
    """The model of a store whose base is a Hugging Face causal LM: its transformers config and its memories."""

    hf: dict[str, Any]
    """The base's ``config.json`` (``PretrainedConfig.to_dict()``)."""
    memory_blocks: list[int] = field(default_factory=list)
    """Blocks whose MLP gets a PEER memory beside it."""
    peer: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_PEER))
    """The memories' :class:`PEERConfig` fields but ``d_model`` (the base's width)."""
    kind: str = "hf"

    def __post_init__(self) -> None:
        model_type = self.hf.get("model_type")
        if model_type not in FAMILIES:
            raise ConfigError(f"unsupported architecture {model_type!r}; supported model types: {SUPPORTED}")
        n = self.n_layers
        if not isinstance(self.memory_blocks, list) or any(
                not isinstance(b, int) or isinstance(b, bool) or not 0 <= b < n for b in self.memory_blocks):
            raise ConfigError(f"--memory-blocks must be block indices in [0, {n - 1}] (the base has {n} blocks), "
                              f"got {self.memory_blocks!r}")
        if len(set(self.memory_blocks)) != len(self.memory_blocks):
            raise ConfigError(f"--memory-blocks names a block twice: {self.memory_blocks}")
        self.memory_blocks = sorted(self.memory_blocks)
        self.peer_config()  # a bad memory shape is refused now, not when the model is built

    @property
    def model_type(self) -> str:
        return self.hf["model_type"]

    @property
    def n_layers(self) -> int:
        return int(self.hf.get("num_hidden_layers") or self.hf["n_layer"])

    @property
    def d_model(self) -> int:
        return _hf_width(self.hf)

    @property
    def vocab_size(self) -> int:
        return int(self.hf["vocab_size"])

    @property
    def max_seq_len(self) -> int:
        return int(self.hf.get("max_position_embeddings") or self.hf["n_positions"])

    def peer_config(self) -> PEERConfig:
        return PEERConfig(d_model=self.d_model, **{**self.peer, "d_key": self.peer.get("d_key") or self.d_model})

    def transformers_config(self):
        from transformers import AutoConfig

        data = copy.deepcopy(self.hf)
        return AutoConfig.for_model(data.pop("model_type"), **data)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HFBaseConfig:
        data = {k: v for k, v in data.items() if k != "kind"}
        try:
            return cls(**data)
        except TypeError as error:
            raise ConfigError(f"bad Hugging Face base config: {error}") from None


__all__ = ["DEFAULT_PEER", "FAMILIES", "SUPPORTED", "Family", "HFBaseConfig", "default_memory_blocks"]
