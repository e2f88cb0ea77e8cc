"""Database URLs a user types, and the one session scope."""

from __future__ import annotations

import socket

import pytest
from sqlalchemy import func, select

from peer_store.db import DatabaseUnavailable, RegistryError, Store, session_scope, upgrade
from peer_store.db.engine import check_connection, describe, make_engine, parse_url, sqlite_url
from peer_store.db.models import StoreRow
from peer_store.errors import PeerError


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket is closed


@pytest.mark.parametrize(
    "url, message",
    [
        ("not a url", "not a database URL"),
        ("nosuchdb://host/x", "no SQLAlchemy dialect"),
    ],
)
def test_malformed_urls_give_one_line(url, message):
    with pytest.raises(DatabaseUnavailable, match=message) as info:
        make_engine(url)
    assert isinstance(info.value, PeerError)
    assert "\n" not in str(info.value)


def test_bare_postgresql_url_means_psycopg_3():
    assert parse_url("postgresql://u:secret@h/db").drivername == "postgresql+psycopg"
    assert parse_url("postgres://u@h/db").drivername == "postgresql+psycopg"
    assert "secret" not in describe("postgresql://u:secret@h/db")


def test_unreachable_server_is_refused_and_writes_nothing(tmp_path):
    url = f"postgresql://peer:secret@127.0.0.1:{_closed_port()}/registry"
    with pytest.raises(DatabaseUnavailable, match=r"cannot connect to .*check --db-url") as info:
        Store.create(tmp_path / "store", db_url=url)
    assert "\n" not in str(info.value)
    assert "secret" not in str(info.value)
    assert not (tmp_path / "store").exists()


def test_missing_database_on_a_live_server_is_refused(postgres_server, tmp_path):
    url = postgres_server.rsplit("/", 1)[0] + "/no_such_database"
    with pytest.raises(DatabaseUnavailable, match="no_such_database"):
        Store.create(tmp_path / "store", db_url=url)
    with pytest.raises(DatabaseUnavailable, match="cannot connect"):
        upgrade(url)
    assert not (tmp_path / "store").exists()


def test_check_connection_passes_on_a_live_server(postgres_url):
    engine = make_engine(postgres_url)
    try:
        assert engine.pool.checkedin() == 0  # making the engine did not connect
        assert check_connection(engine) is None
        assert engine.pool.checkedin() == 1  # checking did, and gave the connection back to the pool
    finally:
        engine.dispose()


def test_session_scope_commits_or_rolls_back(db_url, tmp_path):
    url = db_url or str(sqlite_url(tmp_path / "r.db"))
    upgrade(url)
    engine = make_engine(url)
    with session_scope(engine) as s:
        s.add(StoreRow(name="kept"))
    with pytest.raises(ZeroDivisionError):
        with session_scope(engine) as s:
            s.add(StoreRow(name="dropped"))
            s.flush()
            1 / 0
    with pytest.raises(RegistryError, match="refused a change"):  # unique name: the driver's error, one line
        with session_scope(engine) as s:
            s.add(StoreRow(name="kept"))
    with session_scope(engine) as s:
        assert s.scalars(select(StoreRow.name)).all() == ["kept"]
        assert s.scalar(select(func.count()).select_from(StoreRow)) == 1
    engine.dispose()
