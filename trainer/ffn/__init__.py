"""The FFN kinds of the language model, one registry of them.

    from trainer.ffn import build_ffn, active_ffn_params
    ffn = build_ffn("switch", model_config)

Each kind is a :class:`~trainer.ffn.base.FFN` in its own module: it builds itself from a model config, refuses
what it cannot be built from, and says its active parameters and FLOPs per token. A new kind is its module and
one line of :data:`FFN_REGISTRY`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from peer_store.errors import ConfigError
from trainer.ffn.base import FFN, FFNAux, routing_stats
from trainer.ffn.dense import DenseFFN
from trainer.ffn.hmoe import HierarchicalMoEFFN
from trainer.ffn.peer import PEERFFN
from trainer.ffn.soft import SoftMoEFFN
from trainer.ffn.switch import SwitchFFN
from trainer.ffn.topk import NoisyTopKFFN

if TYPE_CHECKING:
    from trainer.config import ModelConfig

FFN_REGISTRY: dict[str, type[FFN]] = {
    "dense": DenseFFN,
    "peer": PEERFFN,
    "switch": SwitchFFN,
    "soft": SoftMoEFFN,
    "topk": NoisyTopKFFN,
    "hmoe": HierarchicalMoEFFN,
}
"""FFN kinds by the name ``ModelConfig.ffn`` gives them."""


def ffn_kind(kind: str) -> type[FFN]:
    """The FFN kind ``kind``; a ConfigError naming the registered ones for an unknown name."""
    try:
        return FFN_REGISTRY[kind]
    except (KeyError, TypeError):
        raise ConfigError(f"unknown FFN kind {kind!r}; choose one of {sorted(FFN_REGISTRY)}") from None


def build_ffn(kind: str, config: ModelConfig) -> FFN:
    """The FFN ``kind`` for a sparse block of ``config``."""
    return ffn_kind(kind).from_config(config)


def active_ffn_params(config: ModelConfig, *, group_size: int | None = None) -> int:
    """Parameters one token's output is computed with in a sparse block of ``config`` (its kind's count)."""
    return ffn_kind(config.ffn).active_params(config, group_size=group_size)


def matched_dense_width(config: ModelConfig, *, group_size: int | None = None) -> int:
    """d_ff of a dense GELU MLP with as many parameters as a token uses in ``config``'s sparse FFN."""
    return max(1, round(active_ffn_params(config, group_size=group_size) / (2 * config.d_model)))


__all__ = [
    "FFN",
    "FFN_REGISTRY",
    "DenseFFN",
    "FFNAux",
    "HierarchicalMoEFFN",
    "NoisyTopKFFN",
    "PEERFFN",
    "SoftMoEFFN",
    "SwitchFFN",
    "active_ffn_params",
    "build_ffn",
    "ffn_kind",
    "matched_dense_width",
    "routing_stats",
]
