"""Records from registry rows: what the store's reads return, built from SQLAlchemy rows inside a session."""

from __future__ import annotations

from sqlalchemy.orm import Session

from peer_store.db import models as m
from peer_store.db.records import (
    CorpusRecord,
    EvaluationRecord,
    FileRef,
    IngestRecord,
    RouteRef,
    SegmentRef,
    StudentRecord,
    utc,
)


def segment_refs(v: m.Version) -> list[SegmentRef]:
    members = sorted(v.members, key=lambda member: (member.segment.layer, member.position))
    return [
        SegmentRef(
            layer=member.segment.layer,
            n_keys=member.segment.n_keys,
            n_experts=member.segment.n_experts,
            frozen=bool(member.frozen),  # how this version holds the shell, not how its file was first written
            file=member.segment.file,
            sha256=member.segment.sha256,
            bytes=member.segment.bytes,
        )
        for member in members
    ]


def file_ref(row: m.Checkpoint | m.Artifact) -> FileRef:
    return FileRef(file=row.file, sha256=row.sha256, bytes=row.bytes)


def route_ref(row: m.VersionRoute) -> RouteRef:
    return RouteRef(
        corpus=row.corpus,
        learnt_by=row.learnt_by,
        segments={int(layer): int(count) for layer, count in (row.segments or {}).items()},
        profile=None if row.profile is None else file_ref(row.profile),
        deltas=None if row.deltas is None else file_ref(row.deltas),
    )


def student_record(row: m.Student) -> StudentRecord:
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
        created_at=utc(row.created_at),
    )


def corpus_record(c: m.Corpus) -> CorpusRecord:
    return CorpusRecord(
        name=c.name, source=c.source, sha256=c.sha256, bytes=c.bytes, tokens=c.tokens, documents=c.documents
    )


def ingest_record(s: Session, i: m.Ingest) -> IngestRecord:
    return IngestRecord(
        corpus=s.get(m.Corpus, i.corpus_id).name,
        steps=i.steps,
        tokens=i.tokens,
        wall_seconds=i.wall_seconds,
        train_loss=i.train_loss,
        heldout_loss=i.heldout_loss,
        settings=dict(i.settings or {}),
    )


def evaluation_record(e: m.Evaluation, corpus: str) -> EvaluationRecord:
    return EvaluationRecord(
        corpus=corpus, loss=e.loss, tokens=e.tokens, split=e.split, bits_per_byte=e.bits_per_byte
    )
