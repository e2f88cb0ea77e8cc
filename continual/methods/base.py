"""What every growth method is: a name, an options dataclass and a behaviour (:meth:`Method.prepare`).

The options are saved with what they made: ``peer init`` records the store's
method and its options in the store's config (``ContinualConfig.method_options``),
and each ingest records the options it ran with, so a store can say how it was
made. This module imports no torch, so the CLI can name methods cheaply.
"""

from __future__ import annotations

import typing
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, field, fields
from typing import TYPE_CHECKING, Any, ClassVar

from peer_store.config import check_known_fields
from peer_store.errors import ConfigError

if TYPE_CHECKING:
    from continual.config import ContinualConfig
    from continual.routed import RoutedModel
    from trainer.data import PackedStream, Tokenizer


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
    route: int | str = "auto"
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
    divergence: dict[int, float] = field(default_factory=dict)
    """Per existing route: Jensen-Shannon divergence of its profile's bigram statistics from the new corpus's
    (:func:`continual.router.divergence`; 0: the same statistics)."""
    rehearse: tuple[str, ...] = ()
    """Earlier corpora of the continued route, whose windows are mixed into training."""
    replay: float = 0.0
    """Fraction of training windows drawn from ``rehearse``."""


_PLAIN = (bool, int, float, str)


@dataclass(frozen=True)
class MethodOptions:
    """The options of a method: a frozen dataclass of plain fields (bool, int, float, str) with defaults.

    A value of the wrong type is refused here, whatever the subclass; a subclass checks its values' ranges in
    :meth:`check`. Options are JSON-serialisable, as the store's config holds them."""

    def __post_init__(self) -> None:
        hints = typing.get_type_hints(type(self))
        for f in fields(self):
            expected, value = hints[f.name], getattr(self, f.name)
            assert expected in _PLAIN, f"{type(self).__name__}.{f.name}: options are bool, int, float or str"
            wrong = isinstance(value, bool) != (expected is bool) or not isinstance(
                value, (int, float) if expected is float else expected)
            if wrong:
                raise ConfigError(f"method option {f.name} must be {expected.__name__}, got {value!r}")
        self.check()

    def check(self) -> None:
        """Refuse values out of range with a ConfigError naming the option (fields are already the right type)."""

    @classmethod
    def from_dict(cls, data: dict[str, Any], method: str) -> MethodOptions:
        """Options of ``method`` from a table of fields (a config file, the store's config, ``--method-option``)."""
        if not isinstance(data, dict):
            raise ConfigError(f"the options of method {method!r} must be a table of fields, got {data!r}")
        check_known_fields(cls, data, f"method {method!r} option")
        return cls(**data)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Method(ABC):
    """A growth method: what freezes, grows and trains before a new corpus is learnt, and whether tokens are
    routed at inference. A method keeps no state between calls; its options are fixed when it is made."""

    name: ClassVar[str]
    options_type: ClassVar[type[MethodOptions]] = MethodOptions
    grows: ClassVar[bool]
    """Whether each corpus after the first adds a PEER segment per layer."""
    routes: ClassVar[bool]
    """Whether tokens are routed to versions at inference."""

    def __init__(self, **options: Any):
        self.options = self.options_type.from_dict(options, self.name)

    @abstractmethod
    def prepare(self, model: RoutedModel, new: NewCorpus) -> RouteDecision | None:
        """Freeze, grow and add what ``model`` needs before training on ``new``; a routing method says which
        route ``new`` trains."""

    def settle(self, model: RoutedModel) -> None:
        """Fold into ``model`` what only training needed once the corpus is learnt (LoRA adapters), so that what
        is written is a plain model; most methods have nothing to fold."""

    def describe(self, model: RoutedModel) -> str:
        """What a version adds to its parent besides new segments, for the ingest's first line ('' for nothing)."""
        return ""
