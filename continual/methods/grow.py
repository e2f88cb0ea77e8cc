"""``grow``: before every corpus but the first, freeze every segment and grow one k-means-keyed segment per PEER
layer; no routing."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from continual.methods.base import Method, MethodOptions, NewCorpus
from continual.routed import RoutedModel, peer_blocks
from continual.training import corpus_queries, grow
from peer_store.errors import ConfigError

FREEZE_MODES = ("experts", "experts+backbone")
"""What a ``grow`` ingest freezes: every existing segment ('experts'), or those and every weight that is not a
new segment ('experts+backbone': embeddings, attention, dense FFNs, query networks, norms)."""


def new_corpus_queries(model: RoutedModel, new: NewCorpus) -> dict[int, torch.Tensor]:
    """Queries of ``new``'s windows per PEER layer, the k-means data of a growing method's new keys."""
    if not peer_blocks(model.lm):
        raise ConfigError("a growing method needs PEER layers; the model has none (model.ffn must be 'peer')")
    return corpus_queries(model, new.windows, new.config.kmeans_batches, new.config.batch_size)


@dataclass(frozen=True)
class GrowOptions(MethodOptions):
    freeze: str = "experts"
    """One of :data:`FREEZE_MODES`."""

    def check(self) -> None:
        if self.freeze not in FREEZE_MODES:
            raise ConfigError(f"method option freeze must be one of {', '.join(FREEZE_MODES)}; got {self.freeze!r}")


class Grow(Method):
    """Before every corpus but the first: freeze every segment and grow one per PEER layer, keys from k-means over
    the new corpus's queries; ``freeze='experts+backbone'`` also freezes every other weight."""

    name, grows, routes = "grow", True, False
    options_type = GrowOptions
    options: GrowOptions

    def prepare(self, model: RoutedModel, new: NewCorpus) -> None:
        if new.first:
            return
        grow(model, new_corpus_queries(model, new), new.keys, freeze_backbone=self.options.freeze == "experts+backbone")

    def describe(self, model: RoutedModel) -> str:
        return f"frozen: {self.options.freeze}"
