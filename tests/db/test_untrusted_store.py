"""A store folder is untrusted input: crafted registry rows, linked folders and a linked lock file must not make
fsck, gc or a load touch a file outside the store. Each attack is set up on a real store, and the oracle is the
file outside: it keeps its bytes, and the command refuses with one line."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import update

from peer_store.db import Store, UnsafePath, fsck, gc, session_scope
from peer_store.db.models import Checkpoint as CheckpointRow
from peer_store.db.models import Segment as SegmentRow
from tests.helpers.registry import tiny_segment

PRECIOUS = b"someone else's file\n"


def one_line(info: pytest.ExceptionInfo) -> str:
    message = str(info.value)
    assert message and "\n" not in message, message
    return message


def ready_version(store: Store):
    """v1: one segment and one checkpoint. Returns (segment ref, checkpoint ref)."""
    with store.new_version(kind="init") as draft:
        seg = store.put_segment(tiny_segment(1), layer=0)
        ckpt = store.put_checkpoint(lambda p: p.write_bytes(b"backbone"))
        draft.commit(segments=[seg], checkpoint=ckpt)
    return seg, ckpt


def orphan_segment(store: Store):
    """A segment file written by an ingest that failed: its row-less file is gc's to delete."""
    with pytest.raises(RuntimeError), store.new_version(kind="ingest"):
        store.put_segment(tiny_segment(7), layer=0)
        raise RuntimeError("boom")


# -- rows that name a file elsewhere --------------------------------------------------------------------------------
def _outside(store: Store) -> Path:
    return store.path.parent / "outside.bin"


CRAFTED = {
    "parent": lambda store: ("../outside.bin", _outside(store)),
    "absolute": lambda store: (str(_outside(store)), _outside(store)),
    "dotdot inside a folder": lambda store: ("segments/../../outside.bin", _outside(store)),
    "the registry itself": lambda store: ("registry.db", store.path / "registry.db"),
    "the manifest via a folder": lambda store: ("checkpoints/../store.json", store.path / "store.json"),
}


@pytest.mark.parametrize("row_kind", ["segment", "checkpoint"])
@pytest.mark.parametrize("crafted", list(CRAFTED))
def test_gc_and_fsck_refuse_an_unreferenced_row_that_names_a_file_elsewhere(store, db_url, row_kind, crafted):
    ready_version(store)
    _outside(store).write_bytes(PRECIOUS)
    file, victim = CRAFTED[crafted](store)
    existed = victim.exists()  # the registry.db of an external registry does not
    with session_scope(store.engine) as s:  # no version references it: gc would delete its file
        if row_kind == "segment":
            s.add(SegmentRow(store_id=store.store_id, layer=0, n_keys=2, n_experts=4, frozen=True, file=file,
                             sha256="0" * 64, bytes=3))
        else:
            s.add(CheckpointRow(store_id=store.store_id, file=file, sha256="0" * 64, bytes=3))
    for command in (fsck, lambda st: gc(st, dry_run=True), gc):
        with pytest.raises(UnsafePath) as info:
            command(store)
        assert "not inside its folders" in one_line(info) and repr(file) in str(info.value)
    assert _outside(store).read_bytes() == PRECIOUS
    assert victim.exists() == existed
    assert store.current().number == 1 and Store.open(store.path, db_url=db_url).close() is None


def test_loading_a_version_refuses_rows_that_lead_out_of_the_store(store):
    """Even a file outside that would pass the sha256 check is not read."""
    seg, ckpt = ready_version(store)
    outside = store.path.parent / "copy.safetensors"
    shutil.copy(store.path / seg.file, outside)
    with session_scope(store.engine) as s:
        s.execute(update(SegmentRow).values(file="segments/../../copy.safetensors"))
        s.execute(update(CheckpointRow).values(file=str(store.path / ckpt.file)))  # absolute, even if inside
    [ref] = store.segments(1)
    with pytest.raises(UnsafePath) as info:
        store.load_segment(ref)
    one_line(info)
    with pytest.raises(UnsafePath):
        store.file_path(store.detail(1).checkpoint)


# -- links in the store folder --------------------------------------------------------------------------------------
def test_a_linked_file_folder_is_not_followed(store):
    """segments/ replaced by a link to a folder elsewhere: gc must not delete what it points to."""
    ready_version(store)
    orphan_segment(store)
    elsewhere = store.path.parent / "elsewhere"
    shutil.move(store.path / "segments", elsewhere)
    os.symlink(elsewhere, store.path / "segments")
    files = {p.name: p.read_bytes() for p in elsewhere.iterdir()}
    assert len(files) == 2  # the ready version's segment and the orphan
    for command in (fsck, gc):
        with pytest.raises(UnsafePath, match="is a symbolic link") as info:
            command(store)
        one_line(info)
    with pytest.raises(UnsafePath), store.lock():
        store.put_segment(tiny_segment(9), layer=0)
    with pytest.raises(UnsafePath):
        store.load_segment(store.segments(1)[0])
    assert {p.name: p.read_bytes() for p in elsewhere.iterdir()} == files


def test_a_linked_staging_folder_gets_no_writes(store):
    elsewhere = store.path.parent / "staging-elsewhere"
    elsewhere.mkdir()
    (store.path / "tmp").rmdir()
    os.symlink(elsewhere, store.path / "tmp")
    with pytest.raises(UnsafePath), store.lock():
        store.put_checkpoint(lambda p: p.write_bytes(b"backbone"))
    assert list(elsewhere.iterdir()) == []


def test_a_referenced_file_that_is_a_link_is_refused(store):
    seg, _ = ready_version(store)
    outside = store.path.parent / "copy.safetensors"
    shutil.move(store.path / seg.file, outside)
    os.symlink(outside, store.path / seg.file)
    for command in (fsck, gc, lambda st: st.load_segment(seg)):
        with pytest.raises(UnsafePath, match="is a symbolic link"):
            command(store)
    assert outside.is_file()


def test_links_without_rows_are_extra_and_gc_removes_the_link_only(store):
    ready_version(store)
    outside_file = _outside(store)
    outside_file.write_bytes(PRECIOUS)
    outside_dir = store.path.parent / "outside-dir"
    outside_dir.mkdir()
    (outside_dir / "keep.bin").write_bytes(PRECIOUS)
    os.symlink(outside_file, store.path / "tmp" / "file-link")
    os.symlink(outside_dir, store.path / "segments" / "dir-link")
    assert fsck(store).of("extra") == ["segments/dir-link", "tmp/file-link"]
    assert gc(store).removed == ["segments/dir-link", "tmp/file-link"]
    assert not os.path.lexists(store.path / "tmp" / "file-link")
    assert not os.path.lexists(store.path / "segments" / "dir-link")
    assert outside_file.read_bytes() == PRECIOUS and (outside_dir / "keep.bin").read_bytes() == PRECIOUS
    assert fsck(store).ok


@pytest.mark.parametrize("link", ["symbolic", "hard", "dangling"])
def test_a_linked_lock_file_is_not_truncated(tmp_path, link):
    with Store.create(tmp_path / "store") as store:
        ready_version(store)
        target = tmp_path / "target"
        (store.path / "lock").unlink(missing_ok=True)
        if link == "hard":
            target.write_bytes(PRECIOUS)
            os.link(target, store.path / "lock")
        else:
            if link == "symbolic":
                target.write_bytes(PRECIOUS)
            os.symlink(target, store.path / "lock")
        for command in (fsck, gc, lambda st: st.lock().__enter__()):
            with pytest.raises(UnsafePath, match="store lock") as info:
                command(store)
            one_line(info)
        if link == "dangling":
            assert not target.exists()  # O_CREAT did not go through the link
        else:
            assert target.read_bytes() == PRECIOUS


def test_a_linked_registry_is_refused(tmp_path):
    path = tmp_path / "store"
    Store.create(path).close()
    shutil.move(path / "registry.db", tmp_path / "other.db")
    os.symlink(tmp_path / "other.db", path / "registry.db")
    with pytest.raises(UnsafePath, match="registry.db is a symbolic link") as info:
        Store.open(path)
    one_line(info)
