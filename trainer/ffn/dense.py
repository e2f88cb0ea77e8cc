"""The dense baseline: a GELU MLP, and widths matched to a sparse layer's active parameters."""

from __future__ import annotations

from collections.abc import Callable

from torch import Tensor, nn

from peer_store.errors import ConfigError
from trainer.config import ModelConfig
from trainer.ffn.base import FFNAux


class DenseFFN(nn.Module):
    """``y = W_out gelu(W_in x)`` (no biases, so a one-expert MoE can equal it exactly)."""

    def __init__(self, d_model: int, d_ff: int, *, dropout: float = 0.0):
        super().__init__()
        self.w_in = nn.Linear(d_model, d_ff, bias=False)
        self.w_out = nn.Linear(d_ff, d_model, bias=False)
        self.dropout = nn.Dropout(dropout)

    def forward(
        self, x: Tensor, linear: Callable[[str, nn.Linear, Tensor], Tensor] | None = None
    ) -> tuple[Tensor, FFNAux]:
        """``linear(name, layer, input)``, if given, computes each of ``w_in`` and ``w_out`` (a router's per-token
        corrections, :class:`trainer.model.TokenRouting`)."""
        if linear is None:
            h = nn.functional.gelu(self.w_in(x))  # [..., d_ff]
            return self.dropout(self.w_out(h)), FFNAux()  # [..., d]
        h = nn.functional.gelu(linear("w_in", self.w_in, x))  # [..., d_ff]
        return self.dropout(linear("w_out", self.w_out, h)), FFNAux()  # [..., d]


def active_ffn_params(config: ModelConfig, *, group_size: int | None = None) -> int:
    """Parameters one token's output is computed with in a sparse block of ``config``.

    dense: 2*d*d_ff. switch: router + one expert. topk: gate + k experts. hmoe: primary gate + the
    group_top_k chosen groups' secondary gates + group_top_k * top_k experts. peer: query net +
    h*k single-neuron experts (2*d each). soft: every slot's expert runs once per group of
    ``group_size`` tokens (the batch size with our per-position grouping), so per token
    N*p/group_size experts plus the slot parameters.
    """
    d, m = config.d_model, config.moe
    expert = 2 * d * config.d_expert
    kind = config.ffn
    if kind == "dense":
        return 2 * d * config.d_ff
    if kind == "switch":
        return d * m.n_experts + expert
    if kind == "topk":
        return d * m.n_experts + m.top_k * expert
    if kind == "hmoe":
        return d * m.n_groups + m.group_top_k * (d * m.experts_per_group + m.top_k * expert)
    if kind == "peer":
        p = config.peer
        d_key = p.d_key or d
        return d * p.n_heads * d_key + p.n_heads * p.top_k * 2 * d
    if kind == "soft":
        if group_size is None:
            raise ConfigError("Soft MoE's active parameters depend on the group size; pass group_size (the batch size)")
        slots = m.n_experts * m.slots_per_expert
        return d * slots + round(slots * expert / group_size)
    raise ConfigError(f"no active-parameter count for FFN kind {kind!r}")


def matched_dense_width(config: ModelConfig, *, group_size: int | None = None) -> int:
    """d_ff of a dense GELU MLP with as many parameters as a token uses in ``config``'s sparse FFN."""
    return max(1, round(active_ffn_params(config, group_size=group_size) / (2 * config.d_model)))
