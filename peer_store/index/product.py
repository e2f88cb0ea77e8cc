"""Exact product-key top-k in torch over the live sub-keys of one segment or of many at once."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

import torch
import torch.nn.functional as F
from torch import Tensor

from peer_store.index.base import pad_topk
from peer_store.kernel import empty_buffer


@torch.no_grad()
def product_topk(
    q1: Tensor, q2: Tensor, sub_keys: Sequence[Tensor], k: int, *, allowed: Tensor | None = None
) -> tuple[Tensor, Tensor, Tensor, Tensor]:
    """Top-k experts over several segments' product keys, in one pass (no autograd:
    :class:`ExpertScores` gives the chosen scores their gradients).

    q1, q2: query halves ``[M, d_half]``; sub_keys: each segment's ``[2, n_s, d_half]`` (n_s may
    differ); allowed: ``[M, S]`` bool, False hides segment s from query m. Returns ``scores
    [M, k]`` (descending) and, for each, the segment (position in ``sub_keys``) and the sub-key
    rows i, j of its key ``[c_i ; c'_j]``, all ``[M, k]``. Where the allowed segments hold
    fewer than k experts the tail scores -inf.

    Shift every first-half score by the best second-half score of its segment:
    ``a'_si = c_si . q1 + max_j c'_sj . q2`` is the score of a real expert, ``(s, i, argmax_j)``,
    and bounds every pair ``(s, i, j)`` above. If ``(s, i, j)`` is in the top-k, fewer than k
    of these distinct experts beat it, so ``(s, i)`` is in the top-k of ``a'`` over all
    segments at once; the same holds for the second half. So the top-k pairs are among the
    k*k pairs of those two lists that share a segment (ties aside). For one segment the shift
    is a constant and this is the paper's per-half top-k. The cost is one top-k per half over
    all sub-keys, then k*k sums, however many segments there are; the scores are one matmul
    per segment, each shaped as that segment alone would be (so limits keep bit-identity).
    """
    sizes = [int(sk.shape[1]) for sk in sub_keys]
    order = sorted(range(len(sizes)), key=sizes.__getitem__)  # stable: equal sizes side by side
    runs = [(n, len(list(g))) for n, g in itertools.groupby(sizes[s] for s in order)]  # (n, segments) in order
    n_keys = torch.tensor([sizes[s] for s in order], device=q1.device)  # [S] per slot (position in order)
    first = torch.cumsum(n_keys, 0) - n_keys  # [S] first column of each slot
    slot_of = torch.repeat_interleave(torch.arange(len(order), device=q1.device), n_keys)  # [C]
    q1, q2 = q1.to(sub_keys[0].dtype), q2.to(sub_keys[0].dtype)  # choose in the keys' precision (queries may be bf16 under autocast)
    m, cols = q1.shape[0], sum(sizes)
    a, b = (_scores(q, [sub_keys[s][h] for s in order], cols) for h, q in enumerate((q1, q2)))  # [M, C]
    kk = min(k, cols)
    if len(order) == 1 and allowed is None:  # the shift is a constant per query: the order is a's and b's
        (top_a, col_a), (top_b, col_b) = a.topk(kk, dim=1), b.topk(kk, dim=1)  # [M, kk]
    else:
        best_a = torch.cat([r.amax(2) for r in _by_slot(a, runs)], 1)  # [M, S]
        best_b = torch.cat([r.amax(2) for r in _by_slot(b, runs)], 1)
        shift_a, shift_b = best_b, best_a
        if allowed is not None:  # a hidden segment's shifted scores are -inf: none of its pairs is chosen
            hidden = ~allowed[:, order]
            shift_a, shift_b = best_b.masked_fill(hidden, float("-inf")), best_a.masked_fill(hidden, float("-inf"))
        top_a, col_a = _shifted(a, shift_a, runs).topk(kk, dim=1)  # [M, kk]
        top_b, col_b = _shifted(b, shift_b, runs).topk(kk, dim=1)
    slot_a = slot_of[col_a]  # [M, kk]
    sums = a.gather(1, col_a).unsqueeze(2) + b.gather(1, col_b).unsqueeze(1)  # [M, kk, kk]
    if len(order) > 1:
        sums.masked_fill_(slot_a.unsqueeze(2) != slot_of[col_b].unsqueeze(1), float("-inf"))  # pairs across segments
    if allowed is not None:
        sums.masked_fill_((top_a == float("-inf")).unsqueeze(2) | (top_b == float("-inf")).unsqueeze(1), float("-inf"))
    best, pos = sums.view(m, kk * kk).topk(min(k, kk * kk), dim=1)  # [M, k']
    pa, pb = pos // kk, pos % kk
    slot = slot_a.gather(1, pa)
    i, j = col_a.gather(1, pa) - first[slot], col_b.gather(1, pb) - first[slot]  # [M, k'] sub-key rows
    segment = torch.tensor(order, device=q1.device)[slot]
    (_, i), (_, j) = pad_topk(best, i, k), pad_topk(best, j, k)  # fewer than k pairs: a segment of < k experts
    return (*pad_topk(best, segment, k), i, j)


def _scores(q: Tensor, keys: list[Tensor], cols: int) -> Tensor:
    """``q @ key.T`` of each segment's half-keys ``[n_s, d_half]`` side by side: ``[M, C]``.

    One matmul per segment, each of the shape the segment alone would have: a BLAS result
    depends on the matrix shapes, so a query limited to the first segments scores them to the
    bit as the memory that held only those did (one matmul over all keys would not).
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


def _by_slot(scores: Tensor, runs: list[tuple[int, int]]) -> Iterator[Tensor]:
    """Views ``[M, g, n]`` of scores ``[M, C]`` for each run of g segments of n sub-keys."""
    start = 0
    for n, g in runs:
        yield scores[:, start : start + g * n].unflatten(1, (g, n))
        start += g * n


def _shifted(scores: Tensor, shift: Tensor, runs: list[tuple[int, int]]) -> Tensor:
    """``scores`` ``[M, C]`` plus each column's segment shift ``[M, S]``."""
    out = empty_buffer(tuple(scores.shape), scores)
    slot = 0
    for view, into in zip(_by_slot(scores, runs), _by_slot(out, runs)):
        torch.add(view, shift[:, slot : slot + view.shape[1]].unsqueeze(2), out=into)  # [M, g, n]
        slot += view.shape[1]
    return out


class ExpertScores(torch.autograd.Function):
    """Scores ``c_i . q1 + c'_j . q2`` of chosen experts: given values forward, exact gradients backward.

    ``apply(scores [M, k], q1, q2, segment, i, j, *sub_keys)``: the experts (segment, sub-key rows
    i, j, all ``[M, k]``) were chosen without autograd and ``scores`` are their values. Back-
    propagating through the search would pass every sub-key's score ``[M, C]``; here the
    queries' gradient is a weighted sum of k key rows each (``embedding_bag``) and a trainable
    segment's sub-keys get a sparse ``[n, M] @ [M, d_half]`` product over the entries that chose
    it. Frozen segments' keys get nothing.
    """

    @staticmethod
    def forward(ctx, scores, q1, q2, segment, i, j, *sub_keys):
        ctx.save_for_backward(q1, q2, segment, i, j, *sub_keys)
        return scores.clone()

    @staticmethod
    def backward(ctx, grad):
        q1, q2, segment, i, j, *sub_keys = ctx.saved_tensors
        grad = grad.contiguous()  # [M, k]
        m, k = grad.shape
        sizes = torch.tensor([sk.shape[1] for sk in sub_keys], device=grad.device)
        first = (torch.cumsum(sizes, 0) - sizes)[segment]  # [M, k] row of each chosen segment's first sub-key
        grads_q = [None, None]
        if ctx.needs_input_grad[1] or ctx.needs_input_grad[2]:
            keys = torch.cat(sub_keys, 1) if len(sub_keys) > 1 else sub_keys[0]  # [2, C, d_half]
            for h, rows in enumerate((first + i, first + j)):
                if ctx.needs_input_grad[1 + h]:  # (queries may be lower precision than keys under autocast)
                    weighted = F.embedding_bag(rows, keys[h], per_sample_weights=grad.to(keys.dtype), mode="sum")
                    grads_q[h] = weighted.to(q1.dtype)  # [M, d_half]
        grads_keys = []
        for s, sk in enumerate(sub_keys):
            if not ctx.needs_input_grad[6 + s]:
                grads_keys.append(None)
                continue
            pos = (segment.reshape(-1) == s).nonzero().squeeze(1)  # [E_s] entries that chose segment s
            query, g = pos // k, grad.reshape(-1)[pos].to(sk.dtype)
            halves = []
            for q, rows in ((q1, i), (q2, j)):
                chosen = torch.sparse_coo_tensor(torch.stack([rows.reshape(-1)[pos], query]), g, (sk.shape[1], m),
                                                 check_invariants=False)  # [n, M]
                halves.append(torch.sparse.mm(chosen, q.to(sk.dtype)))  # [n, d_half]
            grads_keys.append(torch.stack(halves))  # [2, n, d_half]
        return (None, *grads_q, None, None, None, *grads_keys)


class ProductKeyIndex:
    """Searches a segment's live sub-keys ``[2, n, d_half]`` with two matmuls and three top-ks."""

    differentiable = True

    def __init__(self, sub_keys: Tensor):
        assert sub_keys.dim() == 3 and sub_keys.shape[0] == 2
        self.sub_keys = sub_keys

    def search(self, q1: Tensor, q2: Tensor, k: int) -> tuple[Tensor, Tensor]:
        best, segment, i, j = product_topk(q1, q2, [self.sub_keys], k)  # [M, k]
        n = self.sub_keys.shape[1]
        held = min(k, n * n)  # the tail past the segment's experts is -inf padding
        if torch.is_grad_enabled() and any(t.requires_grad for t in (q1, q2, self.sub_keys)):
            values, segment, i_held, j_held = (t[:, :held] for t in (best, segment, i, j))
            values = ExpertScores.apply(values, q1, q2, segment, i_held, j_held, self.sub_keys)
            best = torch.cat([values, best[:, held:]], 1)
        return best, torch.where(best > float("-inf"), i * n + j, -1)
