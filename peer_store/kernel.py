"""The expert mixture of a PEER layer as one autograd function.

For every token t and each of its m = h*k retrieved experts e (global id r_e):

    s_e = u_{r_e} . x_t              pre-activation of the single-neuron expert
    y_t = sum_e gate_e * act(s_e) * v_{r_e}

The down vectors u and up vectors v live in several tables (one pair per
segment, each covering a contiguous id range). The kernel

- gathers rows chunk by chunk, so ``[tokens, h, k, d]`` is never held whole
  (scratch is ``chunk_entries * d`` floats) and nothing is gathered twice in
  the forward pass;
- saves only ``x``, ``gate``, ``ids`` and the pre-activations ``s`` for the
  backward pass and gathers again there (cheaper than keeping ``[E, d]``);
- returns uncoalesced sparse COO gradients for the tables: one row of values
  per retrieved entry, so memory and time scale with tokens*h*k, not with N.
  The row-wise optimizer in :mod:`peer_store.optim` sums duplicates itself.
"""

from __future__ import annotations

import math
import mmap
from collections.abc import Sequence

import torch
from torch import Tensor

_SQRT_2PI = math.sqrt(2.0 * math.pi)


def activation(s: Tensor, kind: str) -> Tensor:
    if kind == "gelu":
        return torch.nn.functional.gelu(s)
    assert kind == "relu", kind
    return torch.relu(s)


def activation_grad(s: Tensor, kind: str) -> Tensor:
    """d act / d s, elementwise (exact GELU: Phi(s) + s * phi(s))."""
    if kind == "gelu":
        cdf = 0.5 * (1.0 + torch.erf(s * (1.0 / math.sqrt(2.0))))
        pdf = torch.exp(-0.5 * s * s) / _SQRT_2PI
        return cdf + s * pdf
    assert kind == "relu", kind
    return (s > 0).to(s.dtype)


_HUGE = 2 << 20  # 2 MiB: a transparent huge page


def empty_buffer(shape: tuple[int, ...], like: Tensor) -> Tensor:
    """An uninitialised tensor for large per-step scratch and gradient rows.

    On the CPU, a fresh glibc allocation of more than 32 MiB is a new mapping
    every time, and touching it costs a page fault per 4 KiB: for the [E, d]
    gradient rows that is most of the cost of writing them. Backing such
    buffers with an anonymous mapping advised for transparent huge pages takes
    512x fewer faults (about 3x faster to fill here); where THP is off it is an
    ordinary mapping. Anything else uses torch's allocator.
    """
    numel = math.prod(shape)
    nbytes = numel * like.element_size()
    if like.device.type != "cpu" or nbytes < _HUGE or not hasattr(mmap, "MADV_HUGEPAGE"):
        return like.new_empty(shape)
    mapping = mmap.mmap(-1, nbytes, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    mapping.madvise(mmap.MADV_HUGEPAGE)
    return torch.frombuffer(mapping, dtype=like.dtype, count=numel).view(shape)  # keeps `mapping` alive


class _Tables:
    """Maps global expert ids to rows of several (offset, table) pairs."""

    def __init__(self, offsets: Sequence[int], weights: Sequence[Tensor]):
        self.offsets = list(offsets)
        self.weights = list(weights)
        assert len(self.offsets) == len(self.weights) >= 1
        self.bounds = torch.tensor(self.offsets[1:], dtype=torch.long, device=weights[0].device)

    def segment_of(self, ids: Tensor) -> Tensor | None:
        """Segment index of every id, or None when there is one segment."""
        if len(self.weights) == 1:
            return None
        return torch.bucketize(ids, self.bounds, right=True)

    def gather(self, ids: Tensor, seg: Tensor | None, out: Tensor) -> Tensor:
        """Rows for flat global ids into ``out[:len(ids)]`` (a buffer reused across chunks:
        writing into memory already touched is several times faster than a fresh tensor)."""
        out = out[: ids.numel()]
        if seg is None:
            return torch.index_select(self.weights[0], 0, ids - self.offsets[0] if self.offsets[0] else ids, out=out)
        for i, (offset, weight) in enumerate(zip(self.offsets, self.weights)):
            pos = (seg == i).nonzero().squeeze(1)
            if pos.numel():
                out.index_copy_(0, pos, weight.index_select(0, ids.index_select(0, pos) - offset))
        return out

    def sparse_grad(self, i: int, ids: Tensor, seg: Tensor | None, values: Tensor) -> Tensor:
        """Uncoalesced COO gradient of table i from per-entry rows of values."""
        weight = self.weights[i]
        if seg is None:
            rows, vals = ids, values
        else:
            pos = (seg == i).nonzero().squeeze(1)
            rows, vals = ids.index_select(0, pos), values.index_select(0, pos)
        if self.offsets[i]:
            rows = rows - self.offsets[i]
        return torch.sparse_coo_tensor(rows.unsqueeze(0), vals, weight.shape, is_coalesced=False, check_invariants=False)


class _ExpertMixture(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, gate, ids, offsets, act, chunk_entries, *weights):
        # x [T, d], gate [T, m], ids [T, m] global; weights = (down_0, up_0, down_1, up_1, ...)
        n_tok, m = ids.shape
        downs, ups = _Tables(offsets, weights[0::2]), _Tables(offsets, weights[1::2])
        flat_ids = ids.reshape(-1)
        seg = downs.segment_of(flat_ids)
        step = max(1, chunk_entries // m)
        s = x.new_empty(n_tok, m)
        y = x.new_empty(x.shape)
        buf = empty_buffer((min(n_tok, step) * m, x.shape[1]), x)  # [chunk entries, d], reused
        for t0 in range(0, n_tok, step):
            t1 = min(n_tok, t0 + step)
            e0, e1 = t0 * m, t1 * m
            id_c, seg_c = flat_ids[e0:e1], None if seg is None else seg[e0:e1]
            u = downs.gather(id_c, seg_c, buf).view(t1 - t0, m, -1)  # [c, m, d]
            s_c = torch.bmm(u, x[t0:t1].unsqueeze(2)).squeeze(2)  # [c, m]
            s[t0:t1] = s_c
            coef = gate[t0:t1] * activation(s_c, act)  # [c, m]
            v = ups.gather(id_c, seg_c, buf).view(t1 - t0, m, -1)  # [c, m, d]
            y[t0:t1] = torch.bmm(coef.unsqueeze(1), v).squeeze(1)  # [c, d]
        ctx.save_for_backward(x, gate, ids, s, seg if seg is not None else torch.empty(0), *weights)
        ctx.offsets, ctx.act, ctx.step, ctx.multi = offsets, act, step, seg is not None
        return y

    @staticmethod
    def backward(ctx, grad_y):
        x, gate, ids, s, seg, *weights = ctx.saved_tensors
        seg = seg if ctx.multi else None
        downs, ups = _Tables(ctx.offsets, weights[0::2]), _Tables(ctx.offsets, weights[1::2])
        need_x, need_gate = ctx.needs_input_grad[0], ctx.needs_input_grad[1]
        need_w = ctx.needs_input_grad[6:]
        need_down = any(need_w[0::2])
        need_up = any(need_w[1::2])
        n_tok, m = ids.shape
        d = x.shape[1]
        flat_ids = ids.reshape(-1)
        grad_y = grad_y.contiguous()
        gx = torch.empty_like(x) if need_x else None
        ggate = torch.empty_like(gate) if need_gate else None
        gdown = empty_buffer((n_tok, m, d), x) if need_down else None  # per-entry rows of d loss / d u
        gup = empty_buffer((n_tok, m, d), x) if need_up else None  # per-entry rows of d loss / d v
        step = ctx.step
        buf = empty_buffer((min(n_tok, step) * m, d), x)  # [chunk entries, d], reused
        for t0 in range(0, n_tok, step):
            t1 = min(n_tok, t0 + step)
            e0, e1 = t0 * m, t1 * m
            id_c, seg_c = flat_ids[e0:e1], None if seg is None else seg[e0:e1]
            gy = grad_y[t0:t1]  # [c, d]
            s_c, g_c = s[t0:t1], gate[t0:t1]  # [c, m]
            a_c = activation(s_c, ctx.act)
            if need_gate or need_x or need_down:
                v = ups.gather(id_c, seg_c, buf).view(t1 - t0, m, d)  # [c, m, d]
                g_coef = torch.bmm(v, gy.unsqueeze(2)).squeeze(2)  # [c, m]: d loss / d (gate * act)
                if need_gate:
                    ggate[t0:t1] = g_coef * a_c
                g_s = g_coef * g_c * activation_grad(s_c, ctx.act)  # [c, m]
                if need_x:
                    u = downs.gather(id_c, seg_c, buf).view(t1 - t0, m, d)
                    gx[t0:t1] = torch.bmm(g_s.unsqueeze(1), u).squeeze(1)  # [c, d]
                if need_down:
                    torch.mul(g_s.unsqueeze(2), x[t0:t1].unsqueeze(1), out=gdown[t0:t1])
            if need_up:
                torch.mul((g_c * a_c).unsqueeze(2), gy.unsqueeze(1), out=gup[t0:t1])
        grads_w = []
        for i in range(len(weights) // 2):
            for values, tables, need in ((gdown, downs, need_w[2 * i]), (gup, ups, need_w[2 * i + 1])):
                grads_w.append(tables.sparse_grad(i, flat_ids, seg, values.view(-1, d)) if need else None)
        return (gx, ggate, None, None, None, None, *grads_w)


def expert_mixture(
    x: Tensor,
    gate: Tensor,
    ids: Tensor,
    tables: Sequence[tuple[int, Tensor, Tensor]],
    activation: str = "gelu",
    chunk_entries: int = 16384,
) -> Tensor:
    """``y[t] = sum_e gate[t, e] * act(u[ids[t, e]] . x[t]) * v[ids[t, e]]``.

    x: ``[T, d]``; gate, ids: ``[T, m]``; tables: ``(offset, down [n, d], up [n, d])``
    sorted by offset, covering contiguous id ranges. Returns ``[T, d]``.
    """
    assert x.dim() == 2 and gate.shape == ids.shape and ids.shape[0] == x.shape[0]
    assert ids.dtype == torch.long
    offsets = tuple(int(t[0]) for t in tables)
    assert list(offsets) == sorted(offsets)
    weights = [w for _, down, up in tables for w in (down, up)]
    return _ExpertMixture.apply(x, gate, ids, offsets, activation, chunk_entries, *weights)
