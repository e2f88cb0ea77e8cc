"""The interface every FFN kind shares, and the routing statistics they report.

An FFN maps ``x [..., d_model]`` to ``(y [..., d_model], aux)``. ``aux.losses``
holds auxiliary losses that are already weighted and differentiable (the LM
adds them to its loss); ``aux.stats`` holds detached routing statistics for
logging. Nothing is stashed on the module between calls.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import torch
from torch import Tensor, nn

if TYPE_CHECKING:
    from trainer.config import ModelConfig


@dataclass
class FFNAux:
    """Auxiliary output of one FFN call."""

    losses: dict[str, Tensor] = field(default_factory=dict)
    """Weighted auxiliary losses (scalars with gradients), added to the LM loss."""

    stats: dict[str, Tensor] = field(default_factory=dict)
    """Detached statistics: ``load`` [N] (share of routed mass per expert), and scalars
    ``used_fraction``, ``dropped_tokens``, ``dropped_fraction``, ``router_entropy``."""


def routing_stats(load: Tensor, *, entropy: Tensor, dropped: Tensor | None = None, tokens: int = 1) -> dict[str, Tensor]:
    """Statistics from a per-expert load ``[N]`` (counts or mass), a mean router entropy (nats)
    and an optional number of dropped tokens out of ``tokens``."""
    load = load.detach().float()
    total = load.sum().clamp_min(1e-12)
    dropped = torch.zeros((), device=load.device) if dropped is None else dropped.detach().float()
    return {
        "load": load / total,
        "used_fraction": (load > 0).float().mean(),
        "dropped_tokens": dropped,
        "dropped_fraction": dropped / max(tokens, 1),
        "router_entropy": entropy.detach().float(),
    }


def entropy(p: Tensor, dim: int = -1) -> Tensor:
    """Mean entropy (nats) of the distributions ``p`` along ``dim``."""
    return -(p * p.clamp_min(1e-12).log()).sum(dim).mean()


def trunc_normal_(weight: Tensor, *, scale: float, fan_in: int) -> Tensor:
    """Switch-style init: truncated normal (at 2 std) of std sqrt(scale / fan_in)."""
    std = math.sqrt(scale / fan_in)
    return nn.init.trunc_normal_(weight, 0.0, std, -2 * std, 2 * std)


class FFN(nn.Module, ABC):
    """An FFN kind of :data:`trainer.ffn.FFN_REGISTRY`: how it is built from a model config, what it refuses of
    one, and what one token costs: the parameters its output is computed with and forward FLOPs (two per
    multiply-add, training mode). Each kind keeps these facts itself, so a new kind is its module and one
    registry line."""

    @classmethod
    @abstractmethod
    def from_config(cls, config: ModelConfig) -> FFN:
        """The layer of a sparse block of ``config``."""

    @classmethod
    def check_config(cls, config: ModelConfig) -> None:
        """Refuse, with a ConfigError, a model config this kind cannot be built from (the config's tables
        check their own fields)."""

    @classmethod
    @abstractmethod
    def active_params(cls, config: ModelConfig, *, group_size: int | None = None) -> int:
        """Parameters one token's output is computed with in a sparse block of ``config`` (``group_size``: the
        tokens a layer mixes, for the kinds whose cost is shared across a group)."""

    @abstractmethod
    def flops_per_token(self, *, group_size: int) -> int:
        """Forward FLOPs per token of this layer as it is now (a grown memory costs more)."""


def expert_flops(experts: nn.Module) -> int:
    """FLOPs of one expert MLP ``d -> e -> d`` on one token, from the stacked ``w_in [N, d, e]`` of
    :class:`ExpertMLPs` (or of anything that stacks experts the same way, as a grown layer's groups)."""
    _, d, e = experts.w_in.shape
    return 2 * 2 * d * e


class ExpertMLPs(nn.Module):
    """N independent GELU MLPs ``d -> d_expert -> d`` stored as two stacked tensors."""

    def __init__(self, n_experts: int, d_model: int, d_expert: int, *, dropout: float = 0.0):
        super().__init__()
        self.w_in = nn.Parameter(torch.empty(n_experts, d_model, d_expert))  # [N, d, d_e]
        self.w_out = nn.Parameter(torch.empty(n_experts, d_expert, d_model))  # [N, d_e, d]
        self.dropout = nn.Dropout(dropout)
        nn.init.normal_(self.w_in, 0.0, d_model**-0.5)
        nn.init.normal_(self.w_out, 0.0, d_expert**-0.5)

    @property
    def n_experts(self) -> int:
        return self.w_in.shape[0]

    def expert(self, i: int, x: Tensor) -> Tensor:
        """Expert ``i`` on tokens ``x [M, d]``."""
        h = torch.nn.functional.gelu(x @ self.w_in[i])  # [M, d_e]
        return self.dropout(h) @ self.w_out[i]  # [M, d]

    def extra_repr(self) -> str:
        n, d, de = self.w_in.shape
        return f"experts={n}, d_model={d}, d_expert={de}"
