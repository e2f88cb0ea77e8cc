"""Exact product-key top-k in torch: the training path (differentiable scores)."""

from __future__ import annotations

from torch import Tensor

from peer_store.index.base import combine_halves


class ProductKeyIndex:
    """Searches a segment's live sub-keys ``[2, n, d_half]`` with two matmuls and three top-ks."""

    differentiable = True

    def __init__(self, sub_keys: Tensor):
        assert sub_keys.dim() == 3 and sub_keys.shape[0] == 2
        self.sub_keys = sub_keys

    def search(self, q1: Tensor, q2: Tensor, k: int) -> tuple[Tensor, Tensor]:
        n = self.sub_keys.shape[1]
        kh = min(k, n)
        s1, i1 = (q1 @ self.sub_keys[0].T).topk(kh, dim=1)  # [M, n] -> [M, kh]
        s2, i2 = (q2 @ self.sub_keys[1].T).topk(kh, dim=1)  # [M, n] -> [M, kh]
        return combine_halves(s1, i1, s2, i2, n, k)
