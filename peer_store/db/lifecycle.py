"""A version's lifecycle: born ``training`` (parent: the current version) in its own transaction, then made
``ready`` with its files, routes, corpus, ingest and evaluations in one more, or ``failed``.

``Store.new_version`` holds the writer lock around the whole and fails the version if its block raises or
returns without :meth:`VersionDraft.commit`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from peer_store.db import models as m
from peer_store.db.engine import session_scope
from peer_store.db.errors import RegistryError, VersionStateError
from peer_store.db.records import CorpusRecord, EvaluationRecord, FileRef, IngestRecord, RouteRef, SegmentRef, VersionInfo
from peer_store.errors import StoreError

if TYPE_CHECKING:
    from peer_store.db.store import Store


class VersionLifecycle:
    """The write side of :class:`~peer_store.db.store.Store`'s versions (a part of it: it has the store's
    engine, lock and reads)."""

    engine: Engine
    store_id: int

    def next_number(self) -> int:
        """The number the next version will get (under the writer lock, the one :meth:`begin_version` gives)."""
        with session_scope(self.engine) as s:
            return self._next_number(s)

    def _next_number(self, s: Session) -> int:
        return (s.scalar(select(func.max(m.Version.number)).where(m.Version.store_id == self.store_id)) or 0) + 1

    def begin_version(self, *, kind: str, message: str = "") -> VersionInfo:
        """A new version in status ``training`` whose parent is the current version (own transaction)."""
        self.require_writer()
        with session_scope(self.engine) as s:
            number = self._next_number(s)
            parent = self.current_row(s)
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
            return self.version_info(s, v)

    def _training_row(self, s: Session, number: int) -> m.Version:
        v = self.version_row(s, number)
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
        self.require_writer()
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
                v.members.append(m.VersionSegment(segment=row, position=positions[ref.layer], frozen=ref.frozen))
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
                        corpus_id=self.corpus_id(s, ingest.corpus),
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
            return self.version_info(s, v)

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
            self._add_evaluations(s, self.version_row(s, ref), evaluations)

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
            corpus_id = self.corpus_id(s, e.corpus)
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
