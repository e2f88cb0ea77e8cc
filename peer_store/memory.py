"""ExpertMemory: one product-key grid that grows by shells and freezes them."""

from __future__ import annotations

import itertools
from typing import Any

import torch
from torch import Tensor, nn

from peer_store.errors import ConfigError
from peer_store.index.product import ExpertScores, product_topk
from peer_store.segment import Segment, shell_experts


class ExpertMemory(nn.Module):
    """A product-key grid that grows by shells; shell s owns global ids ``[offset_s, offset_s + rows_s)``.

    The grid's sub-keys per half are its shells' sub-keys in order, and the experts of its first ``n``
    sub-keys, the square ``[0, n)**2``, are exactly the ids below ``n**2``: a version of the memory is a
    square, and a query limited to the first shells searches that square exactly. Ids never change:
    growing appends a shell after the last id. A memory loaded from a store made before shells holds one
    grid per segment of that store (each a shell with ``start = 0``) and grows its last grid. All
    resumable state (shell shapes, frozen flags, growth step) is in ``state_dict`` via
    ``get_extra_state``, so ``load_state_dict`` rebuilds a memory of any shape before loading its tensors.
    """

    def __init__(self, d_model: int, d_key: int):
        super().__init__()
        if d_key % 2:
            raise ConfigError(f"d_key must be even to split into two product-key halves, got {d_key}")
        self.d_model, self.d_key = d_model, d_key
        self.segments = nn.ModuleList()  # the shells, in id order
        self.growth_step = 0
        self._prefix: tuple[Tensor, Tensor] | None = None  # see frozen_prefix
        self._prefix_key: list | None = None
        self._faiss: list | None = None  # see serve_frozen_with_faiss

    # -- shape -------------------------------------------------------------------------------
    @property
    def d_half(self) -> int:
        return self.d_key // 2

    @property
    def num_experts(self) -> int:
        return sum(s.num_experts for s in self.segments)

    @property
    def n_keys(self) -> int:
        """Sub-keys per half of the last grid: the side of the square the whole memory is."""
        return self.segments[-1].start + self.segments[-1].n_keys if len(self.segments) else 0

    @property
    def offsets(self) -> list[int]:
        out, total = [], 0
        for s in self.segments:
            out.append(total)
            total += s.num_experts
        return out

    def tables(self) -> list[tuple[int, Tensor, Tensor]]:
        """``(offset, down [n, d], up [n, d])`` of every shell, in id order."""
        return [(o, s.down.weight, s.up.weight) for o, s in zip(self.offsets, self.segments)]

    def frozen_prefix(self) -> tuple[Tensor, Tensor] | None:
        """Down and up rows ``[N_f, d]`` of the leading frozen shells joined in id order (None when the
        first shell is trainable), for :func:`peer_store.kernel.expert_mixture` to gather from in one pass.

        One frozen shell gives its own tables. Several are copied into one table each, once, and the
        copy is kept until the prefix changes: another tensor or storage (load, ``.to``), more frozen
        shells (freeze) or an in-place write autograd counts (``load_state_dict``). The copy holds
        the frozen rows a second time; the shells stay as they are (memory-mapped or not, never
        written).
        """
        lead = list(itertools.takewhile(lambda s: s.frozen, self.segments))
        if len(lead) <= 1:
            return (lead[0].down.weight, lead[0].up.weight) if lead else None
        tables = [w for s in lead for w in (s.down.weight, s.up.weight)]
        key = [(id(w), w.data_ptr(), w._version, w.shape, w.dtype) for w in tables]
        if self._prefix_key != key:
            self._prefix = None  # let the old copy go before the new one is made
            self._prefix = (torch.cat(tables[0::2]), torch.cat(tables[1::2]))
            self._prefix_key = key
        return self._prefix

    # -- growth ------------------------------------------------------------------------------
    def freeze(self) -> None:
        """Freeze every current shell."""
        for s in self.segments:
            s.freeze()

    def grow(self, n_keys: int, *, sub_keys: Tensor | None = None) -> Segment:
        """Append a trainable shell: ``n_keys`` new sub-keys per half and the ``2 * n * n_keys + n_keys**2``
        experts they add to the grid of ``n`` (an empty memory gets its first grid, ``n_keys**2`` experts).

        ``sub_keys`` ``[2, n_keys, d_half]`` initialises the new sub-keys, e.g. from
        :func:`peer_store.index.kmeans_sub_keys` over queries of the new data.
        """
        if not isinstance(n_keys, int) or n_keys < 1:
            raise ConfigError(f"n_keys must be a positive integer, got {n_keys!r}")
        if sub_keys is not None and tuple(sub_keys.shape) != (2, n_keys, self.d_half):
            raise ConfigError(
                f"sub_keys must be [2, {n_keys}, {self.d_half}] for this memory, got {tuple(sub_keys.shape)}"
            )
        shell = Segment(n_keys, self.d_model, self.d_half, start=self.n_keys,
                        sub_keys=None if sub_keys is None else sub_keys.clone())
        self.segments.append(self._place(shell))
        self.growth_step += 1
        return shell

    def _place(self, shell: Segment) -> Segment:
        """A new shell on the memory's device and dtype (a sharded memory also spreads its tables)."""
        ref = next(self.parameters(), None)
        if ref is not None:
            shell.to(ref.device, ref.dtype)
        return shell

    def serve_frozen_with_faiss(self, enabled: bool = True) -> int:
        """Serve the per-half search of every frozen shell from faiss flat indexes (GPU when faiss has
        GPUs); returns how many. Trainable shells keep torch's scores, which carry gradients to their keys;
        a shell grown or unfrozen later is searched with torch. ``enabled=False`` goes back to torch."""
        if not enabled:
            self._faiss = None
            return 0
        if self._layout(torch.device("cpu"))["grids"] is not None:
            raise ConfigError("this memory holds several grids (a store made before shells); faiss serves one grid, "
                              "so search it with torch")
        from peer_store.index.faiss_index import FaissProductIndex

        self._faiss = [FaissProductIndex(s.sub_keys) if s.frozen else None for s in self.segments]
        return sum(index is not None for index in self._faiss)

    # -- retrieval ---------------------------------------------------------------------------
    def search(self, q: Tensor, k: int, *, segments: Tensor | None = None) -> tuple[Tensor, Tensor]:
        """Global top-k experts for queries ``[M, d_key]``: ``(scores [M, k], global ids [M, k])``.

        The exact product-key search of the grid (:func:`peer_store.index.product.product_topk`).
        ``segments`` ``[M]`` (int) limits each query to the first ``segments[m]`` shells, the square of
        the version of the store that held them: every later shell's sub-key columns are hidden from it.
        Scores are differentiable w.r.t. the queries and the live sub-keys: the search runs without
        autograd and :class:`~peer_store.index.product.ExpertScores` gives the chosen experts' scores
        their gradients (through M*k keys, not every sub-key's score).
        """
        if k > self.num_experts:
            raise ConfigError(f"top_k={k} is larger than the {self.num_experts} experts in the memory; lower top_k")
        if segments is not None:
            self._check_limits(segments, q.shape[0], k)
        q1, q2 = q[:, : self.d_half], q[:, self.d_half :]  # [M, d_half] each
        layout = self._layout(q.device)
        hidden = None
        if segments is not None and segments.numel() and int(segments.min()) < len(self.segments):
            hidden = layout["shell_of"].unsqueeze(0) >= segments.unsqueeze(1)  # [M, C]
        sub_keys = [s.sub_keys for s in self.segments]
        with torch.no_grad():
            served = self._faiss and [f if s.frozen else None for f, s in zip(self._faiss, self.segments)]
            if served and any(served):
                from peer_store.index.faiss_index import faiss_topk

                scores, a, b = faiss_topk(q1, q2, served, sub_keys, k, hidden=hidden)
            else:
                scores, a, b = product_topk(q1, q2, sub_keys, k, grids=layout["grids"], hidden=hidden)
            ids = pair_ids(a, b, layout)  # [M, k]
        if torch.is_grad_enabled() and (q.requires_grad or any(s.requires_grad for s in sub_keys)):
            scores = ExpertScores.apply(scores, q1, q2, a, b, *sub_keys)
        return scores, ids

    def _layout(self, device: torch.device) -> dict[str, Any]:
        """Per sub-key column and per shell, what :func:`pair_ids` needs; ``grids``: each shell's grid
        (None for one grid)."""
        starts = [s.start for s in self.segments]
        sizes = torch.tensor([s.n_keys for s in self.segments], device=device)  # [S]
        grid = list(itertools.accumulate(int(st == 0) for st in starts))  # [S] grid number (from 1)
        first_col = torch.cumsum(sizes, 0) - sizes  # [S]
        return {
            "shell_of": torch.repeat_interleave(torch.arange(len(starts), device=device), sizes),  # [C]
            "start": torch.tensor(starts, device=device),
            "size": sizes,
            "grid_col": first_col - torch.tensor(starts, device=device),  # [S] first column of each shell's grid
            "offset": torch.tensor(self.offsets, device=device),
            "grids": None if grid[-1] == 1 else grid,
        }

    def _check_limits(self, segments: Tensor, m: int, k: int) -> None:
        if segments.shape != (m,) or segments.dtype not in (torch.int32, torch.int64):
            raise ConfigError(f"segments must be integers [{m}] (one per query), got {segments.dtype} "
                              f"{tuple(segments.shape)}")
        if not m:
            return
        lo, hi = int(segments.min()), int(segments.max())
        if lo < 1 or hi > len(self.segments):
            raise ConfigError(f"segments must be in 1..{len(self.segments)} (shells in the memory), got {lo}..{hi}")
        fewest = sum(s.num_experts for s in self.segments[:lo])
        if k > fewest:
            raise ConfigError(f"top_k={k} is larger than the {fewest} experts of the first {lo} shell(s) some "
                              "queries are limited to; lower top_k")

    # -- state -------------------------------------------------------------------------------
    def get_extra_state(self) -> dict[str, Any]:
        return {
            "format": 2,
            "d_model": self.d_model,
            "d_key": self.d_key,
            "growth_step": self.growth_step,
            "segments": [{"n_keys": s.n_keys, "start": s.start, "frozen": s.frozen} for s in self.segments],
        }

    def set_extra_state(self, state: dict[str, Any]) -> None:
        """Format 2 (shells) or 1 (segments, before shells: each a grid of its own)."""
        if state.get("format") not in (1, 2):
            raise ConfigError(f"unknown ExpertMemory state format {state.get('format')!r}")
        if (state["d_model"], state["d_key"]) != (self.d_model, self.d_key):
            raise ConfigError(
                f"state is for d_model={state['d_model']}, d_key={state['d_key']}; "
                f"this memory has d_model={self.d_model}, d_key={self.d_key}"
            )
        wanted = [(w["n_keys"], w.get("start", 0), w["frozen"]) for w in state["segments"]]
        if [(s.n_keys, s.start) for s in self.segments] != [w[:2] for w in wanted]:
            # Rebuild the shape with uninitialised tables; the tensors are loaded next.
            self.segments = nn.ModuleList(
                Segment(n, self.d_model, self.d_half, start=start, sub_keys=torch.empty(2, n, self.d_half),
                        down=torch.empty(shell_experts(start, n), self.d_model),
                        up=torch.empty(shell_experts(start, n), self.d_model))
                for n, start, _ in wanted
            )
        for shell, (_, _, frozen) in zip(self.segments, wanted):  # the state's frozen flags win
            if frozen:
                shell.freeze()
            else:
                shell.requires_grad_(True)
        self.growth_step = state["growth_step"]


def pair_ids(a: Tensor, b: Tensor, layout: dict[str, Any]) -> Tensor:
    """Global ids ``[M, k]`` of the experts at sub-key columns ``(a, b)`` ``[M, k]`` (both of one grid): the
    pair belongs to the shell of its later column, and :class:`~peer_store.segment.Segment` numbers it there."""
    shell = torch.maximum(layout["shell_of"][a], layout["shell_of"][b])  # [M, k]
    base = layout["grid_col"][shell]
    i, j = a - base, b - base  # sub-key rows in the grid
    n, g = layout["start"][shell], layout["size"][shell]
    local = torch.where(j >= n, i * g + (j - n), (n + g) * g + (i - n) * n + j)
    return layout["offset"][shell] + local
