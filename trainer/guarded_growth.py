"""Grow-and-freeze with a routing guard: old corpora's stored queries keep their old experts.

:class:`GuardedGrowth` is the stage policy of ``peer-grow-guard``. It is
:class:`trainer.compare.GrowSegments` plus, per PEER layer, a sample of the
queries of every corpus learnt so far and a :class:`peer_store.guard.RoutingGuard`
over them, whose margin loss trains the new segment's keys away from those
queries (see that module for the loss).

What is stored is what a store would keep with each version: queries, not text.
The queries of corpus ``t - 1`` are taken at the start of stage ``t``, from the
model as stage ``t - 1`` left it — the same tensors an ingest would save when it
finishes, since nothing trains in between.
"""

from __future__ import annotations

import torch

from peer_store.guard import RoutingGuard
from trainer.compare_policies import GrowSegments, Stage
from trainer.continual import KeyInit, capture_inputs, corpus_queries, kmeans_keys, train_windows
from trainer.gated_adapters import GatedAdapters, gate_features
from trainer.model import LanguageModel
from trainer.version_lora import GatedLoRA, check_gate_features, embedding_features
from trainer.versioned import peer_layers


class GuardedGrowth(GrowSegments):
    """:class:`GrowSegments`, and the new segments' keys trained with a margin loss on stored old queries.

    ``per_corpus`` queries are kept per corpus and PEER layer (of the ``kmeans_batches`` batches'
    tokens x heads); ``weight`` scales the margin loss against the language-model loss while training
    (0.1: on the CPU study, 1.0 cost the new corpora about 0.2 nats more and forgot no less);
    ``fit_steps`` Adam steps at ``fit_lr`` fit the new keys to the guard alone right after growth."""

    def __init__(self, *, freeze_backbone: bool = True, init_keys: KeyInit = kmeans_keys, weight: float = 0.1,
                 margin: float = 0.0, per_corpus: int = 8192, fit_steps: int = 300, fit_lr: float = 1e-2):
        super().__init__(freeze_backbone=freeze_backbone, init_keys=init_keys)
        self.weight, self.margin, self.per_corpus = weight, margin, per_corpus
        self.fit_steps, self.fit_lr = fit_steps, fit_lr
        self.stored: dict[int, list[torch.Tensor]] = {}

    def prepare(self, model: LanguageModel, stage: Stage) -> None:
        if stage.index == 0:
            self.stored = {}  # one policy serves every run of the registry: start clean
            return
        c = stage.config
        previous = train_windows(stage.corpora[stage.index - 1], stage.tokenizer, c, seed=c.seed + stage.index - 1)
        generator = torch.Generator().manual_seed(c.seed + stage.index)
        for i, q in corpus_queries(model, previous, c.kmeans_batches, c.batch_size).items():
            pick = torch.randperm(q.shape[0], generator=generator)[: self.per_corpus]
            self.stored.setdefault(i, []).append(q[pick])
        new = self.new_queries(model, stage)  # the k-means keys come from these too
        guards = {}
        for i, layer in peer_layers(model):
            layer.memory.freeze()
            pick = torch.randperm(new[i].shape[0], generator=generator)[: self.per_corpus]
            guards[i] = RoutingGuard.build(layer.memory, torch.cat(self.stored[i]), layer.config.top_k,
                                           margin=self.margin, positives=new[i][pick])
        self.grow(model, stage, new)  # one segment per PEER layer
        for i, layer in peer_layers(model):
            if self.fit_steps:
                guards[i].fit_keys(layer.memory, steps=self.fit_steps, lr=self.fit_lr)
            model.blocks[i].ffn.guard_with(guards[i], self.weight)


def gate_inputs(model: LanguageModel, windows, batches: int, batch_size: int, block: int) -> torch.Tensor:
    """Gate features ``[T, d]`` (:func:`trainer.gated_adapters.gate_features` of the residual stream entering
    block ``block``) on a few batches of ``windows``."""
    return capture_inputs(model, {block: model.blocks[block]}, windows, batches, batch_size,
                          transform=gate_features)[block]


class GatedGrowth(GuardedGrowth):
    """:class:`GuardedGrowth`, and per version a gated module for plasticity whose novelty gate is fitted at
    growth and trained against stored gate features of every earlier corpus. Subclasses say what the gate
    reads (:meth:`features`) and what holds the versions (:meth:`attach`: an object whose
    ``add(rank, negatives, weight)`` returns a :class:`trainer.gated_adapters.GatedVersion` and whose ``versions``
    lists them, oldest first)."""

    def __init__(self, *, rank: int, gate_weight: float = 1.0, gate_fit_steps: int = 300, **kw):
        super().__init__(**kw)
        self.rank, self.gate_weight, self.gate_fit_steps = rank, gate_weight, gate_fit_steps
        self.holder = None
        self.gate_inputs: list[torch.Tensor] = []

    def features(self, model: LanguageModel, windows, stage: Stage) -> torch.Tensor:
        """Gate features ``[T, d]`` on a few batches of ``windows``."""
        raise TypeError(f"{type(self).__name__} must say what its gate reads")

    def attach(self, model: LanguageModel):
        """The object that adds and hooks this policy's versions into ``model``."""
        raise TypeError(f"{type(self).__name__} must say what holds its versions")

    def prepare(self, model: LanguageModel, stage: Stage) -> None:
        if stage.index == 0:
            self.holder, self.gate_inputs = None, []
            super().prepare(model, stage)
            return
        c = stage.config
        previous = train_windows(stage.corpora[stage.index - 1], stage.tokenizer, c, seed=c.seed + stage.index - 1)
        f = self.features(model, previous, stage)
        pick = torch.randperm(f.shape[0], generator=torch.Generator().manual_seed(c.seed + stage.index))
        self.gate_inputs.append(f[pick[: self.per_corpus]])
        current = train_windows(stage.corpora[stage.index], stage.tokenizer, c, seed=c.seed + stage.index)
        positives = self.features(model, current, stage)
        super().prepare(model, stage)  # stores queries, grows, freezes the backbone
        if self.holder is None:
            self.holder = self.attach(model)
        version = self.holder.add(self.rank, torch.cat(self.gate_inputs), self.gate_weight)
        if self.gate_fit_steps:
            version.fit_gate(positives, steps=self.gate_fit_steps, lr=self.fit_lr)


class AdaptedGuardedGrowth(GatedGrowth):
    """:class:`GuardedGrowth`, and per version a gated bottleneck adapter on every block from the first PEER
    block on (:mod:`trainer.gated_adapters`): capacity for the new corpus that a novelty gate, trained against
    stored inputs of old corpora, keeps away from old tokens."""

    def __init__(self, *, rank: int = 32, **kw):
        super().__init__(rank=rank, **kw)

    def features(self, model: LanguageModel, windows, stage: Stage) -> torch.Tensor:
        c = stage.config
        return gate_inputs(model, windows, c.kmeans_batches, c.batch_size, peer_layers(model)[0][0])

    def attach(self, model: LanguageModel) -> GatedAdapters:
        return GatedAdapters(model, peer_layers(model)[0][0])


def embedding_inputs(model: LanguageModel, windows, batches: int, batch_size: int,
                     kind: str = "embedding") -> torch.Tensor:
    """Gate features ``[T, d or 2d]`` of :mod:`trainer.version_lora` (running means of the frozen token
    embedding, and for 'bigram' of token-pair signs) on a few batches of ``windows``."""
    return capture_inputs(model, {0: model.embed}, windows, batches, batch_size,
                          transform=lambda tokens: embedding_features(model, tokens, kind))[0]


class LoRAGuardedGrowth(GatedGrowth):
    """:class:`GuardedGrowth`, and per version gated rank-``rank`` deltas of every attention projection and the
    LM head plus an embedding delta (:mod:`trainer.version_lora`), behind a gate that reads only the frozen
    embedding (and with ``gate_features='bigram'`` the token pairs), trained against stored gate features of
    old corpora. ``exclusive`` routes each token to one version at most, so versions can be merged into the
    weights and add no active parameters."""

    def __init__(self, *, rank: int = 8, exclusive: bool = False, gate_features: str = "embedding", **kw):
        super().__init__(rank=rank, **kw)
        # checked here, not a corpus later when the first version is added
        self.exclusive, self.gate_features = exclusive, check_gate_features(gate_features)

    def features(self, model: LanguageModel, windows, stage: Stage) -> torch.Tensor:
        c = stage.config
        return embedding_inputs(model, windows, c.kmeans_batches, c.batch_size, self.gate_features)

    def attach(self, model: LanguageModel) -> GatedLoRA:
        return GatedLoRA(model, exclusive=self.exclusive, features=self.gate_features)
