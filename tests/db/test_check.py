"""fsck finds missing, extra and corrupted files; gc removes only what no ready version references."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from peer_store.db import (
    FileRef, Store, StoreLocked, StudentNotFound, StudentRecord, VersionNotFound, fsck, gc, session_scope,
)
from peer_store.db.models import Segment as SegmentRow
from peer_store.errors import StoreError
from tests.helpers.registry import tiny_segment


def two_versions(store: Store):
    """v1: shell A + checkpoint; v2: A (frozen: the same file, frozen is the version's fact) + B. Returns the
    shell refs of v2."""
    with store.new_version(kind="init") as draft:
        a = store.put_segment(tiny_segment(1), layer=0)
        ckpt = store.put_checkpoint(lambda p: p.write_bytes(b"backbone-1"))
        draft.commit(segments=[a], checkpoint=ckpt)
    with store.new_version(kind="ingest") as draft:
        refs = [store.put_segment(tiny_segment(1, frozen=True), layer=0), store.put_segment(tiny_segment(2), layer=0)]
        draft.commit(segments=refs, checkpoint=ckpt)
    return refs


def test_clean_store_passes(store):
    two_versions(store)
    report = fsck(store)
    assert report.ok and report.checked == 3 and report.interrupted == []  # A once, B, the checkpoint


def test_fsck_finds_missing_extra_and_corrupted(store):
    frozen_a, b = two_versions(store)
    (store.path / b.file).unlink()
    path = store.path / frozen_a.file
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF  # same size, different content
    path.write_bytes(bytes(data))
    ckpt = store.detail(1).checkpoint
    (store.path / ckpt.file).write_bytes(b"short")
    (store.path / "segments" / "stray.safetensors").write_bytes(b"x")
    (store.path / "tmp" / "half-written.tmp").write_bytes(b"y")
    report = fsck(store)
    assert not report.ok
    assert report.of("missing") == [b.file]
    assert sorted(report.of("corrupted")) == sorted([frozen_a.file, ckpt.file])
    assert report.of("extra") == ["segments/stray.safetensors", "tmp/half-written.tmp"]
    by_file = {p.file: p for p in report.problems}
    assert by_file[b.file].versions == [2]
    assert by_file[ckpt.file].versions == [1, 2] and "bytes" in by_file[ckpt.file].detail
    assert "sha256" in by_file[frozen_a.file].detail


def test_fsck_reports_interrupted_versions(store):
    two_versions(store)
    with store.lock():
        store.begin_version(kind="ingest")
        assert fsck(store).interrupted == [3]


def test_fsck_and_gc_wait_for_no_writer(store, db_url):
    other = Store.open(store.path, db_url=db_url)
    with other.lock():
        with pytest.raises(StoreLocked, match="busy"):
            fsck(store)
        with pytest.raises(StoreLocked, match="busy"):
            gc(store)
    other.close()


def test_gc_removes_only_unreferenced_files(store):
    two_versions(store)
    kept = {ref.file for n in (1, 2) for ref in store.segments(n)} | {store.detail(1).checkpoint.file}
    with pytest.raises(RuntimeError):  # a failed ingest leaves a written segment no version references
        with store.new_version(kind="ingest"):
            orphan = store.put_segment(tiny_segment(3), layer=0)
            raise RuntimeError("boom")
    (store.path / "tmp" / "leftover.tmp").write_bytes(b"z" * 10)
    with session_scope(store.engine) as s:  # a registered file that no version uses
        s.add(SegmentRow(store_id=store.store_id, layer=0, n_keys=2, n_experts=4, frozen=True,
                         file="segments/lonely.safetensors", sha256="0" * 64, bytes=3))
    (store.path / "segments" / "lonely.safetensors").write_bytes(b"abc")
    doomed = sorted([orphan.file, "tmp/leftover.tmp", "segments/lonely.safetensors"])

    preview = gc(store, dry_run=True)
    assert preview.removed == doomed and preview.dry_run
    assert preview.bytes_freed == orphan.bytes + 10 + 3
    assert all((store.path / f).exists() for f in doomed)  # a dry run deletes nothing

    report = gc(store)
    assert report.removed == doomed
    assert not any((store.path / f).exists() for f in doomed)
    assert all((store.path / f).exists() for f in kept)
    with session_scope(store.engine) as s:
        assert "segments/lonely.safetensors" not in s.scalars(select(SegmentRow.file)).all()
    assert fsck(store).ok
    assert store.load_segment(store.segments(2)[1]).n_keys == 2
    assert gc(store).removed == []


def add_student(store: Store, content: bytes = b"student-weights", teacher: int = 2) -> StudentRecord:
    with store.lock():
        ref = store.put_student(lambda p: p.write_bytes(content))
        return store.add_student(StudentRecord(teacher=teacher, width=8, steps=3, alpha=0.25, init="teacher",
                                               params=100, file=ref, wall_seconds=1.0))


def test_fsck_and_gc_cover_students(store):
    two_versions(store)
    student = add_student(store)
    assert student.id is not None and student.file.file.startswith("students/")
    assert [s.id for s in store.students(2)] == [student.id] and store.students(1) == []
    report = fsck(store)
    assert report.ok and report.checked == 4  # A once, B, the checkpoint, the student
    assert gc(store).removed == []  # a registered student's file stays
    assert (store.path / student.file.file).is_file()

    (store.path / "students" / "stray.safetensors").write_bytes(b"x")  # a file no student row names
    assert fsck(store).of("extra") == ["students/stray.safetensors"]
    assert gc(store).removed == ["students/stray.safetensors"]

    path = store.path / student.file.file
    path.write_bytes(b"student-weightz")  # same size, other content
    report = fsck(store)
    assert report.of("corrupted") == [student.file.file]
    path.unlink()
    report = fsck(store)
    assert report.of("missing") == [student.file.file]
    problem = report.problems[0]
    assert problem.detail == f"student {student.id}" and problem.versions == [2]


def test_a_student_needs_a_ready_teacher_and_its_file(store):
    two_versions(store)
    with store.lock():
        with pytest.raises(StoreError, match="missing or has the wrong size"):
            store.add_student(StudentRecord(teacher=2, width=8, steps=3, alpha=0.25, init="fresh", params=1,
                                            file=FileRef("students/none.safetensors", "0" * 64, 3), wall_seconds=0.0))
        ref = store.put_student(lambda p: p.write_bytes(b"w"))
        with pytest.raises(VersionNotFound):
            store.add_student(StudentRecord(teacher=7, width=8, steps=3, alpha=0.25, init="fresh", params=1,
                                            file=ref, wall_seconds=0.0))
    assert store.students() == []
    with pytest.raises(StudentNotFound, match="no student 1"):
        store.student(1)
    with pytest.raises(StudentNotFound, match="not a student id"):
        store.student("x")
