"""Key initialisations of a new segment that try to keep old queries out of it (routing intrusion).

Plain k-means puts the new sub-keys at the centroids of the new corpus's query halves. Two
things then pull old queries into the new segment: the centroids sit in the dense regions of
query space that old data shares, and their norms are unrelated to the trained old keys' norms,
while a retrieval score is a dot product (a new key much longer than the old ones wins
everywhere). :func:`novel_keys` answers both:

- it runs k-means only on the new corpus's queries that the old segments serve worst (lowest
  best score among the old experts), the share ``novel_fraction``;
- it rescales every new sub-key to the mean norm of the old segments' sub-keys of that half.

It is a :data:`trainer.continual.KeyInit`: ``grow(..., init_keys=novel_keys)``.
"""

from __future__ import annotations

import functools

import torch
from torch import Tensor

from peer_store import PEERLayer
from peer_store.errors import ConfigError
from peer_store.index import kmeans_sub_keys


@torch.no_grad()
def novel_keys(layer: PEERLayer, queries: Tensor, n_keys: int, seed: int, *, novel_fraction: float = 0.25) -> Tensor:
    """Sub-keys ``[2, n_keys, d_half]``: k-means over the least-served queries, at the old keys' norms."""
    if not 0.0 < novel_fraction <= 1.0:
        raise ConfigError(f"novel_fraction must be in (0, 1], got {novel_fraction}")
    memory = layer.memory
    if not memory.segments:
        return kmeans_sub_keys(queries, n_keys, seed=seed)
    best = memory.search(queries, 1)[0][:, 0]  # [M] best old score per query
    keep = min(queries.shape[0], max(n_keys * 8, round(novel_fraction * queries.shape[0])))
    novel = queries[best.topk(keep, largest=False).indices]  # [keep, d_key]: the worst served
    keys = kmeans_sub_keys(novel, n_keys, seed=seed)  # [2, n, d_half]
    old = torch.cat([s.sub_keys.detach() for s in memory.segments], dim=1)  # [2, n_old, d_half]
    target = old.norm(dim=-1).mean(dim=1)  # [2] mean norm per half
    return keys / keys.norm(dim=-1, keepdim=True).clamp_min(1e-12) * target[:, None, None].to(keys.dtype)


def novel_keys_with(novel_fraction: float):
    """:func:`novel_keys` with another ``novel_fraction``, as a KeyInit."""
    return functools.partial(novel_keys, novel_fraction=novel_fraction)
