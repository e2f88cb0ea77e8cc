"""Switch Transformer FFN (Fedus, Zoph, Shazeer 2021): top-1 routing with expert capacity.

Causality: capacity is filled first-come-first-served, and "first" means
position-major order (every sequence's token 0, then every token 1, ...). A
token at position t therefore only competes with tokens at positions <= t, and
changing later tokens can never make it overflow. (Batch-major order would let
sequence 0's future tokens take the capacity of sequence 1's past tokens.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import math

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from trainer.ffn_config import MoEConfig
from trainer.ffn.base import FFN, ExpertMLPs, FFNAux, entropy, expert_flops, routing_stats, trunc_normal_

if TYPE_CHECKING:
    from trainer.config import ModelConfig


def position_major(x: Tensor) -> Tensor:
    """Flatten ``[B, S, d]`` (or ``[T, d]``) to tokens ``[S*B, d]`` ordered by position first."""
    if x.dim() == 3:
        return x.transpose(0, 1).reshape(-1, x.shape[-1])
    return x.reshape(-1, x.shape[-1])


def undo_position_major(y: Tensor, like: Tensor) -> Tensor:
    if like.dim() == 3:
        b, s, d = like.shape
        return y.view(s, b, d).transpose(0, 1)
    return y.view(like.shape)


class SwitchFFN(FFN):
    """``y_t = p_{e(t)}(x_t) * E_{e(t)}(x_t)`` for the arg-max expert e(t), or 0 when e(t) is full
    (the token then passes through the block's residual unchanged)."""

    def __init__(self, d_model: int, d_expert: int, config: MoEConfig):
        super().__init__()
        self.config = config
        n = config.n_experts
        self.router = nn.Linear(d_model, n, bias=False)
        self.experts = ExpertMLPs(n, d_model, d_expert, dropout=config.expert_dropout)
        with torch.no_grad():
            trunc_normal_(self.router.weight, scale=config.init_scale, fan_in=d_model)
            for i in range(n):
                trunc_normal_(self.experts.w_in[i], scale=config.init_scale, fan_in=d_model)
                trunc_normal_(self.experts.w_out[i], scale=config.init_scale, fan_in=d_expert)

    @classmethod
    def from_config(cls, config: ModelConfig) -> SwitchFFN:
        return cls(config.d_model, config.d_expert, config.moe)

    @classmethod
    def active_params(cls, config: ModelConfig, *, group_size: int | None = None) -> int:
        """The router and one expert."""
        d = config.d_model
        return d * config.moe.n_experts + 2 * d * config.d_expert

    def flops_per_token(self, *, group_size: int) -> int:
        """Router ``2 d N`` and one expert (tokens dropped by capacity are still counted: the bound, not the luck
        of a batch)."""
        n, d = self.router.weight.shape
        return 2 * d * n + expert_flops(self.experts)

    def capacity(self, n_tokens: int) -> int:
        """Tokens each expert takes: ceil(tokens / N * capacity factor of the current mode)."""
        c = self.config
        factor = c.capacity_factor_train if self.training else c.capacity_factor_eval
        return max(1, math.ceil(n_tokens / c.n_experts * factor))

    def forward(self, x: Tensor) -> tuple[Tensor, FFNAux]:
        c = self.config
        n = c.n_experts
        xt = position_major(x)  # [T, d]
        t = xt.shape[0]
        with torch.autocast(xt.device.type, enabled=False):  # selective precision: router in fp32
            logits = F.linear(xt.float(), self.router.weight.float())  # [T, N]
            probs = logits.softmax(-1)  # [T, N]
        gate, expert = probs.max(-1)  # [T], [T]
        onehot = F.one_hot(expert, n)  # [T, N]
        slot = (onehot.cumsum(0) * onehot).sum(-1) - 1  # [T] arrival order within its expert
        keep = slot < self.capacity(t)  # [T]

        y = xt.new_zeros(xt.shape)  # [T, d]; dropped tokens stay 0
        for i in range(n):  # an expert with no token still runs (on 0 rows): DDP needs every gradient
            idx = torch.nonzero((expert == i) & keep).squeeze(1)  # [M_i]
            y.index_add_(0, idx, self.experts.expert(i, xt.index_select(0, idx)).to(y.dtype))
        y = y * gate.to(y.dtype).unsqueeze(-1)  # [T, d]

        f = onehot.float().mean(0)  # [N] fraction of tokens whose arg-max is i (before capacity)
        p_mean = probs.mean(0)  # [N] mean router probability
        losses = {
            "switch_balance": c.balance_alpha * n * (f * p_mean).sum(),
            "switch_z": c.z_loss * torch.logsumexp(logits, -1).pow(2).mean(),
        }
        kept = (onehot * keep.unsqueeze(-1)).sum(0)  # [N] tokens each expert processed
        stats = routing_stats(kept, entropy=entropy(probs), dropped=(~keep).sum(), tokens=t)
        return undo_position_major(y, x), FFNAux(losses, stats)
