"""PEER (He 2024) behind the shared FFN interface, with routing statistics."""

from __future__ import annotations

import torch
from torch import Tensor, nn

from peer_store import PEERConfig, PEERLayer
from peer_store.guard import RoutingGuard
from trainer.config import PEERFFNConfig
from trainer.ffn.base import FFNAux, entropy, routing_stats


class PEERFFN(nn.Module):
    """Wraps :class:`peer_store.PEERLayer`; statistics from its routing.

    The LM defaults to ``query_norm='layer'``: the paper's BatchNorm over queries
    mixes statistics across positions in training mode and is not causal.

    A :class:`peer_store.guard.RoutingGuard` set with :meth:`guard_with` adds its
    margin loss (weighted) as the auxiliary loss ``peer_guard`` while training; it
    is run state, not model state (not in ``state_dict``).

    ``segments``, also run state, limits each token of the next forward passes to the
    memory's first ``segments[b, s]`` segments (set by a router before the forward; see
    :class:`trainer.domain_router.RoutedLoRA`). None: every segment.
    """

    guard: RoutingGuard | None = None
    guard_weight: float = 0.0
    segments: Tensor | None = None

    def __init__(self, d_model: int, config: PEERFFNConfig):
        super().__init__()
        self.layer = PEERLayer(
            PEERConfig(
                d_model=d_model,
                n_heads=config.n_heads,
                top_k=config.top_k,
                n_keys=config.n_keys,
                d_key=config.d_key,
                query_norm=config.query_norm,
                score_fn=config.score_fn,
                activation=config.activation,
                kernel=config.kernel,
            )
        )

    def guard_with(self, guard: RoutingGuard | None, weight: float = 1.0) -> None:
        """Train the last segment's keys away from ``guard``'s stored old queries (None: stop)."""
        self.guard, self.guard_weight = guard, weight

    def forward(self, x: Tensor) -> tuple[Tensor, FFNAux]:
        y, routing = self.layer.forward_with_routing(x, self.segments)  # y [..., d]; ids [T, h, k]
        with torch.no_grad():
            ids = routing.ids.flatten()
            counts = torch.bincount(ids[ids >= 0], minlength=self.layer.memory.num_experts)  # -1 pads
            gate = routing.gate.float()
            if self.layer.config.score_fn == "sigmoid":
                gate = gate / gate.sum(-1, keepdim=True).clamp_min(1e-12)
            stats = routing_stats(counts, entropy=entropy(gate), tokens=routing.ids.shape[0])
        losses = {}
        if self.guard is not None and self.training and torch.is_grad_enabled():
            losses["peer_guard"] = self.guard_weight * self.guard.loss(self.layer.memory)
        return y, FFNAux(losses, stats)
