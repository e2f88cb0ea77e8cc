"""Exact product-key top-k in torch over sub-keys held as blocks of columns (a grid's shells)."""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import Tensor

from peer_store.index.base import pad_topk
from peer_store.kernel import empty_buffer


@torch.no_grad()
def product_topk(
    q1: Tensor,
    q2: Tensor,
    sub_keys: Sequence[Tensor],
    k: int,
    *,
    grids: Sequence[int] | None = None,
    hidden: Tensor | None = None,
) -> tuple[Tensor, Tensor, Tensor]:
    """Top-k experts of product-key grids, in one pass (no autograd: :class:`ExpertScores` gives the
    chosen scores their gradients).

    q1, q2: query halves ``[M, d_half]``; sub_keys: blocks ``[2, n_b, d_half]`` whose rows, side by side,
    are the columns ``C`` of both halves (a grid's shells, in order). ``grids`` gives each block's grid
    (None: all blocks are one grid); a block's grid is a contiguous run of blocks. An expert is a pair
    of columns ``(a, b)`` of one grid. ``hidden`` ``[M, C]`` bool hides columns from a query (a token
    limited to the square of its version). Returns ``scores [M, k]`` (descending) and the columns
    ``a``, ``b`` ``[M, k]`` of each chosen pair; where fewer than k pairs are visible the tail scores
    -inf with columns -1.

    One grid is the paper's search: per-half top-k over the visible columns, then the k*k sums. Several
    grids (a store made before shells: one grid per segment) shift every first-half score by the best
    visible second-half score of its grid: ``a'_c = a_c + max_{b in grid(c)} b`` is the score of a real
    expert and bounds each of its pairs above, so a pair in the top-k has both columns in the top-k of
    the shifted scores over all grids at once; pairs across grids are then dropped. The scores are one
    matmul per block, each shaped as that block alone would be: a BLAS result depends on the matrix
    shapes, so a query limited to the first shells scores them to the bit as the memory that held only
    those did.
    """
    sizes = [int(sk.shape[1]) for sk in sub_keys]
    q1, q2 = q1.to(sub_keys[0].dtype), q2.to(sub_keys[0].dtype)  # keys' precision (queries may be bf16)
    cols = sum(sizes)
    a, b = (_scores(q, [sk[h] for sk in sub_keys], cols) for h, q in enumerate((q1, q2)))  # [M, C]
    if hidden is not None:
        a.masked_fill_(hidden, float("-inf"))
        b.masked_fill_(hidden, float("-inf"))
    kk = min(k, cols)
    runs = _grid_runs(sizes, grids)  # [(first column, columns)] per grid
    if len(runs) == 1:
        (top_a, col_a), (top_b, col_b) = a.topk(kk, dim=1), b.topk(kk, dim=1)  # [M, kk]
        return best_pairs(top_a, col_a, top_b, col_b, k)
    widths = torch.tensor([w for _, w in runs], device=a.device)  # [G]
    best_a = torch.stack([a[:, c0 : c0 + w].amax(1) for c0, w in runs], 1)  # [M, G]
    best_b = torch.stack([b[:, c0 : c0 + w].amax(1) for c0, w in runs], 1)
    col_a = (a + best_b.repeat_interleave(widths, dim=1)).topk(kk, dim=1)[1]  # [M, kk]
    col_b = (b + best_a.repeat_interleave(widths, dim=1)).topk(kk, dim=1)[1]
    grid_of = torch.repeat_interleave(torch.arange(len(runs), device=a.device), widths)  # [C]
    same = grid_of[col_a].unsqueeze(2) == grid_of[col_b].unsqueeze(1)  # [M, kk, kk]
    return best_pairs(a.gather(1, col_a), col_a, b.gather(1, col_b), col_b, k, same=same)


def best_pairs(
    top_a: Tensor, col_a: Tensor, top_b: Tensor, col_b: Tensor, k: int, *, same: Tensor | None = None
) -> tuple[Tensor, Tensor, Tensor]:
    """Top-k of the k1*k2 sums of two per-half candidate lists ``(scores, columns)`` ``[M, k1]``, ``[M, k2]``:
    ``(scores, a, b)`` ``[M, k]``, padded with -inf and columns -1. ``same`` ``[M, k1, k2]`` bool, where
    given, says which pairs are experts (both columns of one grid). Exact: any pair in the true top-k has
    each half in its half's top-k."""
    m, k1 = top_a.shape
    k2 = top_b.shape[1]
    sums = top_a.unsqueeze(2) + top_b.unsqueeze(1)  # [M, k1, k2]
    if same is not None:
        sums.masked_fill_(~same, float("-inf"))
    best, pos = sums.view(m, k1 * k2).topk(min(k, k1 * k2), dim=1)  # [M, k']
    fewer = best == float("-inf")  # pairs past the visible experts
    ca = col_a.gather(1, pos // k2).masked_fill(fewer, -1)  # [M, k']
    cb = col_b.gather(1, pos % k2).masked_fill(fewer, -1)
    (best, ca), (_, cb) = pad_topk(best, ca, k), pad_topk(best, cb, k)
    return best, ca, cb


def _grid_runs(sizes: list[int], grids: Sequence[int] | None) -> list[tuple[int, int]]:
    """``(first column, columns)`` of each grid, for blocks of ``sizes`` columns in grids ``grids``."""
    if grids is None:
        return [(0, sum(sizes))]
    runs: list[list[int]] = []
    start, last = 0, None
    for n, g in zip(sizes, grids):
        if g != last:
            runs.append([start, 0])
            last = g
        runs[-1][1] += n
        start += n
    return [(c0, w) for c0, w in runs]


def _scores(q: Tensor, keys: list[Tensor], cols: int) -> Tensor:
    """``q @ key.T`` of each block's half-keys ``[n_b, d_half]`` side by side: ``[M, C]``.

    One matmul per block, each of the shape the block alone would have (see :func:`product_topk`).
    """
    # [M, C] scratch is large and new every call: mapped buffers fault far less than fresh tensors
    out = empty_buffer((q.shape[0], cols), q)
    if len(keys) == 1:
        return torch.mm(q, keys[0].T, out=out)
    start = 0
    for key in keys:
        out[:, start : start + key.shape[0]] = torch.mm(q, key.T)
        start += key.shape[0]
    return out


class ExpertScores(torch.autograd.Function):
    """Scores ``c_a . q1 + c'_b . q2`` of chosen experts: given values forward, exact gradients backward.

    ``apply(scores [M, k], q1, q2, a, b, *sub_keys)``: the experts (columns a, b of the blocks ``sub_keys``
    side by side, ``[M, k]``) were chosen without autograd and ``scores`` are their values.
    Back-propagating through the search would pass every sub-key's score ``[M, C]``; here the queries'
    gradient is a weighted sum of k key rows each (``embedding_bag``) and a trainable block's half gets a
    sparse ``[n_b, M] @ [M, d_half]`` product over the entries whose column of that half is its own.
    Frozen blocks' keys get nothing.
    """

    @staticmethod
    def forward(ctx, scores, q1, q2, a, b, *sub_keys):
        ctx.save_for_backward(q1, q2, a, b, *sub_keys)
        return scores.clone()

    @staticmethod
    def backward(ctx, grad):
        q1, q2, a, b, *sub_keys = ctx.saved_tensors
        grad = grad.contiguous()  # [M, k]
        m, k = grad.shape
        grads_q = [None, None]
        if ctx.needs_input_grad[1] or ctx.needs_input_grad[2]:
            keys = torch.cat(sub_keys, 1) if len(sub_keys) > 1 else sub_keys[0]  # [2, C, d_half]
            for h, rows in enumerate((a, b)):
                if ctx.needs_input_grad[1 + h]:  # (queries may be lower precision than keys under autocast)
                    weighted = F.embedding_bag(rows, keys[h], per_sample_weights=grad.to(keys.dtype), mode="sum")
                    grads_q[h] = weighted.to(q1.dtype)  # [M, d_half]
        grads_keys = []
        first = 0
        for s, sk in enumerate(sub_keys):
            n = sk.shape[1]
            if not ctx.needs_input_grad[5 + s]:
                grads_keys.append(None)
                first += n
                continue
            halves = []
            for q, rows in ((q1, a.reshape(-1)), (q2, b.reshape(-1))):
                pos = ((rows >= first) & (rows < first + n)).nonzero().squeeze(1)  # [E_s] entries in this block
                chosen = torch.sparse_coo_tensor(torch.stack([rows[pos] - first, pos // k]),
                                                 grad.reshape(-1)[pos].to(sk.dtype), (n, m), check_invariants=False)
                halves.append(torch.sparse.mm(chosen, q.to(sk.dtype)))  # [n, d_half]
            grads_keys.append(torch.stack(halves))  # [2, n, d_half]
            first += n
        return (None, *grads_q, None, None, *grads_keys)


class ProductKeyIndex:
    """Searches one grid's live sub-keys ``[2, n, d_half]`` with two matmuls and three top-ks."""

    differentiable = True

    def __init__(self, sub_keys: Tensor):
        assert sub_keys.dim() == 3 and sub_keys.shape[0] == 2
        self.sub_keys = sub_keys

    def search(self, q1: Tensor, q2: Tensor, k: int) -> tuple[Tensor, Tensor]:
        best, a, b = product_topk(q1, q2, [self.sub_keys], k)  # [M, k]
        n = self.sub_keys.shape[1]
        held = min(k, n * n)  # the tail past the grid's experts is -inf padding
        if torch.is_grad_enabled() and any(t.requires_grad for t in (q1, q2, self.sub_keys)):
            values = ExpertScores.apply(best[:, :held], q1, q2, a[:, :held], b[:, :held], self.sub_keys)
            best = torch.cat([values, best[:, held:]], 1)
        return best, torch.where(best > float("-inf"), a * n + b, -1)
