"""Registry test data: tiny segments and a complete ingest written straight through the `Store` (no training)."""

from __future__ import annotations

import torch

from peer_store.db import CorpusRecord, EvaluationRecord, IngestRecord, Store
from peer_store.segment import Segment


def tiny_segment(seed: int, *, frozen: bool = False) -> Segment:
    """4 experts of width 4: a few hundred bytes on disk."""
    g = torch.Generator().manual_seed(seed)
    seg = Segment(
        2, 4, 2, sub_keys=torch.randn(2, 2, 2, generator=g), down=torch.randn(4, 4, generator=g),
        up=torch.randn(4, 4, generator=g),
    )
    if frozen:
        seg.freeze()
    return seg


def corpus(name: str, fill: str = "a") -> CorpusRecord:
    """A corpus record whose fingerprint is ``fill`` repeated (distinct fills: distinct corpora)."""
    return CorpusRecord(name=name, source=f"/data/{name}", sha256=fill * 64, bytes=100, tokens=50, documents=2)


def ingest_version(store: Store, name: str, seeds: list[int], fill: str) -> int:
    """A complete ingest: one new segment per seed on layer 0, the corpus, its ingest and evaluation."""
    with store.new_version(kind="ingest", message=f"ingest {name}") as draft:
        refs = [store.put_segment(tiny_segment(seed), layer=0) for seed in seeds]
        draft.commit(
            segments=refs,
            corpus=corpus(name, fill),
            ingest=IngestRecord(corpus=name, steps=3, tokens=50, wall_seconds=0.5, train_loss=2.0, heldout_loss=2.5),
            evaluations=[EvaluationRecord(corpus=name, loss=2.5, tokens=10, bits_per_byte=1.1)],
        )
    return draft.result.number
