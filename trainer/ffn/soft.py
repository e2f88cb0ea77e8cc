"""Soft MoE (Puigcerver et al. 2023), grouped so that a causal LM cannot see the future.

Per group of m tokens X [m, d] and slot parameters Phi [d, N*p]:

    logits = normalize(X) @ (scale * normalize(Phi))   [m, N*p]  (L2 over d, learned scale)
    D = softmax over tokens (per slot),  C = softmax over slots (per token)
    slot inputs  Xs = D^T X                            [N*p, d]   (raw, not normalised, X)
    slot outputs Ys[i*p:(i+1)*p] = expert_i(Xs[i*p:(i+1)*p])
    Y = C Ys                                           [m, d]

Soft MoE mixes every token of a group into every slot. Grouping tokens of one
sequence would leak the future into the past, so **a group is the set of tokens
at the same position across the sequences of the batch**: the output at
position t depends only on the batch's tokens at position t, which are causal
functions of their own prefixes. The cost of that choice:

- Outputs depend on the other sequences in the (per-device) batch, so eval loss
  depends on the eval batch size and composition, and batch size 1 (e.g. plain
  generation) degenerates to a C-weighted sum of all experts on the same token.
- Expert compute is N*p slots per position regardless of the batch size B:
  per token N*p/B expert evaluations, more than a dense FFN when B < N*p.
- Under DDP a group is one rank's local batch, so results depend on the
  per-device batch size, not just the global one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from peer_store.errors import ConfigError
from trainer.ffn_config import MoEConfig
from trainer.ffn.base import FFN, ExpertMLPs, FFNAux, entropy, expert_flops, routing_stats

if TYPE_CHECKING:
    from trainer.config import ModelConfig


class SoftMoEFFN(FFN):
    """Soft MoE over groups of the batch's tokens at one position. Input ``[B, S, d]``."""

    def __init__(self, d_model: int, d_expert: int, config: MoEConfig):
        super().__init__()
        self.config = config
        slots = config.n_experts * config.slots_per_expert
        self.phi = nn.Parameter(torch.randn(d_model, slots) * d_model**-0.5)  # [d, N*p]
        self.scale = nn.Parameter(torch.ones(()))
        self.experts = ExpertMLPs(config.n_experts, d_model, d_expert)

    @classmethod
    def from_config(cls, config: ModelConfig) -> SoftMoEFFN:
        return cls(config.d_model, config.d_expert, config.moe)

    @classmethod
    def active_params(cls, config: ModelConfig, *, group_size: int | None = None) -> int:
        """Every slot's expert runs once per group of ``group_size`` tokens (the batch size with the per-position
        grouping), so per token ``N p / group_size`` experts plus the slot parameters."""
        if group_size is None:
            raise ConfigError("Soft MoE's active parameters depend on the group size; pass group_size (the batch size)")
        d, m = config.d_model, config.moe
        slots = m.n_experts * m.slots_per_expert
        return d * slots + round(slots * 2 * d * config.d_expert / group_size)

    def flops_per_token(self, *, group_size: int) -> int:
        """Slot logits, dispatch and combine ``3 2 d P``, and the ``P`` slot experts once per group,
        ``P 2 2 d e / group_size`` per token (rounded)."""
        d, slots = self.phi.shape
        return 3 * 2 * d * slots + round(slots * expert_flops(self.experts) / group_size)

    def forward(self, x: Tensor) -> tuple[Tensor, FFNAux]:
        assert x.dim() == 3, f"Soft MoE needs [batch, seq, d] to group by position, got {tuple(x.shape)}"
        c = self.config
        n, p = c.n_experts, c.slots_per_expert
        b, s, d = x.shape
        phi = self.scale * F.normalize(self.phi, dim=0)  # [d, N*p]
        logits = torch.einsum("bsd,dn->sbn", F.normalize(x, dim=-1), phi.to(x.dtype))  # [S, B, N*p]
        dispatch = logits.softmax(dim=1)  # [S, B, N*p] over the group's tokens, per slot
        combine = logits.softmax(dim=2)  # [S, B, N*p] over slots, per token
        slots_in = torch.einsum("sbn,bsd->snd", dispatch, x)  # [S, N*p, d]
        slots_in = slots_in.view(s, n, p, d)  # [S, N, p, d]
        slots_out = torch.stack(
            [self.experts.expert(i, slots_in[:, i].reshape(s * p, d)).view(s, p, d) for i in range(n)], dim=1
        )  # [S, N, p, d]
        y = torch.einsum("sbn,snd->bsd", combine, slots_out.view(s, n * p, d))  # [B, S, d]
        mass = combine.detach().float().view(s, b, n, p).sum(-1).mean((0, 1))  # [N] combine mass per expert
        stats = routing_stats(mass, entropy=entropy(combine.detach().float()), tokens=b * s)
        return y, FFNAux({}, stats)
