"""``routed`` (the default of new stores): the first corpus trains the whole model; every later one freezes
everything, grows one k-means-keyed PEER segment per layer and rank-``rank`` deltas of the attention projections,
the dense FFNs, the LM head and the embedding, and adds a route with its corpus's n-gram profile. Tokens go to
the route whose profile makes the window so far likeliest.

What it persists is the routed model itself: segments, backbone, and per route a profile and deltas
(:mod:`continual.versions`).
"""

from __future__ import annotations

from dataclasses import dataclass

from continual.lora import LoRADeltas
from continual.methods.base import Method, MethodOptions, NewCorpus
from continual.methods.grow import new_corpus_queries
from continual.routed import RoutedModel
from continual.router import NgramProfile, profile_windows
from continual.training import grow
from peer_store.errors import ConfigError


@dataclass(frozen=True)
class RoutedOptions(MethodOptions):
    rank: int = 128
    """Rank of each route's LoRA deltas."""
    order: int = 3
    """N-gram order of the routing profiles."""
    buckets: int = 1 << 18
    """Hash buckets of a profile's n-gram counts."""
    profile_windows: int = 2048
    """Training windows of a corpus its profile counts."""
    inherit: bool = True
    """Whether a route's deltas start from the previous route's (same rank), not from zero."""

    def check(self) -> None:
        NgramProfile(2, order=self.order, buckets=self.buckets)  # checks the profile's settings now, not a corpus later
        if self.rank < 1:
            raise ConfigError(f"method option rank (of the LoRA deltas) must be at least 1, got {self.rank}")
        if self.profile_windows < 1:
            raise ConfigError(f"method option profile_windows must be at least 1 (a profile needs at least one window), "
                              f"got {self.profile_windows}")


class Routed(Method):
    """Grow-and-freeze with a frozen backbone after the first corpus, per-corpus LoRA deltas of rank ``rank`` and
    routing by n-gram profiles (``order``, ``buckets``) of each corpus's first ``profile_windows`` training
    windows."""

    name, grows, routes = "routed", True, True
    options_type = RoutedOptions
    options: RoutedOptions

    def prepare(self, model: RoutedModel, new: NewCorpus) -> None:
        if not new.first and not model.routes:
            raise ConfigError("this model has no routes to add to (its versions were not made by 'routed'); "
                              "keep the store's own method")
        o = self.options
        profile = profile_windows(new.windows, o.profile_windows, new.config.batch_size,
                                  new.tokenizer.vocab_size, order=o.order, buckets=o.buckets)
        if new.first:
            model.add_route(new.name, profile)
            return
        grow(model, new_corpus_queries(model, new), new.keys, freeze_backbone=True)
        deltas = LoRADeltas.for_model(model.lm, o.rank)
        previous = model.route_deltas(len(model.routes) - 1)
        if o.inherit and previous is not None and previous.rank == o.rank:
            deltas.load_state_dict(previous.state_dict())  # a copy: the previous route stays as it was learnt
        model.add_route(new.name, profile, deltas)

    def describe(self, model: RoutedModel) -> str:
        return f"route {len(model.routes)} of {len(model.routes)}: deltas on the frozen backbone, n-gram profile"
