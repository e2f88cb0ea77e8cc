"""Fixtures of the registry tests: each test runs on the embedded SQLite and on a real PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import torch

from peer_store.db import Store
from peer_store.segment import Segment


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request) -> str | None:
    """None means the store's embedded SQLite registry; otherwise a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return None
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def store(tmp_path: Path, db_url: str | None) -> Iterator[Store]:
    with Store.create(tmp_path / "store", db_url=db_url) as s:
        yield s


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
