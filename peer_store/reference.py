"""PEER's Algorithm 1, slow and obvious: the oracle every fast path is tested against.

He (2024), "Mixture of A Million Experts", for one token ``x`` and each of ``h`` heads::

    q      = query_net(x)                                   a query of d_key
    scores = [q . k_i for every expert i]                   k_i = [c_a ; c'_b]: two sub-keys, one per half
    top    = the k experts of highest score
    g      = softmax(scores[top])                           (or sigmoid)
    y     += sum_{i in top} g_i * act(u_i . x) * v_i       u_i, v_i: expert i's down and up rows

Here every score is computed against every expert's full key (``[N, d_key]``, the experts of
each shell enumerated by the definition in :class:`peer_store.segment.Segment`), so the
product-key trick (top-k per half, then the k*k sums, with hidden sub-key columns beyond a
query's square) in :mod:`peer_store.index.product` must pick the same experts, and the gather kernels of
:mod:`peer_store.kernel` must give the same sums. Nothing here is fast: it builds all N keys.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor

from peer_store import PEERLayer


def shell_pairs(start: int, n_keys: int) -> tuple[Tensor, Tensor]:
    """Sub-key rows ``(i, j)`` of the experts of the shell growing a grid from ``start`` to ``e = start + n_keys``,
    in local id order: first every ``i < e`` with ``j`` in the new rows, then every new ``i`` with an old ``j``."""
    e = start + n_keys
    i = torch.cat([torch.arange(e).repeat_interleave(n_keys), torch.arange(start, e).repeat_interleave(start)])
    j = torch.cat([torch.arange(start, e).repeat(e), torch.arange(start).repeat(n_keys)])
    return i, j


def full_keys(sub_keys: Tensor) -> Tensor:
    """Every expert's full key ``[c_i ; c'_j]`` of one grid ``[2, n, d_half]`` in id order i*n+j: ``[n*n, 2*d_half]``."""
    i, j = shell_pairs(0, sub_keys.shape[1])
    return torch.cat([sub_keys[0][i], sub_keys[1][j]], dim=1)


def memory_keys(memory) -> Tensor:
    """Every expert's full key ``[N, d_key]`` of an :class:`~peer_store.memory.ExpertMemory`, in id order."""
    keys, grid = [], None
    for shell in memory.segments:
        grid = shell.sub_keys if shell.start == 0 else torch.cat([grid, shell.sub_keys], 1)  # [2, e, d_half]
        i, j = shell_pairs(shell.start, shell.n_keys)
        keys.append(torch.cat([grid[0][i], grid[1][j]], dim=1))
    return torch.cat(keys)


def reference_forward(layer: PEERLayer, x: Tensor) -> Tensor:
    """Brute-force retrieval over all experts, then a dense gather of every retrieved expert."""
    c = layer.config
    xt = x.reshape(-1, c.d_model)  # [T, d]
    q = layer.queries(xt).view(xt.shape[0], c.n_heads, c.d_key)  # [T, h, dk]
    segs = layer.memory.segments
    keys = memory_keys(layer.memory)  # [N, dk]
    down = torch.cat([s.down.weight for s in segs])  # [N, d]
    up = torch.cat([s.up.weight for s in segs])  # [N, d]
    scores = torch.einsum("thc,nc->thn", q, keys)  # [T, h, N]
    top, ids = scores.topk(c.top_k, dim=-1)  # [T, h, k]
    gate = F.softmax(top, -1) if c.score_fn == "softmax" else torch.sigmoid(top)
    u, v = down[ids], up[ids]  # [T, h, k, d] each
    pre = torch.einsum("thkd,td->thk", u, xt)
    act = F.gelu(pre) if c.activation == "gelu" else F.relu(pre)
    y = torch.einsum("thk,thkd->td", gate * act, v)  # [T, d]
    return y.view(x.shape)


def reference_search(memory, q: Tensor, k: int, segments: Tensor | None = None) -> tuple[Tensor, Tensor]:
    """Brute-force top-k over every full key of the shells each query may see (its square): ``(scores, ids)``
    ``[M, k]``."""
    keys = memory_keys(memory)  # [N, dk]
    scores = q @ keys.T  # [M, N]
    if segments is not None:
        ends = torch.tensor(memory.offsets[1:] + [memory.num_experts])  # [S] first id after each segment
        scores = scores.masked_fill(torch.arange(memory.num_experts) >= ends[segments - 1].unsqueeze(1), float("-inf"))
    return scores.topk(k, dim=1)
