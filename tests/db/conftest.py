"""Fixtures of the registry tests: each test runs on the embedded SQLite and on a real PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from peer_store.db import Store


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
