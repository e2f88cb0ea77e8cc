"""PEER (He 2024) behind the shared FFN interface, with routing statistics."""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch
from torch import Tensor

from peer_store import PEERLayer
from trainer.ffn_config import PEERFFNConfig
from trainer.ffn.base import FFN, FFNAux, entropy, routing_stats

if TYPE_CHECKING:
    from trainer.config import ModelConfig


class PEERFFN(FFN):
    """Wraps :class:`peer_store.PEERLayer`; statistics from its routing.

    The LM defaults to ``query_norm='layer'``: the paper's BatchNorm over queries
    mixes statistics across positions in training mode and is not causal.
    """

    def __init__(self, d_model: int, config: PEERFFNConfig):
        super().__init__()
        self.layer = PEERLayer(config.layer_config(d_model))

    @classmethod
    def from_config(cls, config: ModelConfig) -> PEERFFN:
        return cls(config.d_model, config.peer)

    @classmethod
    def active_params(cls, config: ModelConfig, *, group_size: int | None = None) -> int:
        """The query net ``d h d_key`` and ``h k`` single-neuron experts of ``2 d`` each."""
        d, p = config.d_model, config.peer
        return d * p.n_heads * (p.d_key or d) + p.n_heads * p.top_k * 2 * d

    def flops_per_token(self, *, group_size: int) -> int:
        """``h`` heads, top-``k``, queries of ``d_key``, grids of ``n_g`` sub-keys a half (one, grown by
        shells; a store made before shells has one per segment): the query net ``2 d h d_key``; product-key
        scoring against every sub-key of both halves ``h sum_g 2 n_g d_key``; candidate sums
        ``h sum_g min(k, n_g)^2`` (one add each); experts ``h k 2 2 d`` (a down dot product and a scaled up
        vector each)."""
        c = self.layer.config
        d, h, k, d_key = c.d_model, c.n_heads, c.top_k, c.d_key
        shells = self.layer.memory.segments
        grids = [s.start + s.n_keys for i, s in enumerate(shells) if i + 1 == len(shells) or shells[i + 1].start == 0]
        query = 2 * d * h * d_key
        scoring = h * sum(2 * n * d_key for n in grids)  # 2 halves x n_g x d_key/2 MACs
        candidates = h * sum(min(k, n) ** 2 for n in grids)  # adds, one FLOP each
        return query + scoring + candidates + h * k * 2 * 2 * d

    def forward(self, x: Tensor, segments: Tensor | None = None) -> tuple[Tensor, FFNAux]:
        """``segments`` ``[B, S]`` (optional) limits each token to the memory's first ``segments[b, s]`` shells."""
        y, routing = self.layer.forward_with_routing(x, segments)  # y [..., d]; ids [T, h, k]
        with torch.no_grad():
            ids = routing.ids.flatten()
            counts = torch.bincount(ids[ids >= 0], minlength=self.layer.memory.num_experts)  # -1 pads
            gate = routing.gate.float()
            if self.layer.config.score_fn == "sigmoid":
                gate = gate / gate.sum(-1, keepdim=True).clamp_min(1e-12)
            stats = routing_stats(counts, entropy=entropy(gate), tokens=routing.ids.shape[0])
        return y, FFNAux({}, stats)
