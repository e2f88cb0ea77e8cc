"""One segment of the expert memory: product sub-keys plus the down/up tables of n*n experts."""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn

from peer_store.index.base import ExpertIndex
from peer_store.index.product import ProductKeyIndex


class ExpertTable(nn.Embedding):
    """A table of expert vectors, one row per expert, updated sparsely.

    It is an ``nn.Embedding(sparse=True)`` on purpose: DistributedDataParallel
    decides which parameters get sparse all-reduces by that module type (a
    bare Parameter with sparse gradients breaks DDP).
    """

    def __init__(self, rows: int, dim: int, *, weight: Tensor | None = None, std: float = 1.0):
        if weight is None:
            weight = torch.empty(rows, dim)
            with torch.no_grad():
                weight.normal_(0.0, std)
        super().__init__(rows, dim, sparse=True, _weight=weight)


class Segment(nn.Module):
    """``n_keys**2`` single-neuron experts addressed by two halves of ``n_keys`` sub-keys.

    Local expert id ``i * n_keys + j`` has the full key ``[c_i ; c'_j]``, a down
    vector ``u`` (row of ``down``) and an up vector ``v`` (row of ``up``).
    """

    def __init__(
        self,
        n_keys: int,
        d_model: int,
        d_half: int,
        *,
        sub_keys: Tensor | None = None,
        down: Tensor | None = None,
        up: Tensor | None = None,
    ):
        super().__init__()
        self.n_keys, self.d_model, self.d_half = n_keys, d_model, d_half
        if sub_keys is None:
            sub_keys = torch.empty(2, n_keys, d_half).uniform_(-1.0, 1.0) / math.sqrt(d_half)
        assert sub_keys.shape == (2, n_keys, d_half), sub_keys.shape
        self.sub_keys = nn.Parameter(sub_keys)  # [2, n, d_half]
        std = 1.0 / math.sqrt(d_model)
        self.down = ExpertTable(n_keys * n_keys, d_model, weight=down, std=std)  # u: [n*n, d]
        self.up = ExpertTable(n_keys * n_keys, d_model, weight=up, std=std)  # v: [n*n, d]
        self._index: ExpertIndex | None = None  # a served index (faiss) for a frozen segment

    @property
    def num_experts(self) -> int:
        return self.n_keys * self.n_keys

    @property
    def frozen(self) -> bool:
        return not any(p.requires_grad for p in self.parameters())

    def freeze(self) -> None:
        """No gradient, and so no optimizer state or weight decay, ever again."""
        for p in self.parameters():
            p.requires_grad_(False)
            p.grad = None

    @property
    def index(self) -> ExpertIndex:
        """The index that serves this segment: a frozen one may be served by faiss."""
        if self._index is not None and self.frozen:
            return self._index
        return ProductKeyIndex(self.sub_keys)

    def serve_with(self, index: ExpertIndex | None) -> None:
        """Serve this (frozen) segment with another index, e.g. FaissProductIndex; None resets."""
        if index is not None and not self.frozen:
            raise ValueError("only a frozen segment can be served by a static index; call freeze() first")
        self._index = index

    def extra_repr(self) -> str:
        return f"n_keys={self.n_keys}, experts={self.num_experts}, d_model={self.d_model}, frozen={self.frozen}"
