"""The ``peer`` commands that need no training, through CliRunner and one real subprocess."""

from __future__ import annotations

import gzip
import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from cli.main import app
from peer_store.db import EvaluationRecord, IngestRecord, Store, head_revision
from peer_store.db.check import snapshot_file
from peer_store.db.engine import make_engine, sqlite_url
from tests.helpers.processes import peer_env
from tests.helpers.registry import corpus, tiny_segment

COMMANDS = [["init"], ["versions"], ["show"], ["fsck"], ["gc"], ["db", "upgrade"]]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def peer(runner: CliRunner, *args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, [str(a) for a in args], env={"PEER_HOME": None, "PEER_DB_URL": None, **(env or {})})


def one_line_error(result, pattern: str) -> None:
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert pattern in lines[0], lines[0]
    assert "Traceback" not in result.output


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """A store with one ready version (an ingest of corpus 'docs') and one failed attempt."""
    path = tmp_path / "store"
    with Store.create(path) as store:
        with store.new_version(kind="ingest", message="first corpus") as draft:
            draft.commit(
                segments=[store.put_segment(tiny_segment(1), layer=0)],
                corpus=corpus("docs", "b"),
                ingest=IngestRecord("docs", steps=3, tokens=50, wall_seconds=1.5, train_loss=2.0, heldout_loss=2.5),
                evaluations=[EvaluationRecord("docs", loss=2.5, tokens=10, bits_per_byte=1.25)],
            )
        with pytest.raises(RuntimeError), store.new_version(kind="ingest", message="second"):
            store.put_segment(tiny_segment(2), layer=0)
            raise RuntimeError("killed")
    (path / snapshot_file("b" * 64)).write_bytes(gzip.compress(b'{"text": "docs"}\n'))  # as an ingest keeps it
    return path


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(runner, command):
    result = peer(runner, *command, "--help")
    assert result.exit_code == 0, result.output
    assert "Example: " in result.output and "peer " in result.output


def test_init_creates_a_store_and_refuses_a_second(runner, tmp_path):
    result = peer(runner, "init", tmp_path / "new")
    assert result.exit_code == 0, result.output
    assert "created store 'new'" in result.stdout
    assert Store.open(tmp_path / "new").versions() == []
    one_line_error(peer(runner, "init", tmp_path / "new"), "already holds a peer store")
    empty = peer(runner, "versions", "--store", tmp_path / "new")
    assert empty.exit_code == 0 and "no versions yet" in empty.stdout


def test_versions_and_show(runner, store_path):
    listing = peer(runner, "versions", "--json", env={"PEER_HOME": str(store_path)})
    assert listing.exit_code == 0, listing.output
    rows = json.loads(listing.stdout)
    assert [(r["number"], r["status"], r["current"]) for r in rows] == [(1, "ready", True), (2, "failed", False)]
    assert rows[1]["error"] == "RuntimeError: killed" and rows[1]["parent"] == 1
    table = peer(runner, "versions", "--store", store_path)
    assert table.exit_code == 0 and "failed" in table.stdout and "docs" in table.stdout

    shown = json.loads(peer(runner, "show", "1", "--store", store_path, "--json").stdout)
    assert shown["version"]["corpus"] == "docs" and shown["ingest"]["steps"] == 3
    assert shown["segments"][0]["n_experts"] == 4 and len(shown["segments"][0]["sha256"]) == 64
    assert shown["evaluations"][0]["bits_per_byte"] == 1.25
    text_out = peer(runner, "show", "--store", store_path)  # default: current
    assert text_out.exit_code == 0 and shown["segments"][0]["sha256"][:12] in text_out.stdout
    assert "2.5000" in text_out.stdout and "ingest of docs" in text_out.stdout


def test_user_errors_are_one_line(runner, store_path, tmp_path):
    one_line_error(peer(runner, "versions"), "no store given: pass --store PATH or set PEER_HOME")
    one_line_error(peer(runner, "versions", "--store", tmp_path / "nowhere"), "no peer store at")
    one_line_error(peer(runner, "show", "9", "--store", store_path), "has no version 9")
    one_line_error(peer(runner, "show", "nine", "--store", store_path), "is not a version")
    one_line_error(peer(runner, "versions", "--store", store_path, "--db-url", "what"), "drop --db-url")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = peer(runner, "init", tmp_path / "pg", "--db-url", f"postgresql://u:pw@127.0.0.1:{port}/x")
    one_line_error(result, "cannot connect to postgresql+psycopg://u:***@127.0.0.1")
    assert not (tmp_path / "pg").exists()


def test_busy_store_is_refused(runner, store_path):
    with Store.open(store_path) as writer, writer.lock(purpose="peer ingest"):
        one_line_error(peer(runner, "gc", "--store", store_path), "is busy: peer ingest (pid")
        one_line_error(peer(runner, "fsck", "--store", store_path), "is busy")


def test_fsck_and_gc(runner, store_path):
    first = peer(runner, "fsck", "--store", store_path)  # the failed attempt left its segment behind
    assert first.exit_code == 1 and first.stdout.startswith("extra") and "1 problem(s)" in first.stdout
    (store_path / "tmp" / "junk.tmp").write_bytes(b"junk")
    dirty = peer(runner, "fsck", "--store", store_path, "--json")
    assert dirty.exit_code == 1
    report = json.loads(dirty.stdout)
    extra = sorted(p["file"] for p in report["problems"] if p["problem"] == "extra")
    assert not report["ok"] and len(extra) == 2 and "tmp/junk.tmp" in extra
    preview = peer(runner, "gc", "--store", store_path, "--dry-run")
    assert preview.exit_code == 0 and "would remove 2 files" in preview.stdout
    removed = json.loads(peer(runner, "gc", "--store", store_path, "--json").stdout)
    assert sorted(removed["removed"]) == extra and not removed["dry_run"]
    clean = peer(runner, "fsck", "--store", store_path)
    assert clean.exit_code == 0 and "checked 1 files: ok" in clean.stdout


def test_schema_errors_name_the_fix(runner, store_path):
    engine = make_engine(sqlite_url(store_path / "registry.db"))
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM alembic_version"))
        conn.execute(text("DROP TABLE evaluations"))  # as if from before that table existed
    one_line_error(peer(runner, "versions", "--store", store_path), "run `peer db upgrade`")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO alembic_version VALUES ('fffffffff999')"))
    one_line_error(peer(runner, "versions", "--store", store_path), "upgrade peer-store")
    one_line_error(peer(runner, "db", "upgrade", "--store", store_path), "newer than this peer-store")
    engine.dispose()


def test_db_upgrade(runner, store_path, tmp_path):
    result = peer(runner, "db", "upgrade", "--store", store_path)
    assert result.exit_code == 0 and f"schema revision {head_revision()}" in result.stdout
    url = str(sqlite_url(tmp_path / "fresh.db"))
    assert peer(runner, "db", "upgrade", "--db-url", url).exit_code == 0
    one_line_error(peer(runner, "db", "upgrade"), "nothing to upgrade")


def test_postgresql_registry(runner, tmp_path, postgres_url):
    path = tmp_path / "store"
    assert peer(runner, "init", path, "--db-url", postgres_url).exit_code == 0
    env = {"PEER_HOME": str(path), "PEER_DB_URL": postgres_url}
    listing = peer(runner, "versions", "--json", env=env)
    assert listing.exit_code == 0 and json.loads(listing.stdout) == []
    assert peer(runner, "fsck", env=env).exit_code == 0
    assert f"schema revision {head_revision()}" in peer(runner, "db", "upgrade", env=env).stdout
    one_line_error(peer(runner, "versions", "--store", path), "pass --db-url")


@pytest.mark.slow
def test_real_subprocess(tmp_path):
    env = peer_env()
    store = tmp_path / "store"
    made = subprocess.run([sys.executable, "-m", "cli", "init", str(store)], capture_output=True, text=True, env=env)
    assert made.returncode == 0, made.stderr
    assert (store / "registry.db").is_file()
    failed = subprocess.run(
        [sys.executable, "-m", "cli", "show", "current", "--store", str(store)], capture_output=True, text=True, env=env
    )
    assert failed.returncode == 1
    expected = f"error: the store {store} has no ready version yet; ingest a corpus first"
    assert failed.stderr.strip().splitlines() == [expected]
    assert failed.stdout == ""
