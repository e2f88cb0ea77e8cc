"""FAISS behind one adapter: exact per-half search for frozen segments, and k-means key init.

Every tensor crosses into faiss here and only here, as a contiguous float32
numpy array on the CPU; results come back as torch tensors on the caller's
device. When faiss was built with GPUs the flat indexes and k-means run there.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import Tensor

from peer_store.errors import ConfigError, IndexBackendError
from peer_store.index.base import combine_halves


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
    segments, whose keys never change. Scores carry no gradient.
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

    def search(self, q1: Tensor, q2: Tensor, k: int) -> tuple[Tensor, Tensor]:
        if q1.shape[1] != self.d_half or q2.shape[1] != self.d_half:
            raise ConfigError(f"query halves must be {self.d_half} wide, got {q1.shape[1]} and {q2.shape[1]}")
        kh = min(k, self.n_keys)
        out = []
        for index, q in zip(self._halves, (q1, q2)):
            scores, ids = index.search(to_faiss(q), kh)  # [M, kh] each
            out.append(torch.from_numpy(scores).to(q.device, q.dtype))
            out.append(torch.from_numpy(ids).to(q.device, torch.long))
        return combine_halves(out[0], out[1], out[2], out[3], self.n_keys, k)


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
