"""Sparse memory fine-tuning (Lin et al. 2025): after the first corpus, train only the expert rows
most specific to the new corpus.

One PEER memory, no growth. Before every corpus but the first, the backbone and the product
sub-keys freeze; in each PEER layer the ``t`` expert rows (``down`` and ``up``) with the highest
TF-IDF score on the new corpus stay trainable, every other row stays bit-identical:

- tf(i): how many of the new corpus's retrievals (top-k over every head) land on expert i, over
  ``config.kmeans_batches`` batches of its training windows;
- idf(i) = log((n + 1) / (df(i) + 1)), where n is the number of background tokens and df(i) how
  many of them retrieved expert i at least once (any head). The background is every earlier
  corpus, each measured right after its own stage on its own training windows and accumulated as
  counts, so no older corpus is read again. A token is the "document": df <= n, so idf >= 0, and
  an expert every old token uses scores ~0 however often the new corpus uses it.

Rows with score 0 (not retrieved by the new corpus) are never kept, so at most ``t`` rows train.
A gradient hook on each expert table drops the other rows from its sparse gradient, so the
row-wise sparse Adam (:mod:`peer_store.optim`) never touches them: no update, no state and no
(lazy, touched-rows-only) weight decay. The hooks are removed before the next stage.

The background counts live on the policy, for the run in progress: ``RECIPES`` shares one policy
between runs, so stage 0 starts them afresh.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import torch
from torch import Tensor
from torch.utils.data import IterableDataset
from torch.utils.hooks import RemovableHandle

from peer_store.errors import ConfigError
from continual.routed import RoutedModel
from continual.training import corpus_queries, train_windows
from continual.versions import peer_layers

if TYPE_CHECKING:
    from study.policies import Stage


@dataclass
class RetrievalCounts:
    """Retrievals of one PEER layer over some tokens."""

    hits: Tensor
    """[N] retrievals landing on each expert (over heads and top-k)."""
    tokens_using: Tensor
    """[N] tokens that retrieved each expert at least once (any head)."""
    tokens: int

    def __add__(self, other: RetrievalCounts) -> RetrievalCounts:
        return RetrievalCounts(self.hits + other.hits, self.tokens_using + other.tokens_using,
                               self.tokens + other.tokens)


@torch.no_grad()
def retrieval_counts(model: RoutedModel, windows: IterableDataset, batches: int,
                     batch_size: int) -> dict[int, RetrievalCounts]:
    """Per PEER block, how ``batches`` batches of ``windows`` retrieve its experts."""
    queries = corpus_queries(model, windows, batches, batch_size)  # block -> [T * h, d_key]
    out = {}
    for i, layer in peer_layers(model.lm):
        c, n = layer.config, layer.memory.num_experts
        ids = layer.memory.search(queries[i], c.top_k)[1].view(-1, c.n_heads * c.top_k)  # [T, h*k]
        valid = ids >= 0  # -1 pads a segment smaller than k
        hits = torch.bincount(ids[valid], minlength=n)  # [N]
        token = torch.arange(ids.shape[0], device=ids.device).unsqueeze(1).expand_as(ids)  # [T, h*k]
        used = torch.zeros(ids.shape[0], n, dtype=torch.bool, device=ids.device)  # [T, N]
        used[token[valid], ids[valid]] = True
        out[i] = RetrievalCounts(hits, used.sum(0), ids.shape[0])
    return out


def tfidf_scores(new: RetrievalCounts, background: RetrievalCounts | None) -> Tensor:
    """``[N]`` tf(i) * idf(i) of the new corpus against the background (no background: tf)."""
    tf = new.hits.double() / max(new.tokens, 1)  # [N] retrievals per token
    if background is None:
        return tf
    idf = torch.log((background.tokens + 1) / (background.tokens_using.double() + 1))  # [N], >= 0
    return tf * idf


def top_rows(scores: Tensor, t: int) -> Tensor:
    """Bool mask ``[N]`` of the ``t`` best-scoring rows, leaving out rows that score 0."""
    keep = torch.zeros_like(scores, dtype=torch.bool)
    keep[scores.topk(min(t, scores.numel())).indices] = True
    return keep & (scores > 0)


def _drop_rows(keep: Tensor):
    """A gradient hook that keeps only the rows ``keep [N]`` of a table's (sparse) gradient."""

    def hook(grad: Tensor) -> Tensor:
        if not grad.is_sparse:
            return grad * keep.unsqueeze(1).to(grad.dtype)
        rows, values = grad._indices()[0], grad._values()  # [E], [E, d] (uncoalesced)
        sel = keep.to(rows.device)[rows]  # [E]
        return torch.sparse_coo_tensor(rows[sel].unsqueeze(0), values[sel], grad.shape, is_coalesced=False,
                                       check_invariants=False)

    return hook


class SparseMemoryFinetune:
    """Stage 0 trains everything; every later stage trains only the ``t`` expert rows per PEER layer
    with the best TF-IDF score on the new corpus, ``t = floor(trainable * experts)``.

    A quarter by default: Lin et al. keep a tiny share of a 1M-slot memory, but our memories hold
    about a thousand experts per layer and a corpus retrieves most of them, so a tiny ``t`` starves
    the new corpus; a quarter leaves three quarters of the rows (the ones earlier corpora use most)
    untouched per stage, about one corpus's share over a stream of four."""

    grows, sequential = False, True

    def __init__(self, *, trainable: float = 0.25):
        if not 0.0 < trainable <= 1.0:
            raise ConfigError(f"trainable is the share of expert rows kept trainable, in (0, 1]; got {trainable}")
        self.trainable = trainable
        self.background: dict[int, RetrievalCounts] = {}
        """Per PEER block, the retrievals of every corpus learnt so far, accumulated."""
        self.learnt = 0
        """How many corpora ``background`` holds."""
        self.selected: dict[int, Tensor] = {}
        """Per PEER block, the global ids of the rows trainable in the current stage."""
        self._hooks: list[RemovableHandle] = []

    def release(self) -> None:
        """Remove the current stage's gradient hooks."""
        for handle in self._hooks:
            handle.remove()
        self._hooks, self.selected = [], {}

    def prepare(self, model: RoutedModel, stage: Stage) -> None:
        self.release()
        if stage.index == 0:
            self.background, self.learnt = {}, 0  # a new run
            return
        layers = peer_layers(model.lm)
        if not layers:
            raise ConfigError("sparse memory fine-tuning needs PEER layers; the model has none "
                              "(model.ffn must be 'peer')")
        if self.learnt != stage.index - 1:
            raise ConfigError(f"stage {stage.index} needs the records of {stage.index - 1} earlier corpora, the policy "
                              f"holds {self.learnt}; prepare the stages of a run in order, from stage 0")
        c = stage.config

        def counts(index: int) -> dict[int, RetrievalCounts]:
            windows = train_windows(stage.corpora[index], stage.tokenizer, c, seed=c.seed + index)
            return retrieval_counts(model, windows, c.kmeans_batches, c.batch_size)

        # The model has not changed since the last stage ended: this is corpus t-1's record "after its stage".
        for i, record in counts(stage.index - 1).items():
            self.background[i] = self.background[i] + record if i in self.background else record
        self.learnt = stage.index
        new = counts(stage.index)

        live = {i: [(o, s) for o, s in zip(layer.memory.offsets, layer.memory.segments) if not s.frozen]
                for i, layer in layers}  # a segment frozen before (a grown memory) stays frozen
        tables = {id(p) for segments in live.values() for _, s in segments for p in (s.down.weight, s.up.weight)}
        for p in model.parameters():
            p.requires_grad_(id(p) in tables)  # the backbone and every sub-key freeze
        for i, layer in layers:
            n = layer.memory.num_experts
            full = tfidf_scores(new[i], self.background[i])  # [N]
            scores = torch.zeros_like(full)  # [N]: rows of frozen segments score 0
            for o, s in live[i]:
                scores[o: o + s.num_experts] = full[o: o + s.num_experts]
            keep = top_rows(scores, max(1, math.floor(self.trainable * n)))  # [N]
            self.selected[i] = keep.nonzero().squeeze(1)
            for o, s in live[i]:
                for table in (s.down.weight, s.up.weight):
                    self._hooks.append(table.register_hook(_drop_rows(keep[o: o + s.num_experts])))

    def windows(self, stage: Stage) -> IterableDataset:
        return stage.streams[stage.index]


__all__ = ["RetrievalCounts", "SparseMemoryFinetune", "retrieval_counts", "tfidf_scores", "top_rows"]
