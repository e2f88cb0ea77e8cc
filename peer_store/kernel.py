"""The expert mixture of a PEER layer as an autograd function, in two kernels.

For every token t and each of its m = h*k retrieved experts e (global id r_e):

    s_e = u_{r_e} . x_t              pre-activation of the single-neuron expert
    y_t = sum_e gate_e * act(s_e) * v_{r_e}

The down vectors u and up vectors v live in several tables (one pair per
shell of the memory, each covering a contiguous id range). The gather kernel

- gathers rows chunk by chunk, so ``[tokens, h, k, d]`` is never held whole
  (scratch is ``chunk_entries * d`` floats) and nothing is gathered twice in
  the forward pass;
- reads the leading (frozen) tables as one joined table when the caller has
  one (``prefix``), so a chunk costs one gather however many shells there
  are, plus one per table after the prefix (the trainable ones);
- saves only ``x``, ``gate``, ``ids`` and the pre-activations ``s`` for the
  backward pass and gathers again there (cheaper than keeping ``[E, d]``);
- returns uncoalesced sparse COO gradients for the tables that need them: one
  row of values per entry of that table, so memory and time scale with
  tokens*h*k, not with N, and frozen shells' entries cost no gradient rows.
  The row-wise optimizer in :mod:`peer_store.optim` sums duplicates itself.

The dense kernel (:class:`_DenseMixture`) computes the same sums with matmuls
over every expert and wins while N is a small multiple of h*k (a fresh or
small memory); :func:`pick_kernel` chooses between them.
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


class _Entries:
    """Where the row of every retrieved entry lives, for gathers in one pass per chunk.

    The base table serves every id in its range with one ``index_select``: ``prefix`` (the
    leading tables joined in id order, e.g. :meth:`ExpertMemory.frozen_prefix`) when given,
    else the first table. Tables after it (the trainable ones) are gathered per table and
    written over their entries, whose positions are found once per pass, not per chunk: a
    chunk costs one gather plus one per later table, however many segments the base holds.
    """

    def __init__(self, ids: Tensor, offsets: Sequence[int], sizes: Sequence[int], base_rows: int, chunk: int):
        # ids: [E] flat global ids; chunk: entries per chunk
        self.ids, self.offsets, self.sizes, self.base_rows = ids, list(offsets), list(sizes), base_rows
        end = self.offsets[0] + base_rows
        self.later = [i for i, o in enumerate(self.offsets) if o >= end]  # tables the base does not hold
        self.pos = {i: self._positions(i) for i in self.later}  # [E_i] sorted entry positions of table i
        edges = torch.arange(0, ids.numel() + chunk, chunk, device=ids.device).clamp_(max=ids.numel())
        self.starts = {i: torch.searchsorted(pos, edges).tolist() for i, pos in self.pos.items()}  # per chunk

    def _positions(self, i: int) -> Tensor:
        lo, hi = self.offsets[i], self.offsets[i] + self.sizes[i]
        return ((self.ids >= lo) & (self.ids < hi)).nonzero().squeeze(1)

    def of_table(self, i: int) -> Tensor | None:
        """Positions of table i's entries, or None when it holds every entry (the only table)."""
        if len(self.sizes) == 1:
            return None
        return self.pos[i] if i in self.pos else self._positions(i)

    def gather(self, base: Tensor, weights: Sequence[Tensor], c: int, e0: int, e1: int, out: Tensor) -> Tensor:
        """Rows of entries ``[e0, e1)`` (chunk c) into ``out[:e1 - e0]`` (a buffer reused across
        chunks: writing into memory already touched is several times faster than a fresh tensor)."""
        out = out[: e1 - e0]
        local = self.ids[e0:e1] - self.offsets[0] if self.offsets[0] else self.ids[e0:e1]
        if self.later:  # their entries are overwritten below; any row of the base will do meanwhile
            local = local.clamp(max=self.base_rows - 1)
        torch.index_select(base, 0, local, out=out)
        for i in self.later:
            pos = self.pos[i][self.starts[i][c] : self.starts[i][c + 1]]  # [E_ic]
            if pos.numel():
                rows = weights[i].index_select(0, self.ids.index_select(0, pos) - self.offsets[i])
                out.index_copy_(0, pos - e0, rows)
        return out


def _entry_rows(coef: Tensor, vecs: Tensor, pos: Tensor | None) -> Tensor:
    """Per-entry gradient rows ``coef[t, e] * vecs[t]`` ``[E', d]`` for the entries ``pos`` of
    flat ``[T * m]`` (every entry when None), e.g. d loss / d u = g_s * x."""
    n_tok, m = coef.shape
    d = vecs.shape[1]
    if pos is None:
        out = empty_buffer((n_tok, m, d), vecs)
        return torch.mul(coef.unsqueeze(2), vecs.unsqueeze(1), out=out).view(-1, d)
    out = empty_buffer((pos.numel(), d), vecs)
    torch.index_select(vecs, 0, pos // m, out=out)  # [E', d]: the token of every entry
    return out.mul_(coef.reshape(-1).index_select(0, pos).unsqueeze(1))


class _ExpertMixture(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, gate, ids, offsets, act, chunk_entries, prefix_down, prefix_up, *weights):
        # x [T, d], gate [T, m], ids [T, m] global; weights = (down_0, up_0, down_1, up_1, ...);
        # prefix_down/up: the leading (frozen) tables joined, or None
        n_tok, m = ids.shape
        downs, ups = weights[0::2], weights[1::2]
        base_down = downs[0] if prefix_down is None else prefix_down
        base_up = ups[0] if prefix_up is None else prefix_up
        step = max(1, chunk_entries // m)
        where = _Entries(ids.reshape(-1), offsets, [w.shape[0] for w in downs], base_down.shape[0], step * m)
        s = x.new_empty(n_tok, m)
        y = x.new_empty(x.shape)
        buf = empty_buffer((min(n_tok, step) * m, x.shape[1]), x)  # [chunk entries, d], reused
        for c, t0 in enumerate(range(0, n_tok, step)):
            t1 = min(n_tok, t0 + step)
            e0, e1 = t0 * m, t1 * m
            u = where.gather(base_down, downs, c, e0, e1, buf).view(t1 - t0, m, -1)  # [c, m, d]
            s_c = torch.bmm(u, x[t0:t1].unsqueeze(2)).squeeze(2)  # [c, m]
            s[t0:t1] = s_c
            coef = gate[t0:t1] * activation(s_c, act)  # [c, m]
            v = where.gather(base_up, ups, c, e0, e1, buf).view(t1 - t0, m, -1)  # [c, m, d]
            y[t0:t1] = torch.bmm(coef.unsqueeze(1), v).squeeze(1)  # [c, d]
        ctx.save_for_backward(x, gate, ids, s, base_down, base_up, *weights)
        ctx.offsets, ctx.act, ctx.step = offsets, act, step
        return y

    @staticmethod
    def backward(ctx, grad_y):
        x, gate, ids, s, base_down, base_up, *weights = ctx.saved_tensors
        need_x, need_gate = ctx.needs_input_grad[0], ctx.needs_input_grad[1]
        need_w = ctx.needs_input_grad[8:]
        need_s = need_x or any(need_w[0::2])  # d loss / d s, for x and the down rows
        downs, ups = weights[0::2], weights[1::2]
        n_tok, m = ids.shape
        d = x.shape[1]
        step = ctx.step
        flat_ids = ids.reshape(-1)
        where = _Entries(flat_ids, ctx.offsets, [w.shape[0] for w in downs], base_down.shape[0], step * m)
        grad_y = grad_y.contiguous()
        gx = torch.empty_like(x) if need_x else None
        ggate = torch.empty_like(gate) if need_gate else None
        g_s = torch.empty_like(s) if need_s else None  # [T, m] d loss / d s
        buf = empty_buffer((min(n_tok, step) * m, d), x)  # [chunk entries, d], reused
        for c, t0 in enumerate(range(0, n_tok, step) if need_gate or need_s else ()):
            t1 = min(n_tok, t0 + step)
            e0, e1 = t0 * m, t1 * m
            s_c, g_c = s[t0:t1], gate[t0:t1]  # [c, m]
            v = where.gather(base_up, ups, c, e0, e1, buf).view(t1 - t0, m, d)  # [c, m, d]
            g_coef = torch.bmm(v, grad_y[t0:t1].unsqueeze(2)).squeeze(2)  # [c, m]: d loss / d (gate * act)
            if need_gate:
                ggate[t0:t1] = g_coef * activation(s_c, ctx.act)
            if need_s:
                g_s[t0:t1] = g_coef * g_c * activation_grad(s_c, ctx.act)
            if need_x:
                u = where.gather(base_down, downs, c, e0, e1, buf).view(t1 - t0, m, d)  # [c, m, d]
                gx[t0:t1] = torch.bmm(g_s[t0:t1].unsqueeze(1), u).squeeze(1)  # [c, d]
        # Gradient rows only for the tables that want them (trainable segments), one per entry of theirs.
        g_up = gate * activation(s, ctx.act) if any(need_w[1::2]) else None  # [T, m]: d loss / d v = g_up * grad_y
        grads_w = []
        for n, (w, need) in enumerate(zip(weights, need_w)):
            if not need:
                grads_w.append(None)
                continue
            pos = where.of_table(n // 2)
            values = _entry_rows(g_s, x, pos) if n % 2 == 0 else _entry_rows(g_up, grad_y, pos)  # [E_i, d]
            rows = (flat_ids if pos is None else flat_ids.index_select(0, pos)) - ctx.offsets[n // 2]
            grads_w.append(torch.sparse_coo_tensor(rows.unsqueeze(0), values, w.shape,
                                                   is_coalesced=False, check_invariants=False))
        return (gx, ggate, None, None, None, None, None, None, *grads_w)


class _DenseMixture(torch.autograd.Function):
    """The same mixture for memories small next to the entries per token (N <= ~32 * m).

    Every expert's pre-activation is one matmul ``x @ down^T`` (``[c, N]`` per chunk of c
    tokens); the retrieved ones are picked out, their coefficients are scattered into a
    ``[c, N]`` matrix that is zero elsewhere, and ``y`` is one matmul with ``up``. The
    backward pass is four more matmuls. Gathering ``[T, m, d]`` rows costs memory traffic
    per entry; for a few hundred experts the matmuls over all N are far cheaper. The table
    gradients are still sparse: COO with one row per retrieved row, the others' gradients
    being exactly zero (they never reach the optimizer).
    """

    @staticmethod
    def forward(ctx, x, gate, ids, offsets, act, chunk_entries, *weights):
        n_tok, m = ids.shape
        down, up = _concat(weights[0::2]), _concat(weights[1::2])  # [N, d]
        cols = ids - offsets[0]  # [T, m] columns of [., N]
        step = max(1, chunk_entries * x.shape[1] // down.shape[0])  # scratch [step, N] = the gather path's
        s = x.new_empty(n_tok, m)
        y = x.new_empty(x.shape)
        for t0 in range(0, n_tok, step):
            t1 = min(n_tok, t0 + step)
            full = x[t0:t1] @ down.T  # [c, N]
            s_c = torch.gather(full, 1, cols[t0:t1])  # [c, m]
            s[t0:t1] = s_c
            coef = full.zero_().scatter_add_(1, cols[t0:t1], gate[t0:t1] * activation(s_c, act))  # [c, N]
            torch.mm(coef, up, out=y[t0:t1])
        ctx.save_for_backward(x, gate, cols, s, down, up)  # the concatenated tables, not built again
        ctx.sizes, ctx.act, ctx.step = [w.shape[0] for w in weights[0::2]], act, step
        return y

    @staticmethod
    def backward(ctx, grad_y):
        x, gate, cols, s, down, up = ctx.saved_tensors  # down, up: [N, d]
        need_x, need_gate = ctx.needs_input_grad[0], ctx.needs_input_grad[1]
        need_w = ctx.needs_input_grad[6:]
        need_down, need_up = any(need_w[0::2]), any(need_w[1::2])
        n_tok = x.shape[0]
        grad_y = grad_y.contiguous()
        gx = torch.empty_like(x) if need_x else None
        ggate = torch.empty_like(gate) if need_gate else None
        gdown = torch.zeros_like(down) if need_down else None
        gup = torch.zeros_like(up) if need_up else None
        for t0 in range(0, n_tok, ctx.step):
            t1 = min(n_tok, t0 + ctx.step)
            gy, c_c, s_c, g_c = grad_y[t0:t1], cols[t0:t1], s[t0:t1], gate[t0:t1]
            a_c = activation(s_c, ctx.act)
            if need_gate or need_x or need_down:
                full = gy @ up.T  # [c, N]: d loss / d (coefficient of every expert)
                g_coef = torch.gather(full, 1, c_c)  # [c, m]
                if need_gate:
                    ggate[t0:t1] = g_coef * a_c
                g_s = full.zero_().scatter_add_(1, c_c, g_coef * g_c * activation_grad(s_c, ctx.act))  # [c, N]
                if need_x:
                    torch.mm(g_s, down, out=gx[t0:t1])
                if need_down:
                    gdown.addmm_(g_s.T, x[t0:t1])
            if need_up:
                coef = x.new_zeros(t1 - t0, up.shape[0]).scatter_add_(1, c_c, g_c * a_c)  # [c, N]
                gup.addmm_(coef.T, gy)
        rows = torch.unique(cols) if need_down or need_up else None  # retrieved rows, sorted
        grads_w = []
        start = 0
        for i, n in enumerate(ctx.sizes):
            mine = rows[(rows >= start) & (rows < start + n)] if rows is not None else None
            for full_grad, need in ((gdown, need_w[2 * i]), (gup, need_w[2 * i + 1])):
                if not need:
                    grads_w.append(None)
                    continue
                grads_w.append(
                    torch.sparse_coo_tensor(
                        (mine - start).unsqueeze(0), full_grad.index_select(0, mine), (n, x.shape[1]),
                        is_coalesced=True, check_invariants=False,
                    )
                )
            start += n
        return (gx, ggate, None, None, None, None, *grads_w)


def _concat(tables: Sequence[Tensor]) -> Tensor:
    return tables[0] if len(tables) == 1 else torch.cat(list(tables))


DENSE_RATIO = 32
"""'auto' uses the dense kernel while the memory holds at most this many experts per retrieved
entry of a token (N <= 32 * h * k): below that, one matmul over every expert beats gathering the retrieved
rows; above it, its cost per expert wins out. ``python benchmarks/kernel.py`` measures the crossover."""


def pick_kernel(kernel: str, n_experts: int, entries_per_token: int) -> str:
    """'gather' or 'dense' for a memory of ``n_experts`` and ``entries_per_token`` = h * k."""
    if kernel == "auto":
        return "dense" if n_experts <= DENSE_RATIO * entries_per_token else "gather"
    assert kernel in ("gather", "dense"), kernel
    return kernel


def expert_mixture(
    x: Tensor,
    gate: Tensor,
    ids: Tensor,
    tables: Sequence[tuple[int, Tensor, Tensor]],
    activation: str = "gelu",
    chunk_entries: int = 16384,
    kernel: str = "gather",
    *,
    prefix: tuple[Tensor, Tensor] | None = None,
) -> Tensor:
    """``y[t] = sum_e gate[t, e] * act(u[ids[t, e]] . x[t]) * v[ids[t, e]]``.

    x: ``[T, d]``; gate, ids: ``[T, m]``; tables: ``(offset, down [n, d], up [n, d])``
    sorted by offset, covering contiguous id ranges. Returns ``[T, d]``. ``kernel``:
    'gather' (time and memory per entry, any N), 'dense' (matmuls over all N experts,
    for small memories) or 'auto' (:func:`pick_kernel`). Both give the same values and
    sparse table gradients over the retrieved rows. ``prefix``: the down and up rows of the
    leading tables joined in id order (:meth:`ExpertMemory.frozen_prefix`), which the gather
    kernel reads every id they hold from in one pass (the dense kernel joins all tables
    itself); they must equal those tables.
    """
    assert x.dim() == 2 and gate.shape == ids.shape and ids.shape[0] == x.shape[0]
    assert ids.dtype == torch.long
    offsets = tuple(int(t[0]) for t in tables)
    assert list(offsets) == sorted(offsets)
    weights = [w for _, down, up in tables for w in (down, up)]
    n_experts = sum(int(down.shape[0]) for _, down, _ in tables)
    if pick_kernel(kernel, n_experts, ids.shape[1]) == "dense":
        ends = [o + int(down.shape[0]) for o, down, _ in tables]
        assert list(offsets[1:]) == ends[:-1], "the dense kernel needs contiguous tables"
        return _DenseMixture.apply(x, gate, ids, offsets, activation, chunk_entries, *weights)
    prefix_down, prefix_up = (None, None) if prefix is None else prefix
    if prefix is not None:  # it ends where a table ends
        rows = prefix_down.shape[0]
        assert prefix_up.shape[0] == rows and offsets[0] + rows in (*offsets[1:], offsets[0] + n_experts), rows
    return _ExpertMixture.apply(x, gate, ids, offsets, activation, chunk_entries, prefix_down, prefix_up, *weights)
