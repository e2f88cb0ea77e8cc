"""PEER (He 2024) behind the shared FFN interface, with routing statistics."""

from __future__ import annotations

import torch
from torch import Tensor, nn

from peer_store import PEERLayer
from trainer.config import PEERFFNConfig
from trainer.ffn.base import FFNAux, entropy, routing_stats


class PEERFFN(nn.Module):
    """Wraps :class:`peer_store.PEERLayer`; statistics from its routing.

    The LM defaults to ``query_norm='layer'``: the paper's BatchNorm over queries
    mixes statistics across positions in training mode and is not causal.
    """

    def __init__(self, d_model: int, config: PEERFFNConfig):
        super().__init__()
        self.layer = PEERLayer(config.layer_config(d_model))

    def forward(self, x: Tensor, segments: Tensor | None = None) -> tuple[Tensor, FFNAux]:
        """``segments`` ``[B, S]`` (optional) limits each token to the memory's first ``segments[b, s]`` segments."""
        y, routing = self.layer.forward_with_routing(x, segments)  # y [..., d]; ids [T, h, k]
        with torch.no_grad():
            ids = routing.ids.flatten()
            counts = torch.bincount(ids[ids >= 0], minlength=self.layer.memory.num_experts)  # -1 pads
            gate = routing.gate.float()
            if self.layer.config.score_fn == "sigmoid":
                gate = gate / gate.sum(-1, keepdim=True).clamp_min(1e-12)
            stats = routing_stats(counts, entropy=entropy(gate), tokens=routing.ids.shape[0])
        return y, FFNAux({}, stats)
