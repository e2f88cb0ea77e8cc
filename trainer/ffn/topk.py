"""Noisily gated top-k mixture of experts (Shazeer et al. 2017).

    H(x)_i = (x W_g)_i + N(0, 1) * std_i                        (noise in training only)
    std_i  = softplus((x W_noise)_i) + 1e-2                      (floor as in tensor2tensor)
    G(x)   = softmax(KeepTopK(H(x), k))                          (softmax after top-k)
    L_importance = w_imp * CV(sum_x G(x))^2
    L_load       = w_load * CV(sum_x P(x, i))^2,
    P(x, i) = Phi(((x W_g)_i - kth_excluding(H(x), k, i)) / std_i)

CV^2 uses the population variance. Without noise (eval mode, or ``noisy=False``)
the load is the number of tokens routed to each expert (no gradient).

The gate (:func:`noisy_top_k`) and the gated sum of experts (:func:`mix_experts`)
are shared with the hierarchical mixture (:mod:`trainer.ffn.hmoe`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from trainer.ffn_config import MoEConfig
from trainer.ffn.base import FFN, ExpertMLPs, FFNAux, entropy, expert_flops, routing_stats

if TYPE_CHECKING:
    from trainer.config import ModelConfig


def cv_squared(v: Tensor, eps: float = 1e-10) -> Tensor:
    """Squared coefficient of variation var(v) / mean(v)^2 (population variance); 0 for one value."""
    v = v.float()
    if v.numel() < 2:
        return v.new_zeros(())
    return v.var(correction=0) / (v.mean().pow(2) + eps)


def prob_in_top_k(clean: Tensor, noisy: Tensor, noise_std: Tensor, top_values: Tensor, k: int) -> Tensor:
    """P(x, i): probability that expert i stays in the top-k under a new draw of its own noise,
    the other experts' noisy logits held fixed. ``top_values`` are the k+1 largest noisy logits."""
    normal = torch.distributions.Normal(0.0, 1.0)
    threshold_if_in = top_values[:, k : k + 1]  # [T, 1] (k+1)-th value: what i must beat if in
    threshold_if_out = top_values[:, k - 1 : k]  # [T, 1] k-th value: what i must beat if out
    is_in = noisy > threshold_if_in  # [T, N]
    p_in = normal.cdf((clean - threshold_if_in) / noise_std)
    p_out = normal.cdf((clean - threshold_if_out) / noise_std)
    return torch.where(is_in, p_in, p_out)  # [T, N]


@dataclass
class TopKGates:
    """One noisy top-k gate on a batch of T tokens over N experts (float32)."""

    gates: Tensor
    """[T, N]: G(x), the softmax over each token's k kept logits, 0 elsewhere."""
    top_gates: Tensor
    """[T, k]: the kept gate values, largest first."""
    top_idx: Tensor
    """[T, k]: the experts they belong to."""
    load: Tensor
    """[N]: sum_x P(x, i) with noise and k < N, else the number of tokens routed to each expert."""


def noisy_top_k(x: Tensor, w_gate: Tensor, w_noise: Tensor | None, k: int, eps: Tensor | None) -> TopKGates:
    """The noisy top-k gate of tokens ``x [T, d]`` with gate weights ``w_gate [N, d]``, in float32.

    ``eps [T, N]`` is a standard normal draw, scaled by ``softplus(x W_noise) + 1e-2`` and added to the
    logits; None gates without noise (eval mode, or a layer without noise)."""
    n = w_gate.shape[0]
    with torch.autocast(x.device.type, enabled=False):
        xf = x.float()
        clean = F.linear(xf, w_gate.float())  # [T, N]
        if eps is not None:
            noise_std = F.softplus(F.linear(xf, w_noise.float())) + 1e-2  # [T, N]
            logits = clean + eps * noise_std  # [T, N]
        else:
            logits = clean
        top_values, top_idx = logits.topk(min(k + 1, n), dim=-1)  # [T, k(+1)]
        top_gates = top_values[:, :k].softmax(-1)  # [T, k] softmax over the kept logits only
        gates = torch.zeros_like(clean).scatter(1, top_idx[:, :k], top_gates)  # [T, N]
        if eps is not None and k < n:
            load = prob_in_top_k(clean, logits, noise_std, top_values, k).sum(0)  # [N]
        else:
            load = (gates > 0).float().sum(0)  # [N]
    return TopKGates(gates, top_gates, top_idx[:, :k], load)


def mix_experts(experts: ExpertMLPs, x: Tensor, gates: Tensor, first: int = 0) -> Tensor:
    """``sum_i gates[:, i] * expert_{first + i}(x)`` for tokens ``x [M, d]`` and sparse gates ``[M, n]``: each
    expert runs on the tokens whose gate for it is not 0. An expert with no token still runs (on 0 rows):
    DDP needs every gradient."""
    y = x.new_zeros(x.shape)  # [M, d]
    for i in range(gates.shape[1]):
        idx = torch.nonzero(gates[:, i] > 0).squeeze(1)  # [M_i]
        out = experts.expert(first + i, x.index_select(0, idx))  # [M_i, d]
        y.index_add_(0, idx, out.to(y.dtype) * gates[idx, i].to(y.dtype).unsqueeze(-1))
    return y


class NoisyTopKFFN(FFN):
    """Sparsely gated mixture: each token runs its k experts and sums them by the gates."""

    def __init__(self, d_model: int, d_expert: int, config: MoEConfig):
        super().__init__()
        self.config = config
        n = config.n_experts
        self.w_gate = nn.Linear(d_model, n, bias=False)
        # no noise network without noise: a parameter without gradient would stall DDP
        self.w_noise = nn.Linear(d_model, n, bias=False) if config.noisy else None
        self.experts = ExpertMLPs(n, d_model, d_expert)
        nn.init.zeros_(self.w_gate.weight)  # as in the paper: start uniform, noise breaks ties
        if self.w_noise is not None:
            nn.init.zeros_(self.w_noise.weight)

    @classmethod
    def from_config(cls, config: ModelConfig) -> NoisyTopKFFN:
        return cls(config.d_model, config.d_expert, config.moe)

    @classmethod
    def active_params(cls, config: ModelConfig, *, group_size: int | None = None) -> int:
        """The gate and ``k`` experts."""
        d, m = config.d_model, config.moe
        return d * m.n_experts + m.top_k * 2 * d * config.d_expert

    def flops_per_token(self, *, group_size: int) -> int:
        """Gate ``2 d N``, the noise net as much again when it exists (it runs in training mode), ``k`` experts."""
        n, d = self.w_gate.weight.shape
        nets = 2 if self.w_noise is not None else 1
        return nets * 2 * d * n + self.config.top_k * expert_flops(self.experts)

    def forward(self, x: Tensor) -> tuple[Tensor, FFNAux]:
        c = self.config
        xt = x.reshape(-1, x.shape[-1])  # [T, d]
        t = xt.shape[0]
        eps = torch.randn(t, c.n_experts, device=xt.device) if self.training and c.noisy else None  # [T, N]
        g = noisy_top_k(xt, self.w_gate.weight, None if self.w_noise is None else self.w_noise.weight, c.top_k, eps)
        y = mix_experts(self.experts, xt, g.gates)  # [T, d]
        losses = {
            "topk_importance": c.importance_weight * cv_squared(g.gates.sum(0)),
            "topk_load": c.load_weight * cv_squared(g.load),
        }
        routed = (g.gates > 0).float().sum(0)  # [N] tokens each expert processed
        stats = routing_stats(routed, entropy=entropy(g.top_gates), tokens=t)
        return y.view(x.shape), FFNAux(losses, stats)
