"""How a study recipe treats each corpus of the stream: a product method, or a study-only baseline policy.

A recipe of :mod:`study.recipes` is a model builder and a factory of one of
these (a fresh policy per run). :class:`MethodStages` runs a product method
(:mod:`continual.methods`), the very object ``peer ingest`` runs, so a method
the study measures is the method the product ships. Baselines that are not
product methods live beside them (:mod:`study.sparse_finetune`,
:mod:`study.switch_grow`, :class:`Joint`).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

import torch
from torch.utils.data import IterableDataset

from continual.config import ContinualConfig
from continual.methods import Method, NewCorpus, RouteDecision
from continual.routed import RoutedModel
from continual.training import ReplayMix
from trainer.data import Corpus, PackedStream, Tokenizer


@dataclass
class Stage:
    """What a policy sees before training on corpus ``index`` of the stream."""

    index: int
    names: list[str]
    corpora: list[Corpus]
    """Every corpus of the stream, in order."""
    streams: list[PackedStream]
    """Training windows of each corpus (seeded)."""
    tokenizer: Tokenizer
    config: ContinualConfig


class StagePolicy(Protocol):
    grows: bool
    """Whether each stage adds a PEER segment (expert usage then measures intrusion)."""
    sequential: bool
    """Whether a stage trains on its own corpus only (replay can then be mixed in)."""

    def prepare(self, model: RoutedModel, stage: Stage) -> None: ...

    def windows(self, stage: Stage) -> IterableDataset: ...


class MethodStages:
    """A product method, stage by stage: before each corpus the method prepares the model as an ingest would,
    and a corpus that continues a route rehearses that route's earlier corpora as an ingest does."""

    sequential = True

    def __init__(self, method: Method):
        self.method = method
        self.grows = method.grows
        self.decisions: list[RouteDecision | None] = []
        """What the method decided at each stage (a routing method's :class:`RouteDecision`)."""

    def prepare(self, model: RoutedModel, stage: Stage) -> None:
        c = stage.config
        new = NewCorpus(stage.names[stage.index], stage.streams[stage.index], stage.tokenizer, c, c.new_keys,
                        first=stage.index == 0)
        if stage.index > 0:
            self.method.settle(model)  # what the previous stage needed only to train (it computes the same after)
        self.decisions.append(self.method.prepare(model, new))

    def windows(self, stage: Stage) -> IterableDataset:
        decision = self.decisions[stage.index] if stage.index < len(self.decisions) else None
        if decision is None or not decision.continues or decision.replay == 0:
            return stage.streams[stage.index]
        old = [stage.streams[stage.names.index(n)] for n in decision.rehearse]
        return ReplayMix(stage.streams[stage.index], old, decision.replay, seed=stage.config.seed + stage.index)


class UniformMix(IterableDataset):
    """Windows drawn from ``streams`` uniformly at random (seeded)."""

    def __init__(self, streams: list[IterableDataset], seed: int):
        super().__init__()
        self.streams, self.seed = streams, seed

    def __iter__(self) -> Iterator[torch.Tensor]:
        rng = random.Random(self.seed)
        its = [iter(s) for s in self.streams]
        while True:
            yield next(its[rng.randrange(len(its))])


class Joint:
    """Each stage trains on a uniform mix of every corpus seen so far (the multi-task upper bound)."""

    grows, sequential = False, False

    def prepare(self, model: RoutedModel, stage: Stage) -> None:
        """Nothing changes between corpora; the mix grows in :meth:`windows`."""

    def windows(self, stage: Stage) -> IterableDataset:
        return UniformMix(stage.streams[: stage.index + 1], seed=stage.config.seed + stage.index)


__all__ = ["Joint", "MethodStages", "Stage", "StagePolicy", "UniformMix"]
