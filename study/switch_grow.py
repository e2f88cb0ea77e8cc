"""A growing Switch Transformer (Lifelong-MoE, Chen et al. 2023): before every corpus but the first,
append experts and router rows to every Switch layer, freeze everything else.

The parallel of ``peer-grow`` for a classic mixture. A grown :class:`~trainer.ffn.switch.SwitchFFN`
keeps its forward unchanged; its router and experts are swapped for block-stored equivalents:

- :class:`RouterBlocks`: the router's weight is the concatenation of row blocks, one per growth,
  so the old rows are separate (frozen) parameters and the new rows a trainable one. Masking the
  gradient rows of a single matrix would not do: AdamW's decoupled weight decay moves every row;
- :class:`ExpertGroups`: expert MLPs stored as one :class:`~trainer.ffn.base.ExpertMLPs` per growth.

Frozen means ``requires_grad=False``: no gradient, no optimizer state, no decay.

Initialisation of what is grown:

- new experts: Switch's own (truncated normal of std sqrt(init_scale / fan_in)), as a fresh layer;
- new router rows: spherical k-means centroids of the new corpus's inputs to that layer (a few
  batches of its training windows), rescaled to the old rows' mean norm. The new corpus's tokens
  then score high on the new rows from the first step, and no new row outshouts the old ones on
  length alone. Equal rows (e.g. all the corpus mean)
  would tie and top-1 routing would send every token to the first of them.

Capacity: a Switch expert takes ``tokens / N * capacity_factor`` tokens. Growing N would shrink
every expert's capacity, and old corpora would be evaluated with more dropped tokens although not
one old weight moved. Both capacity factors are scaled by ``N_after / N_before`` instead, so each
expert keeps the capacity it had, and ``config.n_experts`` stays the layer's expert count (the
model's config too, so parameter counts include the grown router).
"""

from __future__ import annotations

import abc
import dataclasses
from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torch.utils.data import IterableDataset

from peer_store.errors import ConfigError
from trainer.ffn_config import MoEConfig
from continual.routed import RoutedModel
from continual.training import capture_inputs, heldout_loads, train_windows
from trainer.data import Corpus, Tokenizer
from trainer.ffn.base import ExpertMLPs, trunc_normal_
from trainer.ffn.switch import SwitchFFN
from trainer.model import LanguageModel

if TYPE_CHECKING:
    from continual.config import ContinualConfig
    from study.policies import Stage

Usage = dict[int, list[float]]
"""Sparse block index -> share of a corpus's tokens processed by each growth's experts."""


class RouterBlocks(nn.Module):
    """A bias-free linear map ``d -> N`` whose weight rows are stored in blocks (one per growth)."""

    def __init__(self, blocks: list[nn.Parameter]):
        super().__init__()
        self.blocks = nn.ParameterList(blocks)

    @property
    def weight(self) -> Tensor:
        return torch.cat(list(self.blocks), 0)  # [N, d]

    def forward(self, x: Tensor) -> Tensor:
        return F.linear(x, self.weight)


class ExpertGroups(nn.Module):
    """Expert MLPs stored as groups (one per growth); expert ids run through the groups in order."""

    def __init__(self, groups: list[ExpertMLPs]):
        super().__init__()
        self.groups = nn.ModuleList(groups)

    @property
    def n_experts(self) -> int:
        return sum(g.n_experts for g in self.groups)

    @property
    def offsets(self) -> list[int]:
        out, total = [], 0
        for g in self.groups:
            out.append(total)
            total += g.n_experts
        return out

    @property
    def w_in(self) -> Tensor:
        return torch.cat([g.w_in for g in self.groups], 0)  # [N, d, d_e]

    @property
    def w_out(self) -> Tensor:
        return torch.cat([g.w_out for g in self.groups], 0)  # [N, d_e, d]

    def expert(self, i: int, x: Tensor) -> Tensor:
        """Expert ``i`` on tokens ``x [M, d]``."""
        for offset, g in zip(reversed(self.offsets), reversed(self.groups)):
            if i >= offset:
                return g.expert(i - offset, x)
        raise IndexError(f"expert {i} of {self.n_experts}")


def expert_groups(ffn: SwitchFFN) -> ExpertGroups:
    """The layer's experts as groups, converting an ungrown layer in place (same parameters)."""
    if not isinstance(ffn.experts, ExpertGroups):
        ffn.experts = ExpertGroups([ffn.experts])
        ffn.router = RouterBlocks([ffn.router.weight])
    return ffn.experts


def grow_switch(ffn: SwitchFFN, router_rows: Tensor) -> list[nn.Parameter]:
    """Append ``len(router_rows)`` experts (Switch init) with those router rows ``[n_new, d]``; the new
    parameters. Every expert keeps its capacity (see the module docstring)."""
    groups = expert_groups(ffn)
    c = ffn.config
    n_old, n_new = groups.n_experts, router_rows.shape[0]
    old = groups.groups[0]
    d_model, d_expert = old.w_in.shape[1:]
    assert router_rows.shape == (n_new, d_model), router_rows.shape
    experts = ExpertMLPs(n_new, d_model, d_expert, dropout=c.expert_dropout)
    with torch.no_grad():
        for i in range(n_new):
            trunc_normal_(experts.w_in[i], scale=c.init_scale, fan_in=d_model)
            trunc_normal_(experts.w_out[i], scale=c.init_scale, fan_in=d_expert)
    experts.to(old.w_in.device, old.w_in.dtype)
    rows = nn.Parameter(router_rows.detach().clone().to(old.w_in.device, old.w_in.dtype))
    groups.groups.append(experts)
    ffn.router.blocks.append(rows)
    ffn.config = grown_config(c, n_old + n_new)
    return [rows, *experts.parameters()]


def grown_config(c: MoEConfig, n_experts: int) -> MoEConfig:
    """``c`` for ``n_experts`` experts, each with the capacity it had under ``c``."""
    scale = n_experts / c.n_experts
    return dataclasses.replace(c, n_experts=n_experts, capacity_factor_train=c.capacity_factor_train * scale,
                               capacity_factor_eval=c.capacity_factor_eval * scale)


def mixture_layers(model: LanguageModel, layer: type[nn.Module]) -> list[tuple[int, nn.Module]]:
    """``(block index, FFN)`` of every block whose FFN is a ``layer``, in order."""
    return [(i, block.ffn) for i, block in enumerate(model.blocks) if isinstance(block.ffn, layer)]


def switch_layers(model: LanguageModel) -> list[tuple[int, SwitchFFN]]:
    """``(block index, SwitchFFN)`` of every Switch block, in order."""
    return mixture_layers(model, SwitchFFN)


@torch.no_grad()
def ffn_inputs(model: RoutedModel, windows: IterableDataset, batches: int, batch_size: int,
               blocks: list[int]) -> dict[int, Tensor]:
    """The inputs ``[T, d]`` of the FFNs of ``blocks`` on a few batches of ``windows``."""
    return capture_inputs(model, {i: model.lm.blocks[i].ffn for i in blocks}, windows, batches, batch_size)


@torch.no_grad()
def spherical_kmeans(x: Tensor, k: int, *, iters: int = 20, seed: int = 0) -> Tensor:
    """Unit centroids ``[k, d]`` of the directions of ``x [M, d]`` (cosine k-means, seeded)."""
    if x.shape[0] < k:
        raise ConfigError(f"k-means of {k} router rows needs at least {k} tokens, got {x.shape[0]}; "
                          "raise kmeans_batches or grow fewer experts")
    u = F.normalize(x.float(), dim=1)  # [M, d]
    gen = torch.Generator().manual_seed(seed)
    centroids = u[torch.randperm(u.shape[0], generator=gen)[:k].to(u.device)]  # [k, d]
    for _ in range(iters):
        assign = (u @ centroids.T).argmax(1)  # [M]
        sums = torch.zeros_like(centroids).index_add_(0, assign, u)  # [k, d]
        filled = torch.bincount(assign, minlength=k) > 0  # [k]; an empty cluster keeps its centroid
        centroids = torch.where(filled.unsqueeze(1), F.normalize(sums, dim=1), centroids)
    return centroids.to(x.dtype)


def kmeans_router_rows(old_rows: Tensor, inputs: Tensor, n_new: int, seed: int) -> Tensor:
    """New router rows ``[n_new, d]``: k-means directions of the new corpus's inputs at the mean norm of
    ``old_rows [N, d]``."""
    norm = old_rows.detach().norm(dim=1).mean()
    return spherical_kmeans(inputs, n_new, seed=seed) * norm


class GrowExperts(abc.ABC):
    """Before every corpus but the first: grow every layer of one mixture kind by ``n_new`` units (new parameters,
    from the new corpus's inputs to the layer) and freeze every other weight. ``n_new`` None: the model's initial
    count of those units, so the layer grows by a first model's worth per corpus (linear growth, as
    ``peer-grow`` adds a segment of its first one's size). A kind says what its layers are and how one grows."""

    grows, sequential = False, True  # ``grows`` means PEER segments (usage by segment): not these
    layer: type[nn.Module]
    ffn: str
    """The layer class and its FFN kind (the registry key)."""

    def __init__(self, *, n_new: int | None = None):
        if n_new is not None and (not isinstance(n_new, int) or n_new < 1):
            raise ConfigError(f"n_new must be a positive integer, got {n_new!r}")
        self.n_new = n_new

    @abc.abstractmethod
    def initial(self, moe: MoEConfig) -> int:
        """The default ``n_new`` for a model whose first MoE config is ``moe``."""

    @abc.abstractmethod
    def grow(self, ffn: nn.Module, inputs: Tensor, n_new: int, seed: int) -> list[nn.Parameter]:
        """Grow ``ffn`` by ``n_new`` units from the new corpus's inputs ``[T, d]`` to it; the new parameters."""

    def prepare(self, model: RoutedModel, stage: Stage) -> None:
        if stage.index == 0:
            return
        layers = mixture_layers(model.lm, self.layer)
        if not layers:
            raise ConfigError(f"a growing {self.ffn} recipe needs {self.layer.__name__} layers; the model has none "
                              f"(model.ffn must be {self.ffn!r})")
        c = stage.config
        n_new = self.n_new or self.initial(c.model.moe)
        windows = train_windows(stage.corpora[stage.index], stage.tokenizer, c, seed=c.seed + stage.index)
        inputs = ffn_inputs(model, windows, c.kmeans_batches, c.batch_size, [i for i, _ in layers])
        new: set[int] = set()
        for i, ffn in layers:
            new.update(id(p) for p in self.grow(ffn, inputs[i], n_new, seed=c.seed + i))
        for p in model.parameters():
            p.requires_grad_(id(p) in new)
        model.lm.config = dataclasses.replace(model.lm.config, moe=layers[0][1].config)

    def windows(self, stage: Stage) -> IterableDataset:
        return stage.streams[stage.index]


class GrowSwitch(GrowExperts):
    """Append ``n_new`` experts and router rows (k-means router rows) to every Switch layer per corpus."""

    layer, ffn = SwitchFFN, "switch"

    def initial(self, moe: MoEConfig) -> int:
        return moe.n_experts

    def grow(self, ffn: SwitchFFN, inputs: Tensor, n_new: int, seed: int) -> list[nn.Parameter]:
        return grow_switch(ffn, kmeans_router_rows(ffn.router.weight, inputs, n_new, seed))


def group_usage(model: RoutedModel, corpus: Corpus, tokenizer: Tokenizer, config: ContinualConfig) -> Usage:
    """Per Switch block, the share of ``corpus``'s held-out tokens (those not dropped) processed by
    each growth's experts (group 0: the first model's), from the layers' ``load`` statistics.
    Intrusion of a corpus learnt at stage t is its share in the groups after t."""
    layers = switch_layers(model.lm)
    _, loads = heldout_loads(model, [i for i, _ in layers], corpus, tokenizer, config)
    usage: Usage = {}
    for i, ffn in layers:  # loads[i]: [N] share of kept tokens per expert
        groups = ffn.experts.groups if isinstance(ffn.experts, ExpertGroups) else [ffn.experts]
        offsets = ffn.experts.offsets if isinstance(ffn.experts, ExpertGroups) else [0]
        usage[i] = [float(loads[i][o: o + g.n_experts].sum()) for o, g in zip(offsets, groups)]
    return usage


__all__ = ["ExpertGroups", "GrowExperts", "GrowSwitch", "RouterBlocks", "Usage", "expert_groups", "ffn_inputs",
           "group_usage", "grow_switch", "grown_config", "kmeans_router_rows", "mixture_layers", "spherical_kmeans",
           "switch_layers"]
