"""The alembic migrations: they describe the models exactly, run from anywhere, and refuse a wrong schema."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

import migrations
from peer_store.db import RegistryError, SchemaMismatch, Store, StudentRecord, check_schema, head_revision, upgrade
from peer_store.db.engine import make_engine, sqlite_url
from peer_store.db.models import Base
from peer_store.db.schema import alembic_config, current_revision, downgrade_engine, migrations_dir
from tests.helpers.registry import tiny_segment

REPO = Path(__file__).resolve().parents[2]


def _url(db_url: str | None, tmp_path: Path) -> str:
    return db_url or str(sqlite_url(tmp_path / "registry.db"))


def test_models_and_migrations_agree(db_url, tmp_path):
    url = _url(db_url, tmp_path)
    assert upgrade(url) == head_revision()
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(ctx, Base.metadata)
        assert diff == [], f"models and migrations differ; write a revision: {diff}"
        assert set(inspect(engine).get_table_names()) == set(Base.metadata.tables) | {"alembic_version"}
    finally:
        engine.dispose()


def test_one_head_and_migrations_come_from_the_package(tmp_path, monkeypatch):
    assert migrations_dir() == Path(migrations.__file__).resolve().parent
    assert alembic_config().get_main_option("script_location") == str(migrations_dir())
    assert len(ScriptDirectory.from_config(alembic_config()).get_heads()) == 1
    monkeypatch.chdir(tmp_path)  # an empty folder: nothing to find relative to the working directory
    assert upgrade(str(sqlite_url(tmp_path / "x.db"))) == head_revision()


def test_upgrade_twice_is_a_no_op(db_url, tmp_path):
    url = _url(db_url, tmp_path)
    assert upgrade(url) == upgrade(url) == head_revision()


def test_downgrade_to_base_removes_every_table(tmp_path):
    engine = make_engine(sqlite_url(tmp_path / "r.db"))
    upgrade(str(engine.url))
    assert downgrade_engine(engine, "base") is None
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()


def test_failed_upgrade_leaves_no_half_schema(db_url, tmp_path):
    """Transactional DDL (SQLite included): a migration that breaks half-way changes nothing."""
    url = _url(db_url, tmp_path)
    engine = make_engine(url)
    with engine.begin() as conn:  # the last table the revision creates is already there
        conn.execute(text("CREATE TABLE version_segments (x INTEGER)"))
    with pytest.raises(RegistryError, match="failed and was rolled back, nothing changed") as info:
        upgrade(url)
    assert "\n" not in str(info.value)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert tables == {"version_segments"}, f"a failed upgrade left tables behind: {tables}"


def test_unmigrated_database_asks_for_peer_db_upgrade(db_url, tmp_path):
    engine = make_engine(_url(db_url, tmp_path))
    try:
        with pytest.raises(SchemaMismatch, match=r"run `peer db upgrade`"):
            check_schema(engine)
        upgrade(str(engine.url.render_as_string(hide_password=False)))
        check_schema(engine)  # passes now
    finally:
        engine.dispose()


def test_schema_newer_than_the_code_is_refused(db_url, tmp_path):
    path = tmp_path / "store"
    Store.create(path, db_url=db_url).close()
    engine = make_engine(db_url or sqlite_url(path / "registry.db"))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'fffffffff999'"))
    with pytest.raises(SchemaMismatch, match=r"newer than this peer-store.*upgrade peer-store") as info:
        Store.open(path, db_url=db_url)
    assert "\n" not in str(info.value)
    with pytest.raises(SchemaMismatch, match="newer"):  # and `peer db upgrade` does not touch it
        upgrade(str(engine.url.render_as_string(hide_password=False)))
    assert current_revision(engine) == "fffffffff999"
    engine.dispose()


def test_store_with_an_older_schema_is_refused_with_the_fix(tmp_path):
    path = tmp_path / "store"
    Store.create(path).close()
    engine = make_engine(sqlite_url(path / "registry.db"))
    with engine.begin() as conn:  # as if created by a peer-store from before the first revision
        conn.execute(text("DELETE FROM alembic_version"))
    engine.dispose()
    with pytest.raises(SchemaMismatch, match=r"needs .*; run `peer db upgrade`"):
        Store.open(path)


def test_db_and_migrations_never_import_torch():
    sources = [*(REPO / "peer_store" / "db").rglob("*.py"), *(REPO / "migrations").rglob("*.py")]
    assert len(sources) >= 8
    for source in sources:
        for node in ast.walk(ast.parse(source.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n == "torch" or n.startswith("torch.") for n in names), f"{source} imports torch"


def test_students_revision_upgrades_from_0004_and_downgrades(db_url, tmp_path):
    """0005 only adds the ``students`` table: upgrading a 0004 registry keeps its rows, and a downgrade drops the
    table (and the students) and nothing else."""
    path = tmp_path / "store"
    with Store.create(path, db_url=db_url) as store:
        with store.new_version(kind="init") as draft:
            draft.commit(segments=[])
    engine = make_engine(db_url or sqlite_url(path / "registry.db"))
    try:
        assert downgrade_engine(engine, "0004") == "0004"
        assert "students" not in inspect(engine).get_table_names()
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM versions")).scalar() == 1
        with pytest.raises(SchemaMismatch, match="peer db upgrade"):
            Store.open(path, db_url=db_url)
        assert upgrade(str(engine.url.render_as_string(hide_password=False))) == head_revision()
        with Store.open(path, db_url=db_url) as store:
            assert store.current().number == 1 and store.students() == []
            with store.lock():
                ref = store.put_student(lambda p: p.write_bytes(b"w"))
                store.add_student(StudentRecord(teacher=1, width=8, steps=1, alpha=0.0, init="fresh", params=1,
                                                file=ref, wall_seconds=0.0))
        assert downgrade_engine(engine, "0004") == "0004"
        tables = set(inspect(engine).get_table_names())
        assert "students" not in tables and {"stores", "versions", "segments"} <= tables
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM versions")).scalar() == 1
            assert conn.execute(text("SELECT count(*) FROM stores")).scalar() == 1
    finally:
        engine.dispose()


def test_shell_membership_revision_fills_frozen_from_the_segment_rows(db_url, tmp_path):
    """0008 adds ``version_segments.frozen``: memberships recorded before it take their segment row's flag, and
    a downgrade drops the column only."""
    path = tmp_path / "store"
    with Store.create(path, db_url=db_url) as store:
        with store.new_version(kind="init") as draft:
            draft.commit(segments=[store.put_segment(tiny_segment(1), layer=0),
                                   store.put_segment(tiny_segment(2, frozen=True), layer=0)])
    engine = make_engine(db_url or sqlite_url(path / "registry.db"))
    try:
        assert downgrade_engine(engine, "0005") == "0005"
        columns = {c["name"] for c in inspect(engine).get_columns("version_segments")}
        assert "frozen" not in columns and "position" in columns
        assert upgrade(str(engine.url.render_as_string(hide_password=False))) == head_revision()
        with Store.open(path, db_url=db_url) as store:
            assert [s.frozen for s in store.segments(1)] == [False, True]
    finally:
        engine.dispose()
