"""Growth methods: how a new version is made from the current one, the same for ``peer ingest`` and the study.

A method says what freezes, what grows and what trains before a new corpus is
learnt (:meth:`Method.prepare` on a :class:`continual.routed.RoutedModel`), and
through the routes it adds, how a token is routed at inference. What it
persists is the routed model itself: segments, backbone, and per route a
profile and deltas (:mod:`continual.versions`).

- ``routed`` (the default of new stores): the first corpus trains the whole
  model; every later one freezes everything, grows one k-means-keyed PEER
  segment per layer and rank-``rank`` deltas of the attention projections, the
  dense FFNs, the LM head and the embedding, and adds a route with its corpus's n-gram profile.
  Tokens go to the route whose profile makes the window so far likeliest.
- ``grow``: freeze every segment and grow one k-means-keyed segment per layer;
  ``freeze='experts+backbone'`` also freezes every other weight. No routing.
- ``finetune``: everything trainable, no growth: the reference anyone can run.
- ``lora``: PEFT's LoRA on every attention and MLP projection, trained corpus after corpus with no routing
  and merged into the weights once the corpus is learnt (the next corpus gets fresh adapters): what a user of
  a pretrained model tries first.

After training, :meth:`Method.settle` folds into the model what only training needed (LoRA adapters), so what
is written is a plain model.

:data:`METHODS` holds factories, so every store and every study run gets fresh
method objects; a method keeps no state between calls.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import torch

from continual.config import METHOD_NAMES, ContinualConfig
from continual.lora import LoRADeltas
from continual.routed import RoutedModel, peer_blocks
from continual.router import NgramProfile, profile_windows
from continual.training import corpus_queries, grow
from peer_store.errors import ConfigError
from trainer.data import PackedStream, Tokenizer

FREEZE_MODES = ("experts", "experts+backbone")
"""What a ``grow`` ingest freezes: every existing segment ('experts'), or those and every weight that is not a
new segment ('experts+backbone': embeddings, attention, dense FFNs, query networks, norms)."""


@dataclass
class NewCorpus:
    """What a method sees before a corpus is learnt."""

    name: str
    windows: PackedStream
    """Its training windows (seeded; iterating again starts again)."""
    tokenizer: Tokenizer
    config: ContinualConfig
    keys: int
    """Sub-keys per half of a new segment."""
    first: bool
    """Whether it is the first corpus the model learns (a store's first version, a stream's first stage)."""


class Method(Protocol):
    name: str
    grows: bool
    """Whether each corpus after the first adds a PEER segment per layer."""
    routes: bool
    """Whether tokens are routed to versions at inference."""

    def prepare(self, model: RoutedModel, new: NewCorpus) -> None:
        """Freeze, grow and add what ``model`` needs before training on ``new``."""
        ...

    def settle(self, model: RoutedModel) -> None:
        """Fold into ``model`` what only training needed, once the corpus is learnt."""
        ...


def _new_queries(model: RoutedModel, new: NewCorpus) -> dict[int, torch.Tensor]:
    if not peer_blocks(model.lm):
        raise ConfigError("a growing method needs PEER layers; the model has none (model.ffn must be 'peer')")
    return corpus_queries(model, new.windows, new.config.kmeans_batches, new.config.batch_size)


class Finetune:
    """Everything trainable, no growth: train on the new corpus."""

    name, grows, routes = "finetune", False, False

    def prepare(self, model: RoutedModel, new: NewCorpus) -> None:
        """Nothing changes between corpora."""

    def settle(self, model: RoutedModel) -> None:
        """Nothing to fold."""


class Lora:
    """PEFT's LoRA (rank ``rank``, scale ``alpha / rank``) on every attention and MLP projection of the model
    (``model.lm.adapted_modules()``); only the adapters train, and they are merged into the weights after the
    corpus. The first corpus of a built-in store trains everything (there are no weights to adapt yet)."""

    name, grows, routes = "lora", False, False

    def __init__(self, *, rank: int = 8, alpha: float = 16.0):
        if not isinstance(rank, int) or isinstance(rank, bool) or rank < 1:
            raise ConfigError(f"the LoRA rank must be a positive integer, got {rank!r}")
        self.rank, self.alpha = rank, alpha

    def prepare(self, model: RoutedModel, new: NewCorpus) -> None:
        if new.first:
            return
        from peft import LoraConfig, inject_adapter_in_model

        model.requires_grad_(False)
        config = LoraConfig(r=self.rank, lora_alpha=self.alpha, target_modules=model.lm.adapted_modules(),
                            lora_dropout=0.0)
        with warnings.catch_warnings():  # GPT-2's Conv1D: PEFT sets fan_in_fan_out itself, and says so
            warnings.filterwarnings("ignore", message=".*fan_in_fan_out.*")
            inject_adapter_in_model(config, model.lm)
        for name, p in model.named_parameters():
            p.requires_grad_("lora_" in name)

    def settle(self, model: RoutedModel) -> None:
        """Merge every adapter into its layer and put the plain layer back; everything is trainable again."""
        from peft.tuners.lora import LoraLayer

        modules = dict(model.lm.named_modules())
        for name, module in list(modules.items()):
            if isinstance(module, LoraLayer):
                module.merge()
                parent, _, child = name.rpartition(".")
                setattr(modules[parent] if parent else model.lm, child, module.get_base_layer())
        model.requires_grad_(True)


class Grow:
    """Before every corpus but the first: freeze every segment and grow one per PEER layer, keys from k-means over
    the new corpus's queries; ``freeze='experts+backbone'`` also freezes every other weight."""

    name, grows, routes = "grow", True, False

    def __init__(self, *, freeze: str = "experts"):
        if freeze not in FREEZE_MODES:
            raise ConfigError(f"--freeze must be one of {', '.join(FREEZE_MODES)}; got {freeze!r}")
        self.freeze = freeze

    def prepare(self, model: RoutedModel, new: NewCorpus) -> None:
        if new.first:
            return
        grow(model, _new_queries(model, new), new.keys, freeze_backbone=self.freeze == "experts+backbone")

    def settle(self, model: RoutedModel) -> None:
        """Nothing to fold."""


class Routed:
    """Grow-and-freeze with a frozen backbone after the first corpus, per-corpus LoRA deltas of rank ``rank`` and
    routing by n-gram profiles (``order``, ``buckets``) of each corpus's first ``profile_windows`` training
    windows."""

    name, grows, routes = "routed", True, True

    def __init__(self, *, rank: int = 128, order: int = 3, buckets: int = 1 << 18, profile_windows: int = 2048,
                 inherit: bool = True):
        NgramProfile(2, order=order, buckets=buckets)  # checks the profile's settings now, not a corpus later
        if not isinstance(rank, int) or rank < 1:
            raise ConfigError(f"the LoRA rank must be a positive integer, got {rank!r}")
        if profile_windows < 1:
            raise ConfigError(f"an n-gram profile needs at least one window, got {profile_windows}")
        self.rank, self.order, self.buckets, self.profile_windows = rank, order, buckets, profile_windows
        self.inherit = inherit

    def prepare(self, model: RoutedModel, new: NewCorpus) -> None:
        if not new.first and not model.routes:
            raise ConfigError("this model has no routes to add to (its versions were not made by 'routed'); "
                              "keep the store's own method")
        profile = profile_windows(new.windows, self.profile_windows, new.config.batch_size,
                                  new.tokenizer.vocab_size, order=self.order, buckets=self.buckets)
        if new.first:
            model.add_route(new.name, profile)
            return
        grow(model, _new_queries(model, new), new.keys, freeze_backbone=True)
        deltas = LoRADeltas.for_model(model.lm, self.rank)
        previous = model.route_deltas(len(model.routes) - 1)
        if self.inherit and previous is not None and previous.rank == self.rank:
            deltas.load_state_dict(previous.state_dict())  # a copy: the previous route stays as it was learnt
        model.add_route(new.name, profile, deltas)

    def settle(self, model: RoutedModel) -> None:
        """Nothing to fold: the deltas stay apart, per route."""


METHODS: dict[str, Callable[..., Method]] = {"routed": Routed, "grow": Grow, "finetune": Finetune, "lora": Lora}
assert tuple(METHODS) == METHOD_NAMES, "the store config names the same methods"
"""Method factories by name: ``METHODS[name](**options)``."""


def make_method(name: str, **options) -> Method:
    """A fresh method ``name`` (one of :data:`METHODS`) with ``options``; a ConfigError for an unknown name."""
    try:
        factory = METHODS[name]
    except KeyError:
        raise ConfigError(f"unknown method {name!r}; choose one of {', '.join(METHODS)}") from None
    return factory(**options)


__all__ = ["FREEZE_MODES", "METHODS", "Finetune", "Grow", "Lora", "Method", "NewCorpus", "Routed", "make_method"]
