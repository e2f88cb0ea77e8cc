"""Files on disk against the registry: ``fsck`` finds the drift, ``gc`` removes what nothing needs.

fsck: every segment, checkpoint, route artifact (n-gram profile, deltas) and
student row must have its file with the recorded size and sha256 (else *missing* or
*corrupted*); every registered corpus must have its snapshot (else *missing*);
every file in the store's file folders must have a row, be a registered
corpus's snapshot or the upload of a queued or running job (else *extra*: e.g.
a staging file, the snapshot of a killed ingest or the upload of a killed
server), and so must a temp file of an unfinished atomic write anywhere in the
store. It holds the lock shared, so it never reads a write in progress,
and ``gc`` holds it exclusively.

Neither follows a path out of the store: rows that name a file outside the
file folders and linked folders refuse the command (``UnsafePath``); a link
found in a folder is an extra file, and ``gc`` removes the link, not what it
points to.

gc: a file is kept while a ready version references it (a corpus snapshot
while its corpus is registered, an upload while its job is queued or running,
a student's file while its row exists: students are registered only once
their file is written, and only for ready versions).
Rows of files that only failed versions referenced go (with those memberships)
in one transaction, then the files that no row names are deleted; a crash
between the two only leaves extra files for the next gc.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import select, update

from peer_store.db import models as m
from peer_store.db.engine import session_scope
from peer_store.db.jobs import active_uploads
from peer_store.db.layout import CORPORA, FILE_FOLDERS, not_a_link, store_file
from peer_store.db.records import FileProblem, FsckReport, GcReport
from peer_store.db.store import Store
from peer_store.fsio import is_unfinished_write, sha256_file

SNAPSHOT_SUFFIX = ".jsonl.gz"


def snapshot_file(sha256: str) -> str:
    """Where a registered corpus's snapshot lives, relative to the store (named by its fingerprint)."""
    return f"{CORPORA}/{sha256}{SNAPSHOT_SUFFIX}"


def _snapshots(store: Store) -> set[str]:
    """Snapshot files of every registered corpus (whose versions' status does not matter: corpora stay).

    A fingerprint edited into a path (``../x``) is refused as a crafted file row is, before fsck reports on
    or gc deletes anything by it."""
    with session_scope(store.engine) as s:
        shas = s.scalars(select(m.Corpus.sha256).where(m.Corpus.store_id == store.store_id)).all()
    files = {snapshot_file(sha) for sha in shas}
    for file in files:
        store_file(store.path, file)
    return files


def _files_on_disk(store: Store) -> set[str]:
    """Every file (or link) in the file folders, and every unfinished write elsewhere in the store.

    No symbolic link is followed: a linked file folder is refused, a link inside one is listed as a file.
    """
    found = set()
    for folder in FILE_FOLDERS:
        root = not_a_link(store.path / folder)
        if root.is_dir():
            for top, dirs, files in os.walk(root):  # does not descend into linked folders
                found.update(_relative(store, top, name) for name in files)
                found.update(_relative(store, top, name) for name in dirs if os.path.islink(os.path.join(top, name)))
    for top, dirs, files in os.walk(store.path):
        if top == str(store.path):
            dirs[:] = [d for d in dirs if d not in FILE_FOLDERS]
        found.update(_relative(store, top, name) for name in files if is_unfinished_write(name))
    return found


def _relative(store: Store, folder: str, name: str) -> str:
    return Path(folder, name).relative_to(store.path).as_posix()


def _size(path: Path) -> int:
    """Bytes of a file, or of a link itself (never of what it points to); 0 if it is gone."""
    try:
        return path.lstat().st_size
    except FileNotFoundError:
        return 0


def _rows(store: Store) -> dict[str, tuple[str, int, list[int]]]:
    """file -> (sha256, bytes, ready versions that reference it), for every segment, checkpoint, route artifact
    and student row (a student's file is referenced by its teacher)."""
    ready = m.Version.status == m.VersionStatus.READY.value
    with session_scope(store.engine) as s:
        rows: dict[str, tuple[str, int, list[int]]] = {}
        for seg in s.scalars(select(m.Segment).where(m.Segment.store_id == store.store_id)):
            rows[seg.file] = (seg.sha256, seg.bytes, [])
        for ckpt in s.scalars(select(m.Checkpoint).where(m.Checkpoint.store_id == store.store_id)):
            rows[ckpt.file] = (ckpt.sha256, ckpt.bytes, [])
        for art in s.scalars(select(m.Artifact).where(m.Artifact.store_id == store.store_id)):
            rows[art.file] = (art.sha256, art.bytes, [])
        for student in s.scalars(select(m.Student).where(m.Student.store_id == store.store_id)):
            rows[student.file] = (student.sha256, student.bytes, [])
        for file in rows:
            store_file(store.path, file)  # a row naming a file elsewhere refuses the whole command
        seg_users = (
            select(m.Segment.file, m.Version.number)
            .join(m.VersionSegment, m.VersionSegment.segment_id == m.Segment.id)
            .join(m.Version, m.Version.id == m.VersionSegment.version_id)
            .where(m.Segment.store_id == store.store_id, ready)
        )
        ckpt_users = (
            select(m.Checkpoint.file, m.Version.number)
            .join(m.Version, m.Version.checkpoint_id == m.Checkpoint.id)
            .where(m.Checkpoint.store_id == store.store_id, ready)
        )
        route_users = [
            select(m.Artifact.file, m.Version.number)
            .join(m.VersionRoute, column == m.Artifact.id)
            .join(m.Version, m.Version.id == m.VersionRoute.version_id)
            .where(m.Artifact.store_id == store.store_id, ready)
            for column in (m.VersionRoute.profile_id, m.VersionRoute.deltas_id)
        ]
        student_users = (
            select(m.Student.file, m.Version.number)
            .join(m.Version, m.Version.id == m.Student.version_id)
            .where(m.Student.store_id == store.store_id)
        )
        users = [*s.execute(seg_users), *s.execute(ckpt_users), *(row for q in route_users for row in s.execute(q)),
                 *s.execute(student_users)]
        for file, number in users:
            if number not in rows[file][2]:
                rows[file][2].append(number)
    return rows


def _student_files(store: Store) -> dict[str, list[int]]:
    """file -> ids of the registered students it holds: kept whatever their teacher's status (gc never removes
    a student's row)."""
    with session_scope(store.engine) as s:
        found: dict[str, list[int]] = {}
        for file, student_id in s.execute(select(m.Student.file, m.Student.id).where(m.Student.store_id == store.store_id)):
            found.setdefault(file, []).append(student_id)
        return found


def _why_extra(file: str) -> str:
    if is_unfinished_write(Path(file).name):
        return "an unfinished write (its process stopped)"
    return "no version references it"


def fsck(store: Store) -> FsckReport:
    """Check every file of the store against the registry; changes nothing."""
    with store.lock(shared=True, purpose="peer fsck"):
        rows = _rows(store)
        on_disk = _files_on_disk(store)
        students = _student_files(store)
        problems = []
        for file, (sha256, size, users) in sorted(rows.items()):
            path = store_file(store.path, file)
            if file not in on_disk:
                what = f"student {', '.join(map(str, students[file]))}" if file in students else ""
                problems.append(FileProblem(file, "missing", what, sorted(users)))
            elif (actual := path.stat().st_size) != size:
                problems.append(FileProblem(file, "corrupted", f"{actual} bytes, expected {size}", sorted(users)))
            elif (digest := sha256_file(path)) != sha256:
                problems.append(
                    FileProblem(file, "corrupted", f"sha256 {digest[:12]}…, expected {sha256[:12]}…", sorted(users))
                )
        snapshots = _snapshots(store)
        problems += [FileProblem(file, "missing", "snapshot of a registered corpus") for file in sorted(snapshots - on_disk)]
        problems += [FileProblem(file, "missing", "upload of a queued or running job")
                     for file in sorted(active_uploads(store) - on_disk)]
        owned = rows.keys() | snapshots | active_uploads(store)
        problems += [FileProblem(file, "extra", _why_extra(file)) for file in sorted(on_disk - owned)]
        with session_scope(store.engine) as s:
            interrupted = s.scalars(
                select(m.Version.number).where(
                    m.Version.store_id == store.store_id,
                    m.Version.status.in_([m.VersionStatus.PENDING.value, m.VersionStatus.TRAINING.value]),
                )
            ).all()
        return FsckReport(checked=len(rows), problems=problems, interrupted=list(interrupted))


def gc(store: Store, *, dry_run: bool = False) -> GcReport:
    """Delete files (and their rows) that no ready version references."""
    with store.lock(purpose="peer gc"):  # exclusive: also marks interrupted versions failed
        rows = _rows(store)
        keep = ({file for file, (_, _, users) in rows.items() if users} | _snapshots(store) | active_uploads(store)
                | _student_files(store).keys())
        doomed_rows = set(rows) - keep
        doomed = sorted((_files_on_disk(store) | doomed_rows) - keep)
        freed = sum(_size(store.path / f) for f in doomed)
        if dry_run:
            return GcReport(removed=doomed, bytes_freed=freed, dry_run=True)
        if doomed_rows:
            with session_scope(store.engine) as s:
                segments = s.scalars(
                    select(m.Segment).where(m.Segment.store_id == store.store_id, m.Segment.file.in_(doomed_rows))
                ).all()
                seg_ids = [seg.id for seg in segments]
                for member in s.scalars(select(m.VersionSegment).where(m.VersionSegment.segment_id.in_(seg_ids))):
                    s.delete(member)
                checkpoints = s.scalars(
                    select(m.Checkpoint).where(
                        m.Checkpoint.store_id == store.store_id, m.Checkpoint.file.in_(doomed_rows)
                    )
                ).all()
                ckpt_ids = [c.id for c in checkpoints]
                s.execute(update(m.Version).where(m.Version.checkpoint_id.in_(ckpt_ids)).values(checkpoint_id=None))
                artifacts = s.scalars(
                    select(m.Artifact).where(m.Artifact.store_id == store.store_id, m.Artifact.file.in_(doomed_rows))
                ).all()
                art_ids = [a.id for a in artifacts]
                for route in s.scalars(select(m.VersionRoute).where(
                        m.VersionRoute.profile_id.in_(art_ids) | m.VersionRoute.deltas_id.in_(art_ids))):
                    s.delete(route)  # only failed versions' routes: a ready version's files are kept
                s.flush()
                for row in [*segments, *checkpoints, *artifacts]:
                    s.delete(row)
        for file in doomed:  # names from the registry passed store_file; the rest came from the walk
            (store.path / file).unlink(missing_ok=True)
        return GcReport(removed=doomed, bytes_freed=freed, dry_run=False)
