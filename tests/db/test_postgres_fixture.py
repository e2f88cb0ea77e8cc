"""The PostgreSQL fixture itself: a real server, and a loud failure (never a skip) without one."""

from __future__ import annotations

import pytest
from sqlalchemy import text

import tests.conftest as shared
from peer_store.db.engine import make_engine


def test_the_server_is_real_postgresql(postgres_url):
    engine = make_engine(postgres_url)
    with engine.connect() as conn:
        assert conn.dialect.name == "postgresql"
        assert conn.execute(text("SELECT version()")).scalar().startswith("PostgreSQL")
    engine.dispose()


def test_missing_binaries_fail_with_the_reason(monkeypatch, tmp_path):
    monkeypatch.setenv("PEER_PG_BIN", str(tmp_path))
    monkeypatch.setattr(shared.glob, "glob", lambda pattern: [])
    monkeypatch.setattr(shared.shutil, "which", lambda name: None)
    with pytest.raises(pytest.fail.Exception, match=r"initdb, pg_ctl, postgres\) not found.*install postgresql"):
        shared._pg_bin()
