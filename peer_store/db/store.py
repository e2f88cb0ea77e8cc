"""A store directory (layout in ``layout.py``) and its version registry.

A version is born ``training`` (parent: the current version) in its own
transaction, its files are written under content addresses, and one more
transaction registers files, corpus, ingest and evaluations and marks it
``ready``. Anything that fails before that leaves it ``failed`` and the parent
current: the current version is the newest ready one. A process killed
mid-write leaves a ``training`` row that the next writer marks failed
(``interrupted``) when it takes the lock.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from peer_store.db import models as m
from peer_store.db.engine import check_connection, describe, make_engine, session_scope, sqlite_url
from peer_store.db.errors import (
    RegistryError,
    StoreExists,
    StoreNotFound,
    StudentNotFound,
    VersionNotFound,
    VersionStateError,
)
from peer_store.db.layout import (
    CHECKPOINTS,
    CORPORA,
    EMBEDDED,
    EXTERNAL,
    MANIFEST,
    REGISTRY,
    ROUTES,
    SEGMENTS,
    STAGING,
    STORE_FORMAT,
    STUDENTS,
    UPLOADS,
    read_manifest,
    registry_engine,
    store_file,
)
from peer_store.db.lock import RegistryLock, StoreLock
from peer_store.db.records import (
    CorpusRecord,
    EvaluationRecord,
    FileRef,
    IngestRecord,
    RouteRef,
    SegmentRef,
    StudentRecord,
    VersionDetail,
    VersionInfo,
    check_name,
)
from peer_store.db.schema import check_schema, upgrade_engine
from peer_store.errors import StoreError
from peer_store.fsio import atomic_write, fsync_dir, sha256_file

if TYPE_CHECKING:
    from peer_store.segment import Segment


class Store:
    """One store directory plus its registry; use ``Store.create`` or ``Store.open``."""

    def __init__(self, path: Path, engine: Engine, store_id: int, name: str, config: dict[str, Any]):
        self.path = Path(path)
        self.engine = engine
        self.store_id = store_id
        self.name = name
        self.config = config  # what `peer init` recorded (e.g. the model config); read-only here
        self._lock = StoreLock(self.path / "lock")
        self._registry_lock = RegistryLock(engine, store_id, name)

    # -- opening -----------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: Path | str,
        *,
        db_url: str | None = None,
        name: str | None = None,
        config: dict[str, Any] | None = None,
    ) -> Store:
        """Make a new store in ``path`` (new or empty) with a migrated registry."""
        path = Path(path).absolute()
        name = check_name(name or path.name, "store name")
        if (path / MANIFEST).exists():
            raise StoreExists(f"{path} already holds a peer store; open it with --store {path}")
        if path.exists() and (not path.is_dir() or any(path.iterdir())):
            raise StoreExists(f"{path} exists and is not an empty folder; pick a new or empty folder")
        engine = make_engine(db_url) if db_url is not None else None
        if engine is not None:
            check_connection(engine)  # before anything is written
        made = not path.exists()
        try:
            for sub in (SEGMENTS, CHECKPOINTS, ROUTES, CORPORA, UPLOADS, STAGING):
                (path / sub).mkdir(parents=True, exist_ok=True)
            if engine is None:
                engine = make_engine(sqlite_url(path / REGISTRY))
            upgrade_engine(engine)
            with session_scope(engine) as s:
                if s.scalar(select(m.StoreRow.id).where(m.StoreRow.name == name)) is not None:
                    raise StoreExists(
                        f"the database {describe(engine.url)} already has a store named {name!r}; pass --name"
                    )
                uid = uuid.uuid4().hex
                row = m.StoreRow(name=name, uid=uid, config=config or {})
                s.add(row)
                s.flush()
                store_id = row.id
            manifest = {"format": STORE_FORMAT, "name": name, "uid": uid,
                        "registry": EMBEDDED if db_url is None else EXTERNAL}
            atomic_write(path / MANIFEST, lambda tmp: tmp.write_text(json.dumps(manifest, indent=2) + "\n"))
        except BaseException:
            if engine is not None:
                engine.dispose()
            if made:  # a failed init leaves nothing behind
                _remove_tree(path)
            else:
                _empty_folder(path)
            raise
        return cls(path, engine, store_id, name, dict(config or {}))

    @classmethod
    def open(cls, path: Path | str, *, db_url: str | None = None) -> Store:
        """Open an existing store; refuses a registry whose schema is not this code's."""
        path = Path(path).absolute()
        manifest = read_manifest(path)
        engine = registry_engine(path, manifest, db_url)
        try:
            check_connection(engine)
            check_schema(engine)
            with session_scope(engine) as s:
                row = s.scalar(select(m.StoreRow).where(m.StoreRow.name == manifest["name"]))
            if row is None:
                raise StoreNotFound(
                    f"the database {describe(engine.url)} has no store named {manifest['name']!r}; "
                    "is --db-url the database this store was created with?"
                )
            if row.uid is not None and manifest.get("uid") is not None and row.uid != manifest["uid"]:
                raise StoreNotFound(
                    f"the store named {manifest['name']!r} in {describe(engine.url)} is another store than the "
                    f"one in {path} (store ids {row.uid[:8]}… and {str(manifest['uid'])[:8]}…); "
                    "is --db-url the database this store was created with?"
                )
        except BaseException:
            engine.dispose()
            raise
        return cls(path, engine, row.id, manifest["name"], dict(row.config or {}))

    def close(self) -> None:
        self._registry_lock.release()
        self._lock.release()
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # -- locking -----------------------------------------------------------

    @contextmanager
    def lock(self, *, shared: bool = False, purpose: str = "a writer") -> Iterator[None]:
        """Hold the store lock (exclusive unless ``shared``); re-entrant within this object.

        Taking it exclusively marks versions left ``training`` by a dead
        process as failed: no one else can be writing them.
        """
        if self._lock.held:
            assert shared or not self._lock.shared, "cannot upgrade a shared store lock to exclusive"
            yield
            return
        self._lock.acquire(shared=shared, purpose=purpose)
        try:
            if not shared:
                self._registry_lock.acquire()  # before recovery: a shared registry's writer may be elsewhere
                self._recover()
            yield
        finally:
            self._registry_lock.release()
            self._lock.release()

    @property
    def writing(self) -> bool:
        """Whether this object holds the store lock exclusively (as a writer)."""
        return self._lock.held and not self._lock.shared

    def _require_writer(self) -> None:
        if not self.writing:
            raise StoreError("writing to a store needs its lock: wrap the writes in `with store.lock():`")

    def _recover(self) -> list[int]:
        with session_scope(self.engine) as s:
            stale = s.scalars(
                select(m.Version).where(
                    m.Version.store_id == self.store_id,
                    m.Version.status.in_([m.VersionStatus.PENDING.value, m.VersionStatus.TRAINING.value]),
                )
            ).all()
            for v in stale:
                v.status = m.VersionStatus.FAILED.value
                v.error = "interrupted: the process writing it stopped before it finished"
                v.finished_at = m.utcnow()
            return [v.number for v in stale]

    # -- reading -----------------------------------------------------------

    def _info(self, s: Session, v: m.Version) -> VersionInfo:
        made = s.execute(
            select(m.Corpus.name, m.Ingest.settings)
            .join(m.Ingest, m.Ingest.corpus_id == m.Corpus.id)
            .where(m.Ingest.version_id == v.id)
        ).first()
        corpus, settings = (None, {}) if made is None else (made[0], made[1] or {})
        return VersionInfo(
            number=v.number,
            status=v.status,
            kind=v.kind,
            message=v.message,
            parent=v.parent.number if v.parent is not None else None,
            created_at=_utc(v.created_at),
            started_at=_utc(v.started_at),
            finished_at=_utc(v.finished_at),
            error=v.error,
            corpus=corpus,
            segments=len(v.members),
            experts=sum(member.segment.n_experts for member in v.members),
            method=None if "method" not in settings else {"name": settings["method"],
                                                          "options": settings.get("options")},
        )

    def _version_row(self, s: Session, ref: int | str) -> m.Version:
        if ref in ("current", "latest"):
            row = self._current_row(s)
            if row is None:
                raise VersionNotFound(f"the store {self.path} has no ready version yet; ingest a corpus first")
            return row
        try:
            number = int(str(ref).removeprefix("v"))
        except ValueError:
            raise VersionNotFound(f"{ref!r} is not a version; use a number from `peer versions`, or current") from None
        row = None
        if 0 < number < 2**31:  # beyond the column's range no row can match (and the driver would overflow)
            row = s.scalar(select(m.Version).where(m.Version.store_id == self.store_id, m.Version.number == number))
        if row is None:
            raise VersionNotFound(f"the store {self.path} has no version {number}; see `peer versions`")
        return row

    def _current_row(self, s: Session) -> m.Version | None:
        return s.scalar(
            select(m.Version)
            .where(m.Version.store_id == self.store_id, m.Version.status == m.VersionStatus.READY.value)
            .order_by(m.Version.number.desc())
            .limit(1)
        )

    def current(self) -> VersionInfo | None:
        """The newest ready version, or None for a store that has none yet."""
        with session_scope(self.engine) as s:
            row = self._current_row(s)
            return None if row is None else self._info(s, row)

    def versions(self) -> list[VersionInfo]:
        with session_scope(self.engine) as s:
            rows = s.scalars(
                select(m.Version).where(m.Version.store_id == self.store_id).order_by(m.Version.number)
            ).all()
            return [self._info(s, v) for v in rows]

    def listing(self) -> list[dict[str, Any]]:
        """Every version as ``peer versions --json`` prints it: oldest first, the current one marked."""
        history, current = self.versions(), self.current()
        return [{**v.to_dict(), "current": current is not None and v.number == current.number} for v in history]

    def version(self, ref: int | str) -> VersionInfo:
        with session_scope(self.engine) as s:
            return self._info(s, self._version_row(s, ref))

    def segments(self, ref: int | str) -> list[SegmentRef]:
        """The segment files of a version, by layer and then in memory order."""
        with session_scope(self.engine) as s:
            return _segment_refs(self._version_row(s, ref))

    def detail(self, ref: int | str) -> VersionDetail:
        with session_scope(self.engine) as s:
            v = self._version_row(s, ref)
            ingest = s.scalar(select(m.Ingest).where(m.Ingest.version_id == v.id))
            evals = s.execute(
                select(m.Evaluation, m.Corpus.name)
                .join(m.Corpus, m.Evaluation.corpus_id == m.Corpus.id)
                .where(m.Evaluation.version_id == v.id)
                .order_by(m.Corpus.id, m.Evaluation.split)
            ).all()
            return VersionDetail(
                version=self._info(s, v),
                segments=_segment_refs(v),
                checkpoint=_file_ref(v.checkpoint) if v.checkpoint is not None else None,
                ingest=None if ingest is None else _ingest_record(s, ingest),
                evaluations=[_evaluation_record(e, name) for e, name in evals],
                routes=[_route_ref(r) for r in v.routes],
            )

    def corpora(self) -> list[CorpusRecord]:
        with session_scope(self.engine) as s:
            rows = s.scalars(select(m.Corpus).where(m.Corpus.store_id == self.store_id).order_by(m.Corpus.id)).all()
            return [_corpus_record(c) for c in rows]

    def find_corpus(self, *, sha256: str | None = None, name: str | None = None) -> CorpusRecord | None:
        """A registered corpus by fingerprint or name (to refuse duplicates before training)."""
        assert (sha256 is None) != (name is None), "give exactly one of sha256, name"
        column, value = (m.Corpus.sha256, sha256) if sha256 is not None else (m.Corpus.name, name)
        with session_scope(self.engine) as s:
            row = s.scalar(select(m.Corpus).where(m.Corpus.store_id == self.store_id, column == value))
            return None if row is None else _corpus_record(row)

    def evaluations(self) -> list[tuple[int, EvaluationRecord]]:
        """Every evaluation of every ready version, as ``(version number, record)``."""
        with session_scope(self.engine) as s:
            rows = s.execute(
                select(m.Version.number, m.Evaluation, m.Corpus.name)
                .join(m.Evaluation, m.Evaluation.version_id == m.Version.id)
                .join(m.Corpus, m.Evaluation.corpus_id == m.Corpus.id)
                .where(m.Version.store_id == self.store_id, m.Version.status == m.VersionStatus.READY.value)
                .order_by(m.Version.number, m.Corpus.id, m.Evaluation.split)
            ).all()
            return [(number, _evaluation_record(e, name)) for number, e, name in rows]

    def file_path(self, ref: FileRef | SegmentRef) -> Path:
        """Where the file of ``ref`` lies; refused (``UnsafePath``) unless inside the store's file folders."""
        return store_file(self.path, ref.file)

    def load_segment(self, ref: SegmentRef, *, mmap_frozen: bool = True) -> Segment:
        """The ``peer_store.Segment`` of ``ref``, checked against its sha256."""
        from peer_store.files import load_segment  # torch: only where segments are touched

        return load_segment(self.file_path(ref), sha256=ref.sha256, mmap_frozen=mmap_frozen)

    # -- writing -----------------------------------------------------------

    def _put(self, folder: str, suffix: str, write_atomically: Callable[[Path], Any]) -> FileRef:
        staging = store_file(self.path, f"{STAGING}/{uuid.uuid4().hex}{suffix}")
        write_atomically(staging)
        digest = sha256_file(staging)
        final = store_file(self.path, f"{folder}/{digest}{suffix}")
        final.parent.mkdir(exist_ok=True)
        os.replace(staging, final)  # same content, same name: replacing heals a corrupted copy
        fsync_dir(final.parent)
        return FileRef(file=f"{folder}/{final.name}", sha256=digest, bytes=final.stat().st_size)

    def put_segment(self, segment: Segment, *, layer: int) -> SegmentRef:
        """Write a ``peer_store.Segment`` of PEER layer ``layer`` under its content address."""
        self._require_writer()
        from peer_store.files import save_segment  # torch: only where segments are touched

        ref = self._put(SEGMENTS, ".safetensors", lambda tmp: save_segment(segment, tmp))
        return SegmentRef(
            layer=layer,
            n_keys=segment.n_keys,
            n_experts=segment.num_experts,
            frozen=segment.frozen,
            file=ref.file,
            sha256=ref.sha256,
            bytes=ref.bytes,
        )

    def put_artifact(self, kind: str, write: Callable[[Path], None]) -> FileRef:
        """Write a route's file (``kind``: 'profile' or 'deltas'): ``write(path)`` writes it, the store names it
        by sha256."""
        self._require_writer()
        assert kind in m.ARTIFACT_KINDS, kind
        return self._put(ROUTES, ".safetensors", lambda path: atomic_write(path, write))

    def put_checkpoint(self, write: Callable[[Path], None], *, suffix: str = ".safetensors") -> FileRef:
        """Write a backbone checkpoint: ``write(path)`` writes the file, the store names it by sha256."""
        self._require_writer()
        return self._put(CHECKPOINTS, suffix, lambda path: atomic_write(path, write))

    def put_student(self, write: Callable[[Path], None]) -> FileRef:
        """Write a distilled student's weights: ``write(path)`` writes the file, the store names it by sha256."""
        self._require_writer()
        return self._put(STUDENTS, ".safetensors", lambda path: atomic_write(path, write))

    def add_student(self, student: StudentRecord) -> StudentRecord:
        """Register a student whose file :meth:`put_student` wrote (one transaction); returns it with its id.
        Its teacher must be a ready version and every evaluation's corpus a registered one."""
        self._require_writer()
        path = self.file_path(student.file)
        if not path.is_file() or path.stat().st_size != student.file.bytes:
            raise StoreError(f"{path} is missing or has the wrong size; write it with put_student")
        with session_scope(self.engine) as s:
            v = self._version_row(s, student.teacher)
            if v.status != m.VersionStatus.READY.value:
                raise VersionStateError(f"version {v.number} is {v.status}; a student learns from a ready version")
            for e in student.evaluations:
                self._corpus_id(s, e.corpus)
            row = m.Student(
                store_id=self.store_id, version_id=v.id, width=student.width, steps=student.steps,
                alpha=student.alpha, init=student.init, params=student.params, file=student.file.file,
                sha256=student.file.sha256, bytes=student.file.bytes, train_loss=student.train_loss,
                wall_seconds=student.wall_seconds, settings=dict(student.settings),
                heldout={e.corpus: {"loss": e.loss, "tokens": e.tokens, "bits_per_byte": e.bits_per_byte}
                         for e in student.evaluations},
            )
            s.add(row)
            s.flush()
            return _student_record(row)

    def students(self, ref: int | str | None = None) -> list[StudentRecord]:
        """Every student of the store (of version ``ref`` only, if given), oldest first."""
        with session_scope(self.engine) as s:
            query = select(m.Student).where(m.Student.store_id == self.store_id).order_by(m.Student.id)
            if ref is not None:
                query = query.where(m.Student.version_id == self._version_row(s, ref).id)
            return [_student_record(row) for row in s.scalars(query)]

    def student(self, student_id: int | str) -> StudentRecord:
        """The student ``student_id`` (a number from `peer students`)."""
        try:
            number = int(str(student_id))
        except ValueError:
            raise StudentNotFound(f"{student_id!r} is not a student id; use a number from `peer students`") from None
        with session_scope(self.engine) as s:
            row = None
            if 0 < number < 2**31:  # beyond the column's range no row can match
                row = s.scalar(select(m.Student).where(m.Student.store_id == self.store_id, m.Student.id == number))
            if row is None:
                raise StudentNotFound(f"the store {self.path} has no student {number}; see `peer students`")
            return _student_record(row)

    def next_number(self) -> int:
        """The number the next version will get (under the writer lock, the one :meth:`begin_version` gives)."""
        with session_scope(self.engine) as s:
            return self._next_number(s)

    def _next_number(self, s: Session) -> int:
        return (s.scalar(select(func.max(m.Version.number)).where(m.Version.store_id == self.store_id)) or 0) + 1

    def begin_version(self, *, kind: str, message: str = "") -> VersionInfo:
        """A new version in status ``training`` whose parent is the current version (own transaction)."""
        self._require_writer()
        with session_scope(self.engine) as s:
            number = self._next_number(s)
            parent = self._current_row(s)
            now = m.utcnow()
            v = m.Version(
                store_id=self.store_id,
                number=number,
                parent=parent,
                status=m.VersionStatus.TRAINING.value,
                kind=kind,
                message=message,
                created_at=now,
                started_at=now,
            )
            s.add(v)
            s.flush()
            return self._info(s, v)

    def _training_row(self, s: Session, number: int) -> m.Version:
        v = self._version_row(s, number)
        if v.status != m.VersionStatus.TRAINING.value:
            raise VersionStateError(f"version {number} is {v.status}, not training; start a new version instead")
        return v

    def finish_version(
        self,
        number: int,
        *,
        segments: Sequence[SegmentRef],
        checkpoint: FileRef | None = None,
        corpus: CorpusRecord | None = None,
        ingest: IngestRecord | None = None,
        evaluations: Sequence[EvaluationRecord] = (),
        routes: Sequence[RouteRef] = (),
    ) -> VersionInfo:
        """Register the version's files, routes, corpus, ingest and evaluations and mark it ready: one
        transaction."""
        self._require_writer()
        route_files = [f for r in routes for f in r.files()]
        for ref in [*segments, *([checkpoint] if checkpoint else []), *route_files]:
            path = self.file_path(ref)
            if not path.is_file() or path.stat().st_size != ref.bytes:
                raise StoreError(f"{path} is missing or has the wrong size; write it with put_segment/put_checkpoint")
        with session_scope(self.engine) as s:
            v = self._training_row(s, number)
            if corpus is not None:
                self._register_corpus(s, corpus)
            positions: dict[int, int] = {}
            for ref in segments:
                row = self._get_or_add_segment(s, ref)
                positions[ref.layer] = positions.get(ref.layer, -1) + 1
                v.members.append(m.VersionSegment(segment=row, position=positions[ref.layer]))
            if checkpoint is not None:
                v.checkpoint = self._get_or_add_checkpoint(s, checkpoint)
            for position, route in enumerate(routes):
                v.routes.append(m.VersionRoute(
                    position=position,
                    corpus=route.corpus,
                    learnt_by=route.learnt_by,
                    segments={str(layer): count for layer, count in route.segments.items()},
                    profile=None if route.profile is None else self._get_or_add_artifact(s, "profile", route.profile),
                    deltas=None if route.deltas is None else self._get_or_add_artifact(s, "deltas", route.deltas),
                ))
            if ingest is not None:
                s.add(
                    m.Ingest(
                        version_id=v.id,
                        corpus_id=self._corpus_id(s, ingest.corpus),
                        steps=ingest.steps,
                        tokens=ingest.tokens,
                        wall_seconds=ingest.wall_seconds,
                        train_loss=ingest.train_loss,
                        heldout_loss=ingest.heldout_loss,
                        settings=dict(ingest.settings),
                    )
                )
            self._add_evaluations(s, v, evaluations)
            v.status = m.VersionStatus.READY.value
            v.finished_at = m.utcnow()
            s.flush()
            return self._info(s, v)

    def fail_version(self, number: int, error: str) -> None:
        """Mark a training version failed; the current version stays what it was."""
        with session_scope(self.engine) as s:
            v = self._training_row(s, number)
            v.status = m.VersionStatus.FAILED.value
            v.error = error or "failed"
            v.finished_at = m.utcnow()

    def record_evaluations(self, ref: int | str, evaluations: Sequence[EvaluationRecord]) -> None:
        """Add (or replace) evaluations of an existing version, e.g. an old version on a newer corpus."""
        with session_scope(self.engine) as s:
            self._add_evaluations(s, self._version_row(s, ref), evaluations)

    @contextmanager
    def new_version(self, *, kind: str, message: str = "") -> Iterator[VersionDraft]:
        """Lock the store, begin a version, and fail it if the block raises or returns without commit.

        with store.new_version(kind="ingest", message="python docs") as draft:
            refs = [store.put_segment(seg, layer=i) for i, seg in ...]
            draft.commit(segments=refs, corpus=..., ingest=..., evaluations=...)
        """
        with self.lock(purpose=f"peer {kind}"):
            draft = VersionDraft(self, self.begin_version(kind=kind, message=message))
            try:
                yield draft
            except BaseException as error:
                # A registry that fails here too leaves the row training: the next writer marks it failed.
                with contextlib.suppress(Exception):
                    self.fail_version(draft.version.number, f"{type(error).__name__}: {error}".splitlines()[0])
                raise
            if draft.result is None:
                self.fail_version(draft.version.number, "the ingest ended without committing the version")

    # -- helpers inside a transaction ---------------------------------------

    def _register_corpus(self, s: Session, corpus: CorpusRecord) -> None:
        existing = s.scalar(
            select(m.Corpus).where(m.Corpus.store_id == self.store_id, m.Corpus.sha256 == corpus.sha256)
        )
        if existing is not None:
            if existing.name != corpus.name:
                raise RegistryError(
                    f"corpus {corpus.name!r} has the same content as the registered corpus {existing.name!r}; "
                    f"ingest it under the name {existing.name!r}"
                )
            return
        if s.scalar(select(m.Corpus.id).where(m.Corpus.store_id == self.store_id, m.Corpus.name == corpus.name)):
            raise RegistryError(f"the store already has another corpus named {corpus.name!r}; pick another --name")
        s.add(m.Corpus(store_id=self.store_id, **corpus.to_dict()))
        s.flush()

    def _corpus_id(self, s: Session, name: str) -> int:
        corpus_id = s.scalar(select(m.Corpus.id).where(m.Corpus.store_id == self.store_id, m.Corpus.name == name))
        if corpus_id is None:
            raise RegistryError(f"no corpus named {name!r} is registered in the store {self.path}")
        return corpus_id

    def _get_or_add_segment(self, s: Session, ref: SegmentRef) -> m.Segment:
        row = s.scalar(select(m.Segment).where(m.Segment.store_id == self.store_id, m.Segment.sha256 == ref.sha256))
        if row is None:
            row = m.Segment(store_id=self.store_id, **ref.to_dict())
            s.add(row)
        return row

    def _get_or_add_checkpoint(self, s: Session, ref: FileRef) -> m.Checkpoint:
        row = s.scalar(
            select(m.Checkpoint).where(m.Checkpoint.store_id == self.store_id, m.Checkpoint.sha256 == ref.sha256)
        )
        if row is None:
            row = m.Checkpoint(store_id=self.store_id, **ref.to_dict())
            s.add(row)
        return row

    def _get_or_add_artifact(self, s: Session, kind: str, ref: FileRef) -> m.Artifact:
        row = s.scalar(select(m.Artifact).where(m.Artifact.store_id == self.store_id, m.Artifact.sha256 == ref.sha256))
        if row is None:
            row = m.Artifact(store_id=self.store_id, kind=kind, **ref.to_dict())
            s.add(row)
            s.flush()
        elif row.kind != kind:
            raise RegistryError(f"{ref.file} is registered as a {row.kind}, not a {kind}")
        return row

    def _add_evaluations(self, s: Session, v: m.Version, evaluations: Sequence[EvaluationRecord]) -> None:
        for e in evaluations:
            corpus_id = self._corpus_id(s, e.corpus)
            row = s.scalar(
                select(m.Evaluation).where(
                    m.Evaluation.version_id == v.id, m.Evaluation.corpus_id == corpus_id, m.Evaluation.split == e.split
                )
            )
            if row is None:
                row = m.Evaluation(version_id=v.id, corpus_id=corpus_id, split=e.split)
                s.add(row)
            row.loss, row.bits_per_byte, row.tokens = e.loss, e.bits_per_byte, e.tokens
            row.created_at = m.utcnow()


class VersionDraft:
    """The version being written inside ``Store.new_version``."""

    def __init__(self, store: Store, version: VersionInfo):
        self.store = store
        self.version = version
        self.result: VersionInfo | None = None

    def commit(self, **records: Any) -> VersionInfo:
        """``Store.finish_version`` for this draft (same keyword arguments)."""
        self.result = self.store.finish_version(self.version.number, **records)
        return self.result


def _utc(moment: datetime | None) -> datetime | None:
    """SQLite hands timestamps back without their zone; they were written in UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=timezone.utc)


def _segment_refs(v: m.Version) -> list[SegmentRef]:
    members = sorted(v.members, key=lambda member: (member.segment.layer, member.position))
    return [
        SegmentRef(
            layer=seg.layer,
            n_keys=seg.n_keys,
            n_experts=seg.n_experts,
            frozen=seg.frozen,
            file=seg.file,
            sha256=seg.sha256,
            bytes=seg.bytes,
        )
        for seg in (member.segment for member in members)
    ]


def _file_ref(row: m.Checkpoint | m.Artifact) -> FileRef:
    return FileRef(file=row.file, sha256=row.sha256, bytes=row.bytes)


def _route_ref(row: m.VersionRoute) -> RouteRef:
    return RouteRef(
        corpus=row.corpus,
        learnt_by=row.learnt_by,
        segments={int(layer): int(count) for layer, count in (row.segments or {}).items()},
        profile=None if row.profile is None else _file_ref(row.profile),
        deltas=None if row.deltas is None else _file_ref(row.deltas),
    )


def _student_record(row: m.Student) -> StudentRecord:
    return StudentRecord(
        id=row.id,
        teacher=row.version.number,
        width=row.width,
        steps=row.steps,
        alpha=row.alpha,
        init=row.init,
        params=row.params,
        file=FileRef(file=row.file, sha256=row.sha256, bytes=row.bytes),
        wall_seconds=row.wall_seconds,
        train_loss=row.train_loss,
        evaluations=[EvaluationRecord(corpus=name, loss=e["loss"], tokens=e["tokens"], bits_per_byte=e.get("bits_per_byte"))
                     for name, e in (row.heldout or {}).items()],
        settings=dict(row.settings or {}),
        created_at=_utc(row.created_at),
    )


def _corpus_record(c: m.Corpus) -> CorpusRecord:
    return CorpusRecord(
        name=c.name, source=c.source, sha256=c.sha256, bytes=c.bytes, tokens=c.tokens, documents=c.documents
    )


def _ingest_record(s: Session, i: m.Ingest) -> IngestRecord:
    return IngestRecord(
        corpus=s.get(m.Corpus, i.corpus_id).name,
        steps=i.steps,
        tokens=i.tokens,
        wall_seconds=i.wall_seconds,
        train_loss=i.train_loss,
        heldout_loss=i.heldout_loss,
        settings=dict(i.settings or {}),
    )


def _evaluation_record(e: m.Evaluation, corpus: str) -> EvaluationRecord:
    return EvaluationRecord(
        corpus=corpus, loss=e.loss, tokens=e.tokens, split=e.split, bits_per_byte=e.bits_per_byte
    )


def _remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def _empty_folder(path: Path) -> None:
    for child in path.iterdir():
        if child.is_dir():
            _remove_tree(child)
        else:
            child.unlink(missing_ok=True)

