"""ExpertMemory: an ordered list of segments that grows and freezes."""

from __future__ import annotations

import itertools
from typing import Any

import torch
from torch import Tensor, nn

from peer_store.errors import ConfigError
from peer_store.index.product import ExpertScores, ProductKeyIndex, product_topk
from peer_store.segment import Segment


class ExpertMemory(nn.Module):
    """Segments in order; segment s owns global ids ``[offset_s, offset_s + n_s**2)``.

    Ids never change: growing appends a segment after the last id. All
    resumable state (segment shapes, frozen flags, growth step) is in
    ``state_dict`` via ``get_extra_state``, so ``load_state_dict`` rebuilds a
    memory of any shape before loading its tensors.
    """

    def __init__(self, d_model: int, d_key: int):
        super().__init__()
        if d_key % 2:
            raise ConfigError(f"d_key must be even to split into two product-key halves, got {d_key}")
        self.d_model, self.d_key = d_model, d_key
        self.segments = nn.ModuleList()
        self.growth_step = 0
        self._prefix: tuple[Tensor, Tensor] | None = None  # see frozen_prefix
        self._prefix_key: list | None = None

    # -- shape -------------------------------------------------------------------------------
    @property
    def d_half(self) -> int:
        return self.d_key // 2

    @property
    def num_experts(self) -> int:
        return sum(s.num_experts for s in self.segments)

    @property
    def offsets(self) -> list[int]:
        out, total = [], 0
        for s in self.segments:
            out.append(total)
            total += s.num_experts
        return out

    def tables(self) -> list[tuple[int, Tensor, Tensor]]:
        """``(offset, down [n, d], up [n, d])`` of every segment, in id order."""
        return [(o, s.down.weight, s.up.weight) for o, s in zip(self.offsets, self.segments)]

    def frozen_prefix(self) -> tuple[Tensor, Tensor] | None:
        """Down and up rows ``[N_f, d]`` of the leading frozen segments joined in id order (None when the
        first segment is trainable), for :func:`peer_store.kernel.expert_mixture` to gather from in one pass.

        One frozen segment gives its own tables. Several are copied into one table each, once, and the
        copy is kept until the prefix changes: another tensor or storage (load, ``.to``), more frozen
        segments (freeze) or an in-place write autograd counts (``load_state_dict``). The copy holds
        the frozen rows a second time; the segments stay as they are (memory-mapped or not, never
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
        """Freeze every current segment."""
        for s in self.segments:
            s.freeze()

    def grow(self, n_keys: int, *, sub_keys: Tensor | None = None) -> Segment:
        """Append a trainable segment of ``n_keys**2`` experts.

        ``sub_keys`` ``[2, n_keys, d_half]`` initialises its keys, e.g. from
        :func:`peer_store.index.kmeans_sub_keys` over queries of the new data.
        """
        if not isinstance(n_keys, int) or n_keys < 1:
            raise ConfigError(f"n_keys must be a positive integer, got {n_keys!r}")
        if sub_keys is not None and tuple(sub_keys.shape) != (2, n_keys, self.d_half):
            raise ConfigError(
                f"sub_keys must be [2, {n_keys}, {self.d_half}] for this memory, got {tuple(sub_keys.shape)}"
            )
        segment = Segment(n_keys, self.d_model, self.d_half, sub_keys=None if sub_keys is None else sub_keys.clone())
        self.segments.append(self._place(segment))
        self.growth_step += 1
        return segment

    def _place(self, segment: Segment) -> Segment:
        """A new segment on the memory's device and dtype (a sharded memory also spreads its tables)."""
        ref = next(self.parameters(), None)
        if ref is not None:
            segment.to(ref.device, ref.dtype)
        return segment

    def serve_frozen_with_faiss(self, enabled: bool = True) -> int:
        """Serve every frozen segment from a FAISS index (GPU when faiss has GPUs); returns how many.

        Trainable segments keep the torch path, whose scores carry gradients to their keys.
        """
        from peer_store.index.faiss_index import FaissProductIndex

        count = 0
        for seg in self.segments:
            if seg.frozen:
                seg.serve_with(FaissProductIndex(seg.sub_keys) if enabled else None)
                count += 1
        return count

    # -- retrieval ---------------------------------------------------------------------------
    def search(self, q: Tensor, k: int, *, segments: Tensor | None = None) -> tuple[Tensor, Tensor]:
        """Global top-k experts for queries ``[M, d_key]``: ``(scores [M, k], global ids [M, k])``.

        Every segment served by its live sub-keys is scored in one batched pass
        (:func:`peer_store.index.product.product_topk`); a segment served by another index
        (faiss) adds its own top-k; the candidates are merged and the global top-k kept.
        Scores are differentiable w.r.t. the queries and the live sub-keys: the search runs
        without autograd and :class:`~peer_store.index.product.ExpertScores` gives the chosen
        experts' scores their gradients (through M*k keys, not every sub-key's score).
        ``segments`` ``[M]`` (int) limits each query to the first ``segments[m]`` segments,
        e.g. the memory as a version of the store left it.
        """
        if k > self.num_experts:
            raise ConfigError(f"top_k={k} is larger than the {self.num_experts} experts in the memory; lower top_k")
        if segments is not None:
            self._check_limits(segments, q.shape[0], k)
        q1, q2 = q[:, : self.d_half], q[:, self.d_half :]  # [M, d_half] each
        offsets = torch.tensor(self.offsets, device=q.device)  # [S]
        n_keys = torch.tensor([s.n_keys for s in self.segments], device=q.device)  # [S]
        allowed = None
        if segments is not None:
            allowed = torch.arange(len(self.segments), device=q.device) < segments.unsqueeze(1)  # [M, S]
        with torch.no_grad():
            live = [s for s, seg in enumerate(self.segments) if isinstance(seg.index, ProductKeyIndex)]
            found = []  # (scores [M, k], global ids [M, k]) of each search
            if live:
                best, slot, i, j = product_topk(q1, q2, [self.segments[s].sub_keys for s in live], k,
                                                allowed=None if allowed is None else allowed[:, live])
                owner = torch.tensor(live, device=q.device)[slot]  # [M, k] segment of each expert
                found.append((best, offsets[owner] + i * n_keys[owner] + j))
            for s, seg in enumerate(self.segments):
                if s not in live:
                    scores, ids = seg.index.search(q1, q2, k)  # [M, k], local ids
                    if allowed is not None:
                        scores = scores.masked_fill(~allowed[:, s : s + 1], float("-inf"))
                    found.append((scores, torch.where(ids >= 0, ids + offsets[s], ids)))
            scores, ids = found[0]
            if len(found) > 1:
                scores, pos = torch.cat([f[0] for f in found], 1).topk(k, dim=1)  # [M, k]
                ids = torch.cat([f[1] for f in found], 1).gather(1, pos)
        if torch.is_grad_enabled() and (q.requires_grad or any(s.sub_keys.requires_grad for s in self.segments)):
            owner = torch.bucketize(ids, offsets[1:], right=True)  # [M, k]
            local, n = ids - offsets[owner], n_keys[owner]
            sub_keys = [s.sub_keys for s in self.segments]
            scores = ExpertScores.apply(scores, q1, q2, owner, local // n, local % n, *sub_keys)
        return scores, ids

    def _check_limits(self, segments: Tensor, m: int, k: int) -> None:
        if segments.shape != (m,) or segments.dtype not in (torch.int32, torch.int64):
            raise ConfigError(f"segments must be integers [{m}] (one per query), got {segments.dtype} "
                              f"{tuple(segments.shape)}")
        if not m:
            return
        lo, hi = int(segments.min()), int(segments.max())
        if lo < 1 or hi > len(self.segments):
            raise ConfigError(f"segments must be in 1..{len(self.segments)} (segments in the memory), got {lo}..{hi}")
        fewest = sum(s.num_experts for s in self.segments[:lo])
        if k > fewest:
            raise ConfigError(f"top_k={k} is larger than the {fewest} experts of the first {lo} segment(s) some "
                              "queries are limited to; lower top_k")

    # -- state -------------------------------------------------------------------------------
    def get_extra_state(self) -> dict[str, Any]:
        return {
            "format": 1,
            "d_model": self.d_model,
            "d_key": self.d_key,
            "growth_step": self.growth_step,
            "segments": [{"n_keys": s.n_keys, "frozen": s.frozen} for s in self.segments],
        }

    def set_extra_state(self, state: dict[str, Any]) -> None:
        if state.get("format") != 1:
            raise ConfigError(f"unknown ExpertMemory state format {state.get('format')!r}")
        if (state["d_model"], state["d_key"]) != (self.d_model, self.d_key):
            raise ConfigError(
                f"state is for d_model={state['d_model']}, d_key={state['d_key']}; "
                f"this memory has d_model={self.d_model}, d_key={self.d_key}"
            )
        wanted = state["segments"]
        have = [s.n_keys for s in self.segments]
        if have != [w["n_keys"] for w in wanted]:
            # Rebuild the shape with uninitialised tables; the tensors are loaded next.
            self.segments = nn.ModuleList(
                Segment(
                    w["n_keys"],
                    self.d_model,
                    self.d_half,
                    sub_keys=torch.empty(2, w["n_keys"], self.d_half),
                    down=torch.empty(w["n_keys"] ** 2, self.d_model),
                    up=torch.empty(w["n_keys"] ** 2, self.d_model),
                )
                for w in wanted
            )
        for seg, w in zip(self.segments, wanted):  # the state's frozen flags win
            if w["frozen"]:
                seg.freeze()
            else:
                seg.requires_grad_(True)
        self.growth_step = state["growth_step"]
