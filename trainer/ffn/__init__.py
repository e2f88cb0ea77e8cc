"""FFN kinds by name. Every kind maps ``x [B, S, d]`` to ``(y, FFNAux)``.

    ffn = build_ffn("switch", model_config)
"""

from __future__ import annotations

from collections.abc import Callable

from torch import nn

from peer_store.errors import ConfigError
from trainer.ffn.base import FFNAux, routing_stats
from trainer.ffn.dense import DenseFFN, active_ffn_params, matched_dense_width
from trainer.ffn.hmoe import HierarchicalMoEFFN
from trainer.ffn.peer import PEERFFN
from trainer.ffn.soft import SoftMoEFFN
from trainer.ffn.switch import SwitchFFN
from trainer.ffn.topk import NoisyTopKFFN

FFN_REGISTRY: dict[str, Callable[..., nn.Module]] = {
    "dense": lambda c: DenseFFN(c.d_model, c.d_ff, dropout=c.dropout),
    "peer": lambda c: PEERFFN(c.d_model, c.peer),
    "switch": lambda c: SwitchFFN(c.d_model, c.d_expert, c.moe),
    "soft": lambda c: SoftMoEFFN(c.d_model, c.d_expert, c.moe),
    "topk": lambda c: NoisyTopKFFN(c.d_model, c.d_expert, c.moe),
    "hmoe": lambda c: HierarchicalMoEFFN(c.d_model, c.d_expert, c.moe),
}
"""Builders ``(ModelConfig) -> module`` keyed by FFN kind."""


def build_ffn(kind: str, config) -> nn.Module:
    """The FFN ``kind`` for ``config`` (a :class:`trainer.config.ModelConfig`)."""
    try:
        builder = FFN_REGISTRY[kind]
    except KeyError:
        raise ConfigError(f"unknown FFN kind {kind!r}; choose one of {sorted(FFN_REGISTRY)}") from None
    return builder(config)


__all__ = [
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
    "matched_dense_width",
    "routing_stats",
]
