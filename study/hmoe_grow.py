"""A growing hierarchical MoE: before every corpus but the first, append groups to every hierarchical MoE layer
(:class:`~trainer.ffn.hmoe.HierarchicalMoEFFN`) and freeze everything else: old groups' experts, their primary
gate rows, their secondary gates, every noise row, and the backbone.

The parallel of ``switch-grow`` (:mod:`study.switch_grow`), whose storage it reuses: each gate's weight becomes
a :class:`~study.switch_grow.RouterBlocks` (one row block per growth, so frozen rows are separate parameters
that AdamW's decay cannot move) and the experts an :class:`~study.switch_grow.ExpertGroups`. A grown layer keeps
its forward unchanged: group i's secondary gate rows and experts stay ``i*b:(i+1)*b`` of the concatenations.

Initialisation of what is grown:

- new primary gate rows: spherical k-means centroids of the new corpus's inputs to that layer, at the old rows'
  mean norm (as ``switch-grow``'s router rows), so the new corpus's tokens reach the new groups from the first
  step;
- new secondary gates and noise rows: zeros, and new experts: a fresh layer's (inside a new group the experts
  start uniform, and noise breaks the ties, as in a fresh layer).
"""

from __future__ import annotations

import dataclasses

import torch
from torch import Tensor, nn

from study.switch_grow import ExpertGroups, GrowExperts, RouterBlocks, kmeans_router_rows
from trainer.ffn_config import MoEConfig
from trainer.ffn.base import ExpertMLPs
from trainer.ffn.hmoe import HierarchicalMoEFFN

GATES = ("w_gate", "w_noise", "w_group_gate", "w_group_noise")
"""The layer's gate and noise linears (the noise ones are None in a layer without noise)."""


def hmoe_blocks(ffn: HierarchicalMoEFFN) -> ExpertGroups:
    """The layer's experts as groups and its gates as row blocks, converting an ungrown layer in place (same
    parameters)."""
    if not isinstance(ffn.experts, ExpertGroups):
        ffn.experts = ExpertGroups([ffn.experts])
        for name in GATES:
            gate = getattr(ffn, name)
            if gate is not None:
                setattr(ffn, name, RouterBlocks([gate.weight]))
    return ffn.experts


def grow_hmoe(ffn: HierarchicalMoEFFN, group_rows: Tensor) -> list[nn.Parameter]:
    """Append ``len(group_rows)`` groups of the layer's group size, with those primary gate rows ``[n_new, d]``;
    the new parameters."""
    experts = hmoe_blocks(ffn)
    c = ffn.config
    n_new, b = group_rows.shape[0], c.experts_per_group
    old = experts.groups[0]
    d_model, d_expert = old.w_in.shape[1:]
    assert group_rows.shape == (n_new, d_model), group_rows.shape
    like = dict(device=old.w_in.device, dtype=old.w_in.dtype)
    rows = {"w_gate": group_rows.detach().clone().to(**like), "w_noise": torch.zeros(n_new, d_model, **like),
            "w_group_gate": torch.zeros(n_new * b, d_model, **like),
            "w_group_noise": torch.zeros(n_new * b, d_model, **like)}
    new = []
    for name in GATES:
        if getattr(ffn, name) is not None:
            new.append(nn.Parameter(rows[name]))
            getattr(ffn, name).blocks.append(new[-1])
    grown = ExpertMLPs(n_new * b, d_model, d_expert).to(**like)
    experts.groups.append(grown)
    ffn.config = grown_hmoe_config(c, c.n_groups + n_new)
    return [*new, *grown.parameters()]


def grown_hmoe_config(c: MoEConfig, n_groups: int) -> MoEConfig:
    """``c`` with ``n_groups`` groups of its group size."""
    return dataclasses.replace(c, n_groups=n_groups, n_experts=n_groups * c.experts_per_group)


class GrowHMoE(GrowExperts):
    """Append ``n_new`` groups (k-means primary gate rows) to every hierarchical MoE layer per corpus; ``n_new``
    None: as many as the first model has."""

    layer, ffn = HierarchicalMoEFFN, "hmoe"

    def initial(self, moe: MoEConfig) -> int:
        return moe.n_groups

    def grow(self, ffn: HierarchicalMoEFFN, inputs: Tensor, n_new: int, seed: int) -> list[nn.Parameter]:
        return grow_hmoe(ffn, kmeans_router_rows(ffn.w_gate.weight, inputs, n_new, seed))


__all__ = ["GATES", "GrowHMoE", "grow_hmoe", "grown_hmoe_config", "hmoe_blocks"]
