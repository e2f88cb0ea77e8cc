"""The retrieval protocol and its slow, obvious reference."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import torch
from torch import Tensor


@runtime_checkable
class ExpertIndex(Protocol):
    """Top-k experts of one segment for a batch of split queries.

    ``search(q1, q2, k)`` takes the two query halves ``[M, d_half]`` and
    returns ``(scores [M, k], ids [M, k])``: ids are local to the segment
    (``i * n_keys + j``), sorted by descending score. When the segment holds
    fewer than k experts the tail is padded with score ``-inf`` and id ``-1``.
    ``differentiable`` says whether the scores carry gradients to the queries
    and sub-keys; when they do not, the caller rescores the returned ids.
    """

    differentiable: bool

    def search(self, q1: Tensor, q2: Tensor, k: int) -> tuple[Tensor, Tensor]: ...


def pad_topk(scores: Tensor, ids: Tensor, k: int) -> tuple[Tensor, Tensor]:
    """Pad ``[M, k']`` results with (-inf, -1) up to ``[M, k]``."""
    missing = k - scores.shape[1]
    if missing <= 0:
        return scores, ids
    pad_s = scores.new_full((scores.shape[0], missing), float("-inf"))
    pad_i = ids.new_full((ids.shape[0], missing), -1)
    return torch.cat([scores, pad_s], 1), torch.cat([ids, pad_i], 1)


def brute_force_topk(q1: Tensor, q2: Tensor, sub_keys: Tensor, k: int) -> tuple[Tensor, Tensor]:
    """Reference: score every expert's full key ``[c_i ; c'_j]`` and take the top-k.

    sub_keys: ``[2, n, d_half]``. O(M * n^2) time and memory: tests only.
    """
    n = sub_keys.shape[1]
    full = torch.cat(
        [sub_keys[0].repeat_interleave(n, 0), sub_keys[1].repeat(n, 1)], dim=1
    )  # [n*n, 2*d_half]; row i*n+j = [c_i ; c'_j]
    scores = torch.cat([q1, q2], 1) @ full.T  # [M, n*n]
    best, ids = scores.topk(min(k, n * n), dim=1)
    return pad_topk(best, ids, k)
