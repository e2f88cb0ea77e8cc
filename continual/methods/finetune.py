"""``finetune``: everything trainable, no growth: the reference anyone can run."""

from __future__ import annotations

from continual.methods.base import Method, NewCorpus
from continual.routed import RoutedModel


class Finetune(Method):
    """Everything trainable, no growth: train on the new corpus."""

    name, grows, routes = "finetune", False, False

    def prepare(self, model: RoutedModel, new: NewCorpus) -> None:
        """Nothing changes between corpora."""
