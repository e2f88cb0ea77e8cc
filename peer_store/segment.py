"""One shell of the expert memory's product-key grid: its new sub-keys plus the down/up tables of its experts."""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn


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
    """A shell of a product-key grid: ``n_keys`` new sub-keys per half after the grid's first ``start``, and
    the experts of the square ``[0, e)**2`` minus ``[0, start)**2`` (``e = start + n_keys``).

    A grid grows by shells: its sub-keys per half are those of its shells in order, and the experts of its
    first ``n`` sub-keys are the square ``[0, n)**2``. A shell with ``start = 0`` begins a grid (a memory's
    first shell, or a segment of a store made before shells, which was a grid of its own). The shell's
    expert of sub-key rows ``(i, j)`` (rows of its grid, ``max(i, j) >= start``) has the local id
    ``i * n_keys + (j - start)`` when ``j >= start`` (``e * n_keys`` of them), else
    ``e * n_keys + (i - start) * start + j``; with ``start = 0`` that is the plain ``i * n_keys + j``.
    ``sub_keys`` ``[2, n_keys, d_half]`` holds only the shell's own sub-keys; ``down`` and ``up`` hold
    its ``2 * start * n_keys + n_keys**2`` experts' rows.
    """

    def __init__(
        self,
        n_keys: int,
        d_model: int,
        d_half: int,
        *,
        start: int = 0,
        sub_keys: Tensor | None = None,
        down: Tensor | None = None,
        up: Tensor | None = None,
    ):
        super().__init__()
        self.n_keys, self.start, self.d_model, self.d_half = n_keys, start, d_model, d_half
        if sub_keys is None:
            sub_keys = torch.empty(2, n_keys, d_half).uniform_(-1.0, 1.0) / math.sqrt(d_half)
        assert sub_keys.shape == (2, n_keys, d_half), sub_keys.shape
        self.sub_keys = nn.Parameter(sub_keys)  # [2, g, d_half]
        std = 1.0 / math.sqrt(d_model)
        rows = shell_experts(start, n_keys)
        self.down = ExpertTable(rows, d_model, weight=down, std=std)  # u: [rows, d]
        self.up = ExpertTable(rows, d_model, weight=up, std=std)  # v: [rows, d]

    @property
    def num_experts(self) -> int:
        return shell_experts(self.start, self.n_keys)

    @property
    def frozen(self) -> bool:
        return not any(p.requires_grad for p in self.parameters())

    def freeze(self) -> None:
        """No gradient, and so no optimizer state or weight decay, ever again."""
        for p in self.parameters():
            p.requires_grad_(False)
            p.grad = None

    def extra_repr(self) -> str:
        return (f"start={self.start}, n_keys={self.n_keys}, experts={self.num_experts}, d_model={self.d_model}, "
                f"frozen={self.frozen}")


def shell_experts(start: int, n_keys: int) -> int:
    """Experts of the shell that grows a grid of ``start`` sub-keys per half by ``n_keys``: ``2ng + g**2``."""
    return 2 * start * n_keys + n_keys * n_keys
