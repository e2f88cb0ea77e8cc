"""Reading a store's versions: the current one, the history, one version whole, corpora and evaluations.

The version lookups that take a session (:meth:`VersionReads.version_row`, :meth:`VersionReads.current_row`,
:meth:`VersionReads.corpus_id`) serve the writes of :mod:`peer_store.db.lifecycle` and
:mod:`peer_store.db.students` inside their own transactions.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from peer_store.db import models as m
from peer_store.db.engine import session_scope
from peer_store.db.errors import RegistryError, VersionNotFound
from peer_store.db.records import CorpusRecord, EvaluationRecord, SegmentRef, VersionDetail, VersionInfo, utc
from peer_store.db.rows import corpus_record, evaluation_record, file_ref, ingest_record, route_ref, segment_refs


class VersionReads:
    """The read side of :class:`~peer_store.db.store.Store` (a part of it: it has the store's engine, id and
    path)."""

    engine: Engine
    store_id: int

    def version_info(self, s: Session, v: m.Version) -> VersionInfo:
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
            created_at=utc(v.created_at),
            started_at=utc(v.started_at),
            finished_at=utc(v.finished_at),
            error=v.error,
            corpus=corpus,
            segments=len(v.members),
            experts=sum(member.segment.n_experts for member in v.members),
            method=None if "method" not in settings else {"name": settings["method"],
                                                          "options": settings.get("options")},
            route=settings.get("route"),
        )

    def version_row(self, s: Session, ref: int | str) -> m.Version:
        if ref in ("current", "latest"):
            row = self.current_row(s)
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

    def current_row(self, s: Session) -> m.Version | None:
        return s.scalar(
            select(m.Version)
            .where(m.Version.store_id == self.store_id, m.Version.status == m.VersionStatus.READY.value)
            .order_by(m.Version.number.desc())
            .limit(1)
        )

    def current(self) -> VersionInfo | None:
        """The newest ready version, or None for a store that has none yet."""
        with session_scope(self.engine) as s:
            row = self.current_row(s)
            return None if row is None else self.version_info(s, row)

    def versions(self) -> list[VersionInfo]:
        with session_scope(self.engine) as s:
            rows = s.scalars(
                select(m.Version).where(m.Version.store_id == self.store_id).order_by(m.Version.number)
            ).all()
            return [self.version_info(s, v) for v in rows]

    def listing(self) -> list[dict[str, Any]]:
        """Every version as ``peer versions --json`` prints it: oldest first, the current one marked."""
        history, current = self.versions(), self.current()
        return [{**v.to_dict(), "current": current is not None and v.number == current.number} for v in history]

    def version(self, ref: int | str) -> VersionInfo:
        with session_scope(self.engine) as s:
            return self.version_info(s, self.version_row(s, ref))

    def segments(self, ref: int | str) -> list[SegmentRef]:
        """The segment files of a version, by layer and then in memory order."""
        with session_scope(self.engine) as s:
            return segment_refs(self.version_row(s, ref))

    def detail(self, ref: int | str) -> VersionDetail:
        with session_scope(self.engine) as s:
            v = self.version_row(s, ref)
            ingest = s.scalar(select(m.Ingest).where(m.Ingest.version_id == v.id))
            evals = s.execute(
                select(m.Evaluation, m.Corpus.name)
                .join(m.Corpus, m.Evaluation.corpus_id == m.Corpus.id)
                .where(m.Evaluation.version_id == v.id)
                .order_by(m.Corpus.id, m.Evaluation.split)
            ).all()
            return VersionDetail(
                version=self.version_info(s, v),
                segments=segment_refs(v),
                checkpoint=file_ref(v.checkpoint) if v.checkpoint is not None else None,
                ingest=None if ingest is None else ingest_record(s, ingest),
                evaluations=[evaluation_record(e, name) for e, name in evals],
                routes=[route_ref(r) for r in v.routes],
            )

    def corpora(self) -> list[CorpusRecord]:
        with session_scope(self.engine) as s:
            rows = s.scalars(select(m.Corpus).where(m.Corpus.store_id == self.store_id).order_by(m.Corpus.id)).all()
            return [corpus_record(c) for c in rows]

    def find_corpus(self, *, sha256: str | None = None, name: str | None = None) -> CorpusRecord | None:
        """A registered corpus by fingerprint or name (to refuse duplicates before training)."""
        assert (sha256 is None) != (name is None), "give exactly one of sha256, name"
        column, value = (m.Corpus.sha256, sha256) if sha256 is not None else (m.Corpus.name, name)
        with session_scope(self.engine) as s:
            row = s.scalar(select(m.Corpus).where(m.Corpus.store_id == self.store_id, column == value))
            return None if row is None else corpus_record(row)

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
            return [(number, evaluation_record(e, name)) for number, e, name in rows]

    def corpus_id(self, s: Session, name: str) -> int:
        corpus_id = s.scalar(select(m.Corpus.id).where(m.Corpus.store_id == self.store_id, m.Corpus.name == name))
        if corpus_id is None:
            raise RegistryError(f"no corpus named {name!r} is registered in the store {self.path}")
        return corpus_id
