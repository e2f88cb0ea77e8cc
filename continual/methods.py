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
  Tokens go to the route whose profile makes the window so far likeliest. A corpus of a kind the store
  already knows (its held-out text is predicted by an existing route's profile almost as well as by its own:
  :meth:`Routed.decide`) continues that route instead: the deltas start from the route's, training mixes
  in the route's earlier corpora (rehearsal), the profiles merge, and the route's tokens move to the new
  version, so one domain keeps one route however often it is updated.
- ``grow``: freeze every segment and grow one k-means-keyed segment per layer;
  ``freeze='experts+backbone'`` also freezes every other weight. No routing.
- ``finetune``: everything trainable, no growth: the reference anyone can run.

:data:`METHODS` holds factories, so every store and every study run gets fresh
method objects; a method keeps no state between calls.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import torch

from continual.config import METHOD_NAMES, ContinualConfig
from continual.lora import LoRADeltas
from continual.routed import RoutedModel, peer_blocks
from continual.router import NgramProfile, cross_entropy, merged, profile_windows
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
    heldout: PackedStream | None = None
    """Its held-out windows (what the routed method's merge rule measures closeness on)."""
    route: int | None | str = "auto"
    """For a routing method: 'auto' (the method decides), 'new' (a new route) or the index of the route to
    continue."""


@dataclass(frozen=True)
class RouteDecision:
    """Where a routed ingest puts a new corpus: a new route, or an existing one it continues."""

    route: int
    """Index of the route the corpus trains (a new one's index when ``continues`` is False)."""
    continues: bool
    chosen_by: str
    """'profiles' (the merge rule), '--new-route', '--continue', or 'first' (a store's first corpus)."""
    closeness: dict[int, float] = field(default_factory=dict)
    """Per existing route: how much worse its profile predicts the new corpus's held-out text than the new
    corpus's own profile does (relative cross-entropy; 0 is as well)."""
    rehearse: tuple[str, ...] = ()
    """Earlier corpora of the continued route, whose windows are mixed into training."""
    replay: float = 0.0
    """Fraction of training windows drawn from ``rehearse``."""


class Method(Protocol):
    name: str
    grows: bool
    """Whether each corpus after the first adds a PEER segment per layer."""
    routes: bool
    """Whether tokens are routed to versions at inference."""

    def prepare(self, model: RoutedModel, new: NewCorpus) -> RouteDecision | None:
        """Freeze, grow and add what ``model`` needs before training on ``new``; a routing method says which
        route ``new`` trains."""
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


class Routed:
    """Grow-and-freeze with a frozen backbone after the first corpus, per-route LoRA deltas of rank ``rank`` and
    routing by n-gram profiles (``order``, ``buckets``) of each corpus's first ``profile_windows`` training
    windows. A corpus whose closeness (:class:`RouteDecision`) to a route is at most ``merge`` continues that
    route, rehearsing its earlier corpora as ``replay`` of the windows; ``merge=None`` gives every corpus a new
    route."""

    name, grows, routes = "routed", True, True

    def __init__(self, *, rank: int = 128, order: int = 3, buckets: int = 1 << 18, profile_windows: int = 2048,
                 inherit: bool = True, merge: float | None = 0.35, replay: float = 0.5, probe_windows: int = 256):
        NgramProfile(2, order=order, buckets=buckets)  # checks the profile's settings now, not a corpus later
        if not isinstance(rank, int) or rank < 1:
            raise ConfigError(f"the LoRA rank must be a positive integer, got {rank!r}")
        if profile_windows < 1 or probe_windows < 1:
            raise ConfigError(f"profiles and probes need at least one window, got {profile_windows}, {probe_windows}")
        if merge is not None and merge < 0:
            raise ConfigError(f"the merge threshold is a relative cross-entropy >= 0 (or None), got {merge}")
        if not 0.0 <= replay < 1.0:
            raise ConfigError(f"the rehearsal fraction of a continued route is in [0, 1), got {replay}")
        self.rank, self.order, self.buckets, self.profile_windows = rank, order, buckets, profile_windows
        self.inherit, self.merge, self.replay, self.probe_windows = inherit, merge, replay, probe_windows

    def _profile(self, new: NewCorpus) -> NgramProfile:
        return profile_windows(new.windows, self.profile_windows, new.config.batch_size,
                               new.tokenizer.vocab_size, order=self.order, buckets=self.buckets)

    def decide(self, model: RoutedModel, new: NewCorpus, profile: NgramProfile) -> RouteDecision:
        """The route ``new`` trains: the closest route when its closeness is at most ``merge`` (or the one
        ``new.route`` names), else a new one."""
        if new.first:
            return RouteDecision(0, False, "first")
        closeness = {}
        if new.heldout is not None and new.route == "auto":
            batch = new.config.batch_size
            own = cross_entropy(profile, new.heldout, self.probe_windows, batch)
            closeness = {r: round(cross_entropy(route.profile, new.heldout, self.probe_windows, batch) / own - 1, 4)
                         for r, route in enumerate(model.routes)}
        if new.route == "new":
            return RouteDecision(len(model.routes), False, "--new-route", closeness)
        if isinstance(new.route, int):
            r, chosen_by = new.route, "--continue"
            if not 0 <= r < len(model.routes):
                raise ConfigError(f"route {r} does not exist; the model has {len(model.routes)} routes")
        else:
            r = min(closeness, key=closeness.get) if closeness else None
            if r is None or self.merge is None or closeness[r] > self.merge:
                return RouteDecision(len(model.routes), False, "profiles", closeness)
            chosen_by = "profiles"
        return RouteDecision(r, True, chosen_by, closeness, model.routes[r].learnt(), self.replay)

    def prepare(self, model: RoutedModel, new: NewCorpus) -> RouteDecision:
        if not new.first and not model.routes:
            raise ConfigError("this model has no routes to add to (its versions were not made by 'routed'); "
                              "keep the store's own method")
        profile = self._profile(new)
        decision = self.decide(model, new, profile)
        if new.first:
            model.add_route(new.name, profile)
            return decision
        grow(model, _new_queries(model, new), new.keys, freeze_backbone=True)
        deltas = LoRADeltas.for_model(model.lm, self.rank)
        start = model.route_deltas(decision.route if decision.continues else len(model.routes) - 1)
        if (decision.continues or self.inherit) and start is not None and start.rank == self.rank:
            deltas.load_state_dict(start.state_dict())  # a copy: the older version keeps what it learnt
        if decision.continues:
            model.continue_route(decision.route, new.name, merged(model.routes[decision.route].profile, profile),
                                 deltas)
        else:
            model.add_route(new.name, profile, deltas)
        return decision


METHODS: dict[str, Callable[..., Method]] = {"routed": Routed, "grow": Grow, "finetune": Finetune}
assert tuple(METHODS) == METHOD_NAMES, "the store config names the same methods"
"""Method factories by name: ``METHODS[name](**options)``."""


def make_method(name: str, **options) -> Method:
    """A fresh method ``name`` (one of :data:`METHODS`) with ``options``; a ConfigError for an unknown name."""
    try:
        factory = METHODS[name]
    except KeyError:
        raise ConfigError(f"unknown method {name!r}; choose one of {', '.join(METHODS)}") from None
    return factory(**options)


__all__ = [
    "FREEZE_MODES", "METHODS", "Finetune", "Grow", "Method", "NewCorpus", "RouteDecision", "Routed", "make_method",
]
