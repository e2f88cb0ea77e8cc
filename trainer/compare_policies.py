"""Stage policies of the forgetting benchmark: what happens before each corpus, and which windows train.

A recipe of :mod:`trainer.compare` is a model builder and one of these. Policies that
need their own machinery live beside them (:mod:`trainer.guarded_growth`,
:mod:`trainer.sparse_finetune`, :mod:`trainer.switch_grow`).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

import torch
from torch.utils.data import IterableDataset

from peer_store.errors import ConfigError
from trainer.continual import KeyInit, corpus_queries, grow, kmeans_keys, train_windows
from trainer.continual_config import ContinualConfig
from trainer.data import Corpus, PackedStream, Tokenizer
from trainer.model import LanguageModel
from trainer.versioned import peer_layers


# -- stage policies ------------------------------------------------------------------------------
@dataclass
class Stage:
    """What a policy sees before training on corpus ``index`` of the stream."""

    index: int
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

    def prepare(self, model: LanguageModel, stage: Stage) -> None: ...

    def windows(self, stage: Stage) -> IterableDataset: ...


class Finetune:
    """Everything trainable, no growth: train on the new corpus."""

    grows, sequential = False, True

    def prepare(self, model: LanguageModel, stage: Stage) -> None:
        """Nothing changes between corpora."""

    def windows(self, stage: Stage) -> IterableDataset:
        return stage.streams[stage.index]


class GrowSegments:
    """Before every corpus but the first: freeze every segment and grow one per PEER layer, keys from
    ``init_keys`` over the new corpus's queries (k-means by default); ``freeze_backbone`` also freezes
    every other weight."""

    grows, sequential = True, True

    def __init__(self, *, freeze_backbone: bool, init_keys: KeyInit = kmeans_keys):
        self.freeze = "experts+backbone" if freeze_backbone else "experts"
        self.init_keys = init_keys

    def prepare(self, model: LanguageModel, stage: Stage) -> None:
        if stage.index == 0:
            return
        self.grow(model, stage, self.new_queries(model, stage))

    @staticmethod
    def new_queries(model: LanguageModel, stage: Stage) -> dict[int, torch.Tensor]:
        """Each PEER layer's queries ``[M, d_key]`` on a few batches of the new corpus."""
        if not peer_layers(model):
            raise ConfigError("a growing recipe needs PEER layers; the model has none (model.ffn must be 'peer')")
        c = stage.config
        windows = train_windows(stage.corpora[stage.index], stage.tokenizer, c, seed=c.seed + stage.index)
        return corpus_queries(model, windows, c.kmeans_batches, c.batch_size)

    def grow(self, model: LanguageModel, stage: Stage, queries: dict[int, torch.Tensor]) -> None:
        """Freeze, and grow one segment per PEER layer with keys from ``queries``."""
        grow(model, queries, stage.config.new_keys, self.freeze, init_keys=self.init_keys)

    def windows(self, stage: Stage) -> IterableDataset:
        return stage.streams[stage.index]


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

    def prepare(self, model: LanguageModel, stage: Stage) -> None:
        """Nothing changes between corpora; the mix grows in :meth:`windows`."""

    def windows(self, stage: Stage) -> IterableDataset:
        return UniformMix(stage.streams[: stage.index + 1], seed=stage.config.seed + stage.index)
