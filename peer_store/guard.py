"""RoutingGuard: keep old queries on their old experts while a new segment trains.

When a memory grows, the new segment's keys are trained only by the new data's
loss. Nothing in that loss keeps them away from the regions of query space that
old data occupies, so old tokens start retrieving new experts (routing
intrusion) and their outputs change although every old expert is frozen.

The guard stores a sample of the queries each frozen segment served while it
was learnt (queries, not raw text) together with the score each must keep: its
k-th best score among the frozen segments, ``tau(q)``. While the new segment
trains, a hinge loss pushes that segment's best score on each stored query
below ``tau(q) - margin``::

    best_new(q) = max_i q1 . c_i + max_j q2 . c'_j      (exact for product keys)
    loss        = mean_q relu(best_new(q) - tau(q) + margin)

A stored query whose best new score is below ``tau(q)`` keeps exactly its old
top-k, so (frozen experts, frozen query network) its output is unchanged. The
thresholds are constants: the frozen segments and the stored queries do not
change. Only the trainable segment's sub-keys get gradients.

The other side: queries of the new data (``positives``, e.g. the ones k-means
saw) should still reach the new segment, ``best_new(p) > tau(p) + margin``; a
second hinge holds them there. :meth:`RoutingGuard.fit_keys` runs both hinges
alone on the new sub-keys right after growth, so training on the new corpus
starts with old queries already out of the new segment (k-means centroids sit
where old queries are dense, and the language-model loss alone moves keys far
too slowly to leave).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor

from peer_store.errors import ConfigError
from peer_store.memory import ExpertMemory


@dataclass
class RoutingGuard:
    """Stored old queries ``[M, d_key]`` and their thresholds ``[M]`` against the frozen segments."""

    queries: Tensor
    thresholds: Tensor
    margin: float = 0.0
    positives: Tensor | None = None
    """Queries ``[P, d_key]`` of the new data that should reach the new segment."""
    positive_thresholds: Tensor | None = None

    @classmethod
    @torch.no_grad()
    def build(cls, memory: ExpertMemory, queries: Tensor, k: int, *, margin: float = 0.0,
              positives: Tensor | None = None) -> RoutingGuard:
        """Thresholds of ``queries`` against ``memory``'s segments, all of which must be frozen
        (build the guard before growing the segment it guards against)."""
        if not memory.segments or not all(s.frozen for s in memory.segments):
            raise ConfigError("a RoutingGuard is built on a memory whose segments are all frozen; "
                              "call memory.freeze() before building it and grow afterwards")
        if queries.dim() != 2 or queries.shape[1] != memory.d_key:
            raise ConfigError(f"guard queries must be [M, {memory.d_key}], got {tuple(queries.shape)}")
        if margin < 0:
            raise ConfigError(f"the guard margin must be >= 0, got {margin}")
        scores, _ = memory.search(queries, k)  # [M, k], descending
        guard = cls(queries.detach().clone(), scores[:, -1].clone(), float(margin))
        if positives is not None:
            guard.positives = positives.detach().clone()
            guard.positive_thresholds = memory.search(positives, k)[0][:, -1].clone()  # [P]
        return guard

    def new_best(self, memory: ExpertMemory, queries: Tensor | None = None) -> Tensor:
        """Best score ``[M]`` of the stored (or given) queries in the memory's last segment (differentiable)."""
        q = self.queries if queries is None else queries
        keys = memory.segments[-1].sub_keys  # [2, n, d_half]
        half = memory.d_half
        q1, q2 = q[:, :half], q[:, half:]  # [M, d_half] each
        return (q1 @ keys[0].T).amax(1) + (q2 @ keys[1].T).amax(1)  # [M]

    def loss(self, memory: ExpertMemory) -> Tensor:
        """Mean hinge of the last segment's best score over ``threshold - margin`` on the stored old
        queries, plus (with positives) the mean hinge of ``threshold + margin`` over it on the new ones."""
        loss = F.relu(self.new_best(memory) - self.thresholds + self.margin).mean()
        if self.positives is not None:
            best = self.new_best(memory, self.positives)
            loss = loss + F.relu(self.positive_thresholds + self.margin - best).mean()
        return loss

    def fit_keys(self, memory: ExpertMemory, *, steps: int = 300, lr: float = 1e-2) -> list[float]:
        """Adam on the last segment's sub-keys alone, minimising :meth:`loss`; the loss of every step."""
        keys = memory.segments[-1].sub_keys
        if not keys.requires_grad:
            raise ConfigError("the last segment is frozen; grow a trainable segment before fitting its keys")
        opt = torch.optim.Adam([keys], lr=lr)
        history = []
        for _ in range(steps):
            opt.zero_grad(set_to_none=True)
            loss = self.loss(memory)
            loss.backward()
            opt.step()
            history.append(float(loss.detach()))
        keys.grad = None
        return history

    @torch.no_grad()
    def reach(self, memory: ExpertMemory) -> float | None:
        """Share of the positives whose top-k includes an expert of the last segment (None without)."""
        if self.positives is None:
            return None
        return float((self.new_best(memory, self.positives) > self.positive_thresholds).float().mean())

    @torch.no_grad()
    def intrusion(self, memory: ExpertMemory) -> float:
        """Share of stored queries whose top-k would now include an expert of the last segment."""
        return float((self.new_best(memory) > self.thresholds).float().mean())
