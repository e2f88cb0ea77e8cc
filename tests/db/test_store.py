"""The store: versions are born training, become ready in one transaction, and a failure leaves the parent current."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import torch
from sqlalchemy import func, select, text

from peer_store.db import (
    EvaluationRecord,
    RegistryError,
    Store,
    StoreExists,
    StoreLocked,
    StoreNotFound,
    VersionNotFound,
    VersionStateError,
    session_scope,
)
from peer_store.db.models import Corpus, Segment
from peer_store.errors import StoreError
from tests.helpers.registry import corpus, ingest_version, tiny_segment

REPO = Path(__file__).resolve().parents[2]


def test_create_then_open(tmp_path, db_url):
    path = tmp_path / "store"
    with Store.create(path, db_url=db_url, name="demo", config={"d_model": 4}) as store:
        assert store.current() is None and store.versions() == []
    with Store.open(path, db_url=db_url) as store:
        assert store.name == "demo"
    with pytest.raises(StoreExists, match="already holds a peer store"):
        Store.create(path, db_url=db_url)


def test_refuses_missing_store_and_non_empty_folder(tmp_path):
    with pytest.raises(StoreNotFound, match=r"no peer store at .*create one with `peer init"):
        Store.open(tmp_path / "nowhere")
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    with pytest.raises(StoreExists, match="not an empty folder"):
        Store.create(tmp_path / "busy")
    assert sorted(p.name for p in (tmp_path / "busy").iterdir()) == ["notes.txt"]


def test_a_folder_is_refused_by_another_store_of_its_name(tmp_path, postgres_url):
    """The registry's store of that name was removed and made again by another folder: the first folder does
    not bind to it (its manifest and the registry row carry different store ids)."""
    Store.create(tmp_path / "first", db_url=postgres_url, name="shared").close()
    with Store.open(tmp_path / "first", db_url=postgres_url) as store:  # its own registry store: fine
        with store.engine.begin() as conn:
            conn.execute(text("DELETE FROM stores"))
    Store.create(tmp_path / "second", db_url=postgres_url, name="shared").close()
    with pytest.raises(StoreNotFound, match="is another store than the one in"):
        Store.open(tmp_path / "first", db_url=postgres_url)
    Store.open(tmp_path / "second", db_url=postgres_url).close()
    # the same on SQLite: another store's registry file copied into the folder
    Store.create(tmp_path / "a", name="s").close()
    Store.create(tmp_path / "b", name="s").close()
    shutil.copy(tmp_path / "b" / "registry.db", tmp_path / "a" / "registry.db")
    with pytest.raises(StoreNotFound, match="is another store"):
        Store.open(tmp_path / "a")


def test_registry_location_must_match_the_store(tmp_path, postgres_url):
    Store.create(tmp_path / "embedded").close()
    with pytest.raises(RegistryError, match="drop --db-url"):
        Store.open(tmp_path / "embedded", db_url=postgres_url)
    Store.create(tmp_path / "external", db_url=postgres_url).close()
    with pytest.raises(RegistryError, match="pass --db-url"):
        Store.open(tmp_path / "external")
    assert not (tmp_path / "external" / "registry.db").exists()


def test_version_lifecycle(store):
    with store.lock():
        v1 = store.begin_version(kind="init", message="base")
        assert (v1.number, v1.status, v1.parent) == (1, "training", None)
        assert store.current() is None  # a training version is never current
        ref = store.put_segment(tiny_segment(0), layer=0)
        store.finish_version(1, segments=[ref], corpus=corpus("base"))
    assert store.current().number == 1 and store.current().status == "ready"
    v2 = ingest_version(store, "docs", [1, 2], "b")
    info = store.version(v2)
    summary = (info.number, info.parent, info.status, info.corpus, info.segments, info.experts)
    assert summary == (2, 1, "ready", "docs", 2, 8)
    assert info.finished_at >= info.started_at
    assert [v.number for v in store.versions()] == [1, 2]
    assert store.version("current") == store.version("v2") == info
    with pytest.raises(VersionNotFound, match="no version 7"):
        store.version(7)
    with pytest.raises(VersionNotFound, match="not a version"):
        store.version("banana")
    with store.lock(), pytest.raises(VersionStateError, match="is ready, not training"):
        store.finish_version(2, segments=[])


def test_detail_and_segments_round_trip(store):
    seg = tiny_segment(3, frozen=True)
    ingest_version(store, "docs", [1], "b")
    with store.new_version(kind="ingest") as draft:
        refs = [store.put_segment(seg, layer=1), store.put_segment(tiny_segment(4), layer=0)]
        ckpt = store.put_checkpoint(lambda p: p.write_bytes(b"backbone"), suffix=".bin")
        draft.commit(segments=refs, checkpoint=ckpt)
    detail = store.detail("current")
    assert [(s.layer, s.frozen) for s in detail.segments] == [(0, False), (1, True)]
    assert detail.checkpoint.file == f"checkpoints/{ckpt.sha256}.bin"
    assert (store.path / detail.checkpoint.file).read_bytes() == b"backbone"
    assert detail.ingest is None and detail.evaluations == []
    loaded = store.load_segment(detail.segments[1])
    assert loaded.frozen and torch.equal(loaded.down.weight, seg.down.weight)
    first = store.detail(1)
    assert first.ingest.corpus == "docs" and first.ingest.heldout_loss == 2.5
    assert first.evaluations == [EvaluationRecord(corpus="docs", loss=2.5, tokens=10, bits_per_byte=1.1)]
    assert first.to_dict()["version"]["created_at"].endswith("+00:00")  # JSON-ready, UTC on every backend


def test_same_content_is_one_file_and_one_row(store):
    ingest_version(store, "docs", [5], "b")
    with store.new_version(kind="rollback") as draft:  # a new version made of the old one's files
        refs = store.segments(1)
        first = store.put_checkpoint(lambda p: p.write_bytes(b"same bytes"))
        again = store.put_checkpoint(lambda p: p.write_bytes(b"same bytes"))
        assert again == first
        draft.commit(segments=refs, checkpoint=again)
    assert len(list((store.path / "segments").iterdir())) == 1
    assert len(list((store.path / "checkpoints").iterdir())) == 1
    assert list((store.path / "tmp").iterdir()) == []  # staging files were all renamed into place
    with session_scope(store.engine) as s:
        assert s.scalar(select(func.count()).select_from(Segment)) == 1
    assert store.segments(2) == store.segments(1)


def test_failed_ingest_leaves_parent_current(store):
    ingest_version(store, "docs", [1], "b")
    with pytest.raises(RuntimeError, match="out of memory"):
        with store.new_version(kind="ingest", message="second") as draft:
            store.put_segment(tiny_segment(2), layer=0)
            assert store.version(draft.version.number).status == "training"
            raise RuntimeError("out of memory\nsecond line")
    failed = store.version(2)
    assert failed.status == "failed" and failed.error == "RuntimeError: out of memory"
    assert failed.parent == 1 and failed.segments == 0
    assert store.current().number == 1
    assert ingest_version(store, "more", [2], "c") == 3  # running it again works
    assert store.version(3).parent == 1


def test_block_without_commit_is_failed(store):
    with store.new_version(kind="ingest"):
        pass
    assert store.version(1).status == "failed" and "without committing" in store.version(1).error
    assert store.current() is None


def test_a_failing_commit_registers_nothing(store):
    ingest_version(store, "docs", [1], "b")
    with pytest.raises(RegistryError, match="no corpus named 'ghost'"):
        with store.new_version(kind="ingest") as draft:
            ref = store.put_segment(tiny_segment(9), layer=0)
            draft.commit(
                segments=[ref], corpus=corpus("new", "d"), evaluations=[EvaluationRecord("ghost", loss=1.0, tokens=1)]
            )
    assert store.version(2).status == "failed"
    assert [c.name for c in store.corpora()] == ["docs"]  # the corpus row was rolled back with the rest
    with session_scope(store.engine) as s:
        assert s.scalar(select(func.count()).select_from(Segment)) == 1


def test_corpus_names_and_fingerprints(store):
    ingest_version(store, "docs", [1], "b")
    assert store.find_corpus(sha256="b" * 64).name == "docs"
    assert store.find_corpus(name="docs").sha256 == "b" * 64
    assert store.find_corpus(name="other") is None
    with pytest.raises(RegistryError, match="same content as the registered corpus 'docs'"):
        ingest_version(store, "renamed", [2], "b")
    with pytest.raises(RegistryError, match="another corpus named 'docs'"):
        ingest_version(store, "docs", [2], "e")
    ingest_version(store, "docs", [3], "b")  # the same corpus again (--force): reuses its row
    with session_scope(store.engine) as s:
        assert s.scalar(select(func.count()).select_from(Corpus)) == 1


def test_record_evaluations_replaces_a_cell(store):
    ingest_version(store, "docs", [1], "b")
    ingest_version(store, "code", [2], "c")
    store.record_evaluations(1, [EvaluationRecord("code", loss=4.0, tokens=10)])
    store.record_evaluations(1, [EvaluationRecord("code", loss=3.0, tokens=12)])
    cells = {(n, e.corpus): e.loss for n, e in store.evaluations()}
    assert cells == {(1, "docs"): 2.5, (1, "code"): 3.0, (2, "code"): 2.5}


def test_writes_need_the_lock(store):
    with pytest.raises(StoreError, match="needs its lock"):
        store.put_segment(tiny_segment(0), layer=0)
    with pytest.raises(StoreError, match="needs its lock"):
        store.begin_version(kind="ingest")


def test_second_writer_is_refused(store, db_url):
    other = Store.open(store.path, db_url=db_url)
    with store.new_version(kind="ingest"):
        with pytest.raises(StoreLocked, match=r"is busy: peer ingest \(pid \d+ .*wait for it to finish") as info:
            with other.new_version(kind="ingest"):
                pass
        assert "\n" not in str(info.value)
    assert [v.number for v in other.versions()] == [1]  # the refused writer wrote nothing
    with other.lock():  # free again once the first writer is done
        pass
    other.close()


CHILD = textwrap.dedent(
    """
    import sys, time
    from peer_store.db import Store
    from tests.helpers.registry import tiny_segment
    store = Store.open(sys.argv[1], db_url=sys.argv[2] or None)
    with store.new_version(kind="ingest", message="doomed"):
        store.put_segment(tiny_segment(7), layer=0)
        print("training", flush=True)
        time.sleep(120)
    """
)


@pytest.mark.slow
@pytest.mark.parametrize("registry, copy", [("sqlite", False), ("postgresql", False), ("postgresql", True)],
                         ids=["sqlite", "postgresql", "postgresql-copied-folder"])
def test_killed_writer_leaves_parent_current_and_no_lock(tmp_path, request, registry, copy):
    """On PostgreSQL also seen from a copy of the folder (as another host sees it): the registry holds the lock."""
    db_url = request.getfixturevalue("postgres_url") if registry == "postgresql" else None
    path = tmp_path / "store"
    with Store.create(path, db_url=db_url) as store:
        ingest_version(store, "docs", [1], "b")
    mine = path
    if copy:
        mine = tmp_path / "copy"
        shutil.copytree(path, mine)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path), db_url or ""], stdout=subprocess.PIPE,
                             text=True, env=env)
    try:
        assert child.stdout.readline().strip() == "training"
        with Store.open(mine, db_url=db_url) as store:
            with pytest.raises(StoreLocked, match=f"pid {child.pid}" if not copy else "busy in its PostgreSQL"):
                with store.lock():
                    pass
            assert store.version(2).status == "training"
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
            assert store.current().number == 1
            with store.lock():  # the kernel dropped the dead writer's lock; taking it recovers
                pass
            assert store.version(2).status == "failed" and "interrupted" in store.version(2).error
            assert store.current().number == 1
            assert ingest_version(store, "more", [2], "c") == 3
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


def test_failed_init_in_an_empty_folder_leaves_it_empty(tmp_path, postgres_url):
    (tmp_path / "empty").mkdir()
    Store.create(tmp_path / "other", db_url=postgres_url, name="taken").close()
    with pytest.raises(StoreExists, match="already has a store named 'taken'; pass --name"):
        Store.create(tmp_path / "empty", db_url=postgres_url, name="taken")
    assert list((tmp_path / "empty").iterdir()) == []
    with Store.create(tmp_path / "empty", db_url=postgres_url, name="free", config={"d_model": 8}) as store:
        assert store.config == {"d_model": 8}
    with Store.open(tmp_path / "empty", db_url=postgres_url) as store:
        assert (store.name, store.config) == ("free", {"d_model": 8})


def test_a_read_only_store_refuses_writers_in_one_line_and_serves_readers(tmp_path, monkeypatch):
    """As on a read-only mount (EROFS) or an immutable folder: the lock file cannot be opened for writing."""
    import errno

    import peer_store.db.lock as lock_module

    real_open = os.open

    def read_only_open(path, flags, *args):
        if flags & (os.O_RDWR | os.O_WRONLY | os.O_CREAT):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args)

    path = tmp_path / "store"
    with Store.create(path) as store:
        ingest_version(store, "docs", [1], "b")
    monkeypatch.setattr(lock_module.os, "open", read_only_open)
    with Store.open(path) as store:
        with pytest.raises(StoreError, match=r"cannot write to the store .*read-only file system.*writable") as info:
            with store.lock():
                pass
        assert "\n" not in str(info.value)
        with store.lock(shared=True):  # fsck's lock: through a read-only descriptor
            assert store.current().number == 1


def test_a_shell_frozen_by_a_later_version_is_one_file_and_one_row(store):
    """Frozen is the version's fact: v1 holds shell A trainable, v2 the same file frozen; no second file."""
    shell = tiny_segment(5)
    with store.new_version(kind="init") as draft:
        draft.commit(segments=[store.put_segment(shell, layer=0)])
    shell.freeze()
    with store.new_version(kind="ingest") as draft:
        again = store.put_segment(shell, layer=0)
        draft.commit(segments=[again, store.put_segment(tiny_segment(6), layer=0)])
    one, two = store.segments(1), store.segments(2)
    assert again.file == one[0].file == two[0].file and (one[0].frozen, two[0].frozen) == (False, True)
    assert len(list((store.path / "segments").iterdir())) == 2
    with session_scope(store.engine) as s:
        assert s.scalar(select(func.count()).select_from(Segment)) == 2
    assert store.load_segment(two[0]).frozen and not store.load_segment(one[0]).frozen
