"""A writer killed in the middle of an atomic write leaves its temp file: fsck reports it and gc removes it, wherever
in the store the write was going (a corpus snapshot, a staging file, a folder a later version adds), but never while
a writer holds the lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from peer_store.db import Store, StoreLocked, fsck, gc
from peer_store.db.check import snapshot_file
from peer_store.fsio import atomic_write, is_unfinished_write
from tests.helpers.registry import ingest_version

REPO = Path(__file__).resolve().parents[2]

# Takes the store's lock as a writer does, starts an atomic write of STORE/TARGET, and dies half-way through it.
DYING_WRITER = textwrap.dedent(
    """
    import os, signal, sys
    from peer_store.db import Store
    from peer_store.fsio import atomic_write

    def write(tmp):
        with open(tmp, "wb") as f:
            f.write(b"half a file")
            f.flush()
        os.kill(os.getpid(), signal.SIGKILL)

    store = Store.open(sys.argv[1], db_url=sys.argv[3] or None)
    with store.lock(purpose="a dying writer"):
        atomic_write(store.path / sys.argv[2], write)
    """
)


def die_writing(store: Store, target: str) -> str:
    """Kill a writer during its write of ``target``; returns the temp file it left (relative to the store)."""
    url = "" if store.engine.url.get_backend_name() == "sqlite" else store.engine.url.render_as_string(False)
    done = subprocess.run([sys.executable, "-c", DYING_WRITER, str(store.path), target, url], cwd=REPO,
                          capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == -signal.SIGKILL, done.stderr
    [left] = [p for p in (store.path / target).parent.iterdir() if is_unfinished_write(p.name)]
    assert is_unfinished_write(left.name) and left.read_bytes() == b"half a file"
    return left.relative_to(store.path).as_posix()


@pytest.mark.slow
@pytest.mark.parametrize("target", ["corpora/abc.jsonl.gz", "tmp/abc.safetensors", "versions/3/profile.json"])
def test_a_write_killed_midway_is_reported_and_collected(store, target):
    ingest_version(store, "docs", [1], "d")
    finished = store.path / snapshot_file("d" * 64)  # a registered corpus's finished snapshot: not a leftover
    atomic_write(finished, lambda tmp: tmp.write_bytes(b"all of it"))
    left = die_writing(store, target)
    report = fsck(store)
    assert report.of("extra") == [left]
    assert "unfinished write" in report.problems[0].detail
    assert gc(store, dry_run=True).removed == [left]
    assert gc(store).removed == [left]
    assert not (store.path / left).exists() and finished.read_bytes() == b"all of it"
    assert fsck(store).ok


@pytest.mark.slow
def test_leftovers_stay_while_a_writer_holds_the_lock(store, db_url):
    left = die_writing(store, "corpora/abc.jsonl.gz")
    writer = Store.open(store.path, db_url=db_url)
    with writer.lock():  # its own write may be under way: nothing is unfinished for sure
        for command in (fsck, gc):
            with pytest.raises(StoreLocked):
                command(store)
    writer.close()
    assert (store.path / left).exists()
    assert gc(store).removed == [left]


@pytest.mark.parametrize(
    "name, unfinished",
    [(".abc.jsonl.gz.k2j4_x9q.tmp", True), ("abc.tmp", False), (".tmp", False), (".abc", False), ("a.b.tmp", False)],
)
def test_unfinished_write_names(name, unfinished):
    assert is_unfinished_write(name) == unfinished


def test_atomic_write_names_its_temp_files_as_unfinished_writes(tmp_path):
    seen = []
    atomic_write(tmp_path / "x.bin", lambda tmp: seen.append(tmp.name) or tmp.write_bytes(b"x"))
    assert is_unfinished_write(seen[0]) and not is_unfinished_write("x.bin")
