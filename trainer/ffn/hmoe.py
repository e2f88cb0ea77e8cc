"""Hierarchical mixture of experts (Shazeer et al. 2017, appendix B): a noisy top-k gate over groups, and inside
each chosen group a noisy top-k gate over that group's experts.

With ``a`` groups of ``b`` experts, a primary gate G_p and one secondary gate G_i per group (each the noisy
top-k gate of :mod:`trainer.ffn.topk`, k = ``group_top_k`` and ``top_k``):

    y(x) = sum_i sum_j G_p(x)_i * G_i(x)_j * E_ij(x)
    Importance_H(X)_ij = sum_{x in X} G_p(x)_i * G_i(x)_j
    Load_H(X)_ij       = Load_p(X)_i * Load_i(X_i)_j / |X_i|,     X_i = {x in X : G_p(x)_i > 0}
    L_importance = w_imp * CV(Importance_H)^2,   L_load = w_load * CV(Load_H)^2   (over all a*b experts)

Load_p and Load_i are the smooth loads of the primary and i-th secondary gate: the i-th secondary gate's batch
is the tokens routed to group i. The paper keeps Load_p(X)_i in Load_H rather than Load_i(X_i)_j alone so that
the load loss has a gradient with respect to the primary gate too.

A secondary gate runs only on the tokens routed to its group, so gating costs ``d * (a + group_top_k * b)``
multiply-adds per token instead of ``d * a * b``: the point of the hierarchy for very many experts. Causality:
a token's secondary noise is drawn per token and chosen group (``[T, group_top_k, b]``), not per group batch,
so what a token draws does not depend on where the other tokens of the batch (later ones included) went.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch
from torch import Tensor, nn

from trainer.ffn_config import MoEConfig
from trainer.ffn.base import FFN, ExpertMLPs, FFNAux, entropy, expert_flops, routing_stats
from trainer.ffn.topk import cv_squared, mix_experts, noisy_top_k

if TYPE_CHECKING:
    from trainer.config import ModelConfig


class HierarchicalMoEFFN(FFN):
    """Two-level noisily gated mixture over ``n_groups`` groups of ``n_experts / n_groups`` experts.

    Group i's secondary gate is rows ``i*b:(i+1)*b`` of ``w_group_gate``, its experts are experts ``i*b:(i+1)*b``
    of ``experts``: growing the layer appends whole groups (:mod:`study.hmoe_grow`)."""

    def __init__(self, d_model: int, d_expert: int, config: MoEConfig):
        super().__init__()
        config.check_groups()
        self.config = config
        a, n = config.n_groups, config.n_experts
        self.w_gate = nn.Linear(d_model, a, bias=False)  # primary gate
        self.w_group_gate = nn.Linear(d_model, n, bias=False)  # every group's secondary gate, stacked
        # no noise networks without noise: a parameter without gradient would stall DDP
        self.w_noise = nn.Linear(d_model, a, bias=False) if config.noisy else None
        self.w_group_noise = nn.Linear(d_model, n, bias=False) if config.noisy else None
        self.experts = ExpertMLPs(n, d_model, d_expert)
        for gate in (self.w_gate, self.w_group_gate, self.w_noise, self.w_group_noise):
            if gate is not None:  # as in the paper: start uniform, noise breaks ties
                nn.init.zeros_(gate.weight)

    @classmethod
    def from_config(cls, config: ModelConfig) -> HierarchicalMoEFFN:
        return cls(config.d_model, config.d_expert, config.moe)

    @classmethod
    def check_config(cls, config: ModelConfig) -> None:
        config.moe.check_groups()

    @classmethod
    def active_params(cls, config: ModelConfig, *, group_size: int | None = None) -> int:
        """The primary gate, the ``group_top_k`` chosen groups' secondary gates and ``group_top_k * top_k``
        experts."""
        d, m = config.d_model, config.moe
        return d * m.n_groups + m.group_top_k * (d * m.experts_per_group + m.top_k * 2 * d * config.d_expert)

    def flops_per_token(self, *, group_size: int) -> int:
        """``a`` groups of ``b``, ``k_a`` groups and ``k_b`` experts a group per token: primary gate ``2 d a``, the
        chosen groups' secondary gates ``k_a 2 d b``, each gate's noise net as much again when it exists, and
        ``k_a k_b`` experts."""
        c = self.config
        d = self.w_gate.weight.shape[1]
        nets = 2 if self.w_noise is not None else 1  # the noise nets run in training mode
        gates = nets * 2 * d * (c.n_groups + c.group_top_k * c.experts_per_group)
        return gates + c.group_top_k * c.top_k * expert_flops(self.experts)

    def forward(self, x: Tensor) -> tuple[Tensor, FFNAux]:
        c = self.config
        a, b, ka, kb = c.n_groups, c.experts_per_group, c.group_top_k, c.top_k
        xt = x.reshape(-1, x.shape[-1])  # [T, d]
        t = xt.shape[0]
        noisy = self.training and c.noisy
        eps = torch.randn(t, a, device=xt.device) if noisy else None  # [T, a]
        primary = noisy_top_k(xt, self.w_gate.weight, _weight(self.w_noise), ka, eps)  # gates [T, a]
        eps_in = torch.randn(t, ka, b, device=xt.device) if noisy else None  # [T, ka, b] per token and chosen group

        y = xt.new_zeros(xt.shape)  # [T, d]
        importance, load, routed = [], [], []  # per group: [b] each
        joint = torch.zeros(t, ka, kb, device=xt.device)  # [T, ka, kb] each token's gate products (for the entropy)
        for i in range(a):
            tok, slot = torch.nonzero(primary.top_idx == i, as_tuple=True)  # [M_i]: X_i, and which choice it was
            rows = slice(i * b, (i + 1) * b)
            xi = xt.index_select(0, tok)  # [M_i, d]
            inner = noisy_top_k(xi, self.w_group_gate.weight[rows], _weight(self.w_group_noise, rows), kb,
                                None if eps_in is None else eps_in[tok, slot])  # gates [M_i, b]
            g_primary = primary.gates[tok, i].unsqueeze(1)  # [M_i, 1] G_p(x)_i
            gates = g_primary * inner.gates  # [M_i, b] G_p(x)_i * G_i(x)_j
            y.index_add_(0, tok, mix_experts(self.experts, xi, gates, first=i * b))
            importance.append(gates.sum(0))
            load.append(primary.load[i] * inner.load / max(tok.numel(), 1))
            routed.append((gates > 0).float().sum(0).detach())
            joint[tok, slot] = (g_primary * inner.top_gates).detach()
        losses = {
            "hmoe_importance": c.importance_weight * cv_squared(torch.cat(importance)),  # over all a*b experts
            "hmoe_load": c.load_weight * cv_squared(torch.cat(load)),
        }
        stats = routing_stats(torch.cat(routed), entropy=entropy(joint.flatten(1)), tokens=t)
        return y.view(x.shape), FFNAux(losses, stats)


def _weight(linear: nn.Module | None, rows: slice = slice(None)) -> Tensor | None:
    """``linear.weight[rows]``, None for a missing noise network."""
    return None if linear is None else linear.weight[rows]
