"""FAISS behind one adapter: exact per-half search for frozen shells, and k-means key init.

Every tensor crosses into faiss here and only here, as a contiguous float32
numpy array on the CPU; results come back as torch tensors on the caller's
device. When faiss was built with GPUs the flat indexes and k-means run there.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import Tensor

from peer_store.errors import ConfigError, IndexBackendError
from peer_store.index.product import best_pairs


def _faiss():
    try:
        import faiss
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise IndexBackendError(
            "faiss is not installed; install peer-store with the `cpu` extra (faiss-cpu) or the `gpu` extra (faiss-gpu)"
        ) from exc
    return faiss


def gpu_count() -> int:
    faiss = _faiss()
    return faiss.get_num_gpus() if hasattr(faiss, "get_num_gpus") else 0


def to_faiss(t: Tensor) -> np.ndarray:
    """A contiguous float32 CPU copy (or view) that faiss accepts."""
    if not t.is_floating_point():
        raise ConfigError(f"faiss needs floating-point vectors, got {t.dtype}")
    return np.ascontiguousarray(t.detach().to("cpu", torch.float32).numpy())


class FaissProductIndex:
    """Exact product-key search through two faiss inner-product flat indexes.

    The sub-keys are copied at construction: this index serves frozen
    shells, whose keys never change. Scores carry no gradient.
    """

    differentiable = False

    def __init__(self, sub_keys: Tensor, *, use_gpu: bool | None = None):
        faiss = _faiss()
        if sub_keys.dim() != 3 or sub_keys.shape[0] != 2:
            raise ConfigError(f"sub_keys must be [2, n, d_half], got {tuple(sub_keys.shape)}")
        self.n_keys, self.d_half = sub_keys.shape[1], sub_keys.shape[2]
        use_gpu = gpu_count() > 0 if use_gpu is None else use_gpu
        self.on_gpu = use_gpu
        self._halves = []
        self._res = faiss.StandardGpuResources() if use_gpu else None
        for half in range(2):
            index = faiss.IndexFlatIP(self.d_half)
            index.add(to_faiss(sub_keys[half]))
            if use_gpu:
                index = faiss.index_cpu_to_gpu(self._res, 0, index)
            self._halves.append(index)

    def halves(self, q1: Tensor, q2: Tensor, k: int) -> list[tuple[Tensor, Tensor]]:
        """Each half's top-``min(k, n)`` ``(scores, sub-key rows)`` ``[M, k']`` for the query halves."""
        if q1.shape[1] != self.d_half or q2.shape[1] != self.d_half:
            raise ConfigError(f"query halves must be {self.d_half} wide, got {q1.shape[1]} and {q2.shape[1]}")
        out = []
        for index, q in zip(self._halves, (q1, q2)):
            scores, rows = index.search(to_faiss(q), min(k, self.n_keys))  # [M, k'] each
            out.append((torch.from_numpy(scores).to(q.device, q.dtype), torch.from_numpy(rows).to(q.device, torch.long)))
        return out

    def search(self, q1: Tensor, q2: Tensor, k: int) -> tuple[Tensor, Tensor]:
        (s1, i1), (s2, i2) = self.halves(q1, q2, k)
        best, i, j = best_pairs(s1, i1, s2, i2, k)
        return best, torch.where(i >= 0, i * self.n_keys + j, -1)


@torch.no_grad()
def faiss_topk(
    q1: Tensor, q2: Tensor, served: list, sub_keys: list[Tensor], k: int, *, hidden: Tensor | None = None
) -> tuple[Tensor, Tensor, Tensor]:
    """:func:`peer_store.index.product.product_topk` of one grid whose blocks ``served[s]`` (a
    :class:`FaissProductIndex`, or None: torch) give their per-half top-k from faiss. Each block adds its
    own per-half candidates (faiss: its top-k; torch: every column), hidden columns drop out, and the
    per-half top-k of the rest is exact: a column in the visible top-k is in its block's top-k."""
    cands: list[list[tuple[Tensor, Tensor]]] = [[], []]  # per half: (scores, columns) of each block
    first = 0
    for s, sk in enumerate(sub_keys):
        n = sk.shape[1]
        index = served[s] if s < len(served) else None
        if index is not None:
            halves = index.halves(q1, q2, k)
        else:
            cols = torch.arange(n, device=q1.device).expand(q1.shape[0], n)
            halves = [(q.to(sk.dtype) @ sk[h].T, cols) for h, q in enumerate((q1, q2))]
        for h, (scores, rows) in enumerate(halves):
            cands[h].append((scores.to(sk.dtype), rows + first))
        first += n
    top = []
    for h in range(2):
        scores, cols = torch.cat([c[0] for c in cands[h]], 1), torch.cat([c[1] for c in cands[h]], 1)  # [M, K]
        if hidden is not None:
            scores = scores.masked_fill(hidden.gather(1, cols), float("-inf"))
        best, pos = scores.topk(min(k, scores.shape[1]), dim=1)
        top += [best, cols.gather(1, pos)]
    return best_pairs(*top, k)


def kmeans_sub_keys(queries: Tensor, n_keys: int, *, iters: int = 20, redo: int = 1, seed: int = 0) -> Tensor:
    """Sub-keys ``[2, n_keys, d_half]`` as k-means centroids of each query half.

    queries: ``[M, d_key]`` queries of the data the new segment is grown for
    (after the query network and its normalisation), so the new experts are
    reachable by that data. Needs at least n_keys queries. ``redo`` runs k-means that many
    times from different seeds and keeps the lowest objective.
    """
    faiss = _faiss()
    if queries.dim() != 2 or queries.shape[1] % 2:
        raise ConfigError(f"k-means init needs queries [M, d_key] with even d_key, got {tuple(queries.shape)}")
    m, d_key = queries.shape
    if m < n_keys:
        raise ConfigError(
            f"k-means init of {n_keys} sub-keys needs at least {n_keys} queries, got {m}; "
            "pass more data or fewer keys"
        )
    half = d_key // 2
    centroids = []
    for h in range(2):
        data = to_faiss(queries[:, h * half : (h + 1) * half])
        km = faiss.Kmeans(half, n_keys, niter=iters, nredo=redo, seed=seed, gpu=gpu_count() > 0, verbose=False,
                          min_points_per_centroid=1, max_points_per_centroid=256)
        km.train(data)
        centroids.append(torch.from_numpy(km.centroids.copy()))
    return torch.stack(centroids).to(queries.dtype)  # [2, n_keys, half]
