"""``routed`` (the default of new stores): the first corpus trains the whole model; every later one freezes
everything, grows one k-means-keyed PEER segment per layer and rank-``rank`` deltas of the attention projections,
the dense FFNs, the LM head and the embedding, and adds a route with its corpus's n-gram profile. Tokens go to
the route whose profile makes the window so far likeliest.

A corpus of a kind the store already knows (its n-gram profile's bigram statistics close to an existing
route's: :meth:`Routed.decide`) continues that route instead: the deltas start from the
route's, training rehearses the route's earlier corpora, the profiles merge, and the route's tokens move to
the new version, so one domain keeps one route however often it is updated.

What it persists is the routed model itself: segments, backbone, and per route a profile and deltas
(:mod:`continual.versions`).
"""

from __future__ import annotations

from dataclasses import dataclass

from continual.lora import LoRADeltas
from continual.methods.base import Method, MethodOptions, NewCorpus, RouteDecision
from continual.methods.grow import new_corpus_queries
from continual.routed import RoutedModel
from continual.router import NgramProfile, divergence, merged, profile_windows
from continual.training import grow
from peer_store.errors import ConfigError


MAX_RANK = 4096
"""Widest LoRA deltas a route may have (a low-rank delta; the widest preset model is 256 wide)."""
MAX_PROFILE_COUNTS = 1 << 24
"""Most hashed counts per table of a route's profile (order x buckets): 128 MiB of counts per route."""
MAX_PROFILE_WINDOWS = 1 << 16
"""Most training windows a profile counts (the stream repeats: more only counts the corpus again)."""


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
    """Whether a new route's deltas start from the previous route's (same rank), not from zero."""
    merge: bool = True
    """Whether a corpus of a kind a route knows continues that route (else every corpus gets a new route)."""
    merge_at: float = 0.09
    """Divergence (Jensen-Shannon, nats, of the bigram statistics of the corpus's profile and a route's) at or
    below which the corpus continues that route."""
    rehearse: float = 0.5
    """Fraction of a continued route's training windows drawn from its earlier corpora."""

    def check(self) -> None:
        NgramProfile.check_settings(order=self.order, buckets=self.buckets)  # now, not a corpus later
        if self.order * self.buckets > MAX_PROFILE_COUNTS:
            raise ConfigError(f"an n-gram profile of order {self.order} with {self.buckets} buckets would hold "
                              f"{2 * self.order * self.buckets:,} counts per route (at most {2 * MAX_PROFILE_COUNTS:,}); "
                              "lower method option order or buckets")
        if not 1 <= self.rank <= MAX_RANK:
            raise ConfigError(f"method option rank (of the LoRA deltas) must be 1 to {MAX_RANK}, got {self.rank}")
        if not 1 <= self.profile_windows <= MAX_PROFILE_WINDOWS:
            raise ConfigError(f"method option profile_windows must be 1 to {MAX_PROFILE_WINDOWS} (a profile needs at "
                              f"least one window), got {self.profile_windows}")
        if not 0.0 <= self.rehearse < 1.0:
            raise ConfigError(f"method option rehearse is a fraction of windows in [0, 1), got {self.rehearse}")
        if self.merge_at < 0:
            raise ConfigError(f"method option merge_at is a divergence, at least 0; got {self.merge_at}")


class Routed(Method):
    """Grow-and-freeze with a frozen backbone after the first corpus, per-route LoRA deltas of rank ``rank`` and
    routing by n-gram profiles (``order``, ``buckets``) of each corpus's first ``profile_windows`` training
    windows. A corpus whose profile's divergence from a route's is at most ``merge_at`` continues that route,
    rehearsing its earlier corpora as ``rehearse`` of the windows."""

    name, grows, routes = "routed", True, True
    options_type = RoutedOptions
    options: RoutedOptions

    def decide(self, model: RoutedModel, new: NewCorpus, profile: NgramProfile) -> RouteDecision:
        """The route ``new`` trains: the nearest route when its divergence is at most ``merge_at`` (or the one
        ``new.route`` names), else a new one."""
        o = self.options
        if new.first:
            return RouteDecision(0, False, "first")
        apart = {r: round(divergence(route.profile, profile), 4) for r, route in enumerate(model.routes)}
        if new.route == "new":
            return RouteDecision(len(model.routes), False, "--new-route", apart)
        if isinstance(new.route, int):
            r, chosen_by = new.route, "--continue"
            if not 0 <= r < len(model.routes):
                raise ConfigError(f"route {r} does not exist; the model has {len(model.routes)} routes")
        else:
            r = min(apart, key=apart.get)
            if not o.merge or apart[r] > o.merge_at:
                return RouteDecision(len(model.routes), False, "profiles", apart)
            chosen_by = "profiles"
        return RouteDecision(r, True, chosen_by, apart, model.routes[r].learnt(), o.rehearse)

    def prepare(self, model: RoutedModel, new: NewCorpus) -> RouteDecision:
        if not new.first and not model.routes:
            raise ConfigError("this model has no routes to add to (its versions were not made by 'routed'); "
                              "keep the store's own method")
        o = self.options
        profile = profile_windows(new.windows, o.profile_windows, new.config.batch_size,
                                  new.tokenizer.vocab_size, order=o.order, buckets=o.buckets)
        decision = self.decide(model, new, profile)
        if new.first:
            model.add_route(new.name, profile)
            return decision
        grow(model, new_corpus_queries(model, new), new.keys, freeze_backbone=True)
        deltas = LoRADeltas.for_model(model.lm, o.rank)
        start = model.route_deltas(decision.route if decision.continues else len(model.routes) - 1)
        if (decision.continues or o.inherit) and start is not None and start.rank == o.rank:
            deltas.load_state_dict(start.state_dict())  # a copy: the older version keeps what it learnt
        if decision.continues:
            model.continue_route(decision.route, new.name, merged(model.routes[decision.route].profile, profile),
                                 deltas)
        else:
            model.add_route(new.name, profile, deltas)
        return decision

    def describe(self, model: RoutedModel) -> str:
        return f"route {len(model.routes)} of {len(model.routes)}: deltas on the frozen backbone, n-gram profile"
