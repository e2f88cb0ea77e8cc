"""Ingest jobs in the registry: what ``peer serve`` and ``peer watch`` accepted, and how each one ended.

A job is born ``queued`` (by the process that accepted it, named by host and
pid), becomes ``running`` only under the store's writer lock, and ends
``done`` (with the version it made) or ``failed`` (with one line saying why).
A process that dies leaves its jobs behind; :func:`recover_jobs` fails them:
under the writer lock every ``running`` job (nobody else can be running one),
and any time the ``queued`` jobs of a process of this host that is gone.

An upload is spooled into ``STORE/uploads/`` before its job is queued and is
deleted when the job ends; ``fsck`` counts the uploads of queued and running
jobs as the store's own, ``gc`` removes any other file there.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from peer_store.db import models as m
from peer_store.db.engine import session_scope
from peer_store.db.errors import JobNotFound, VersionStateError
from peer_store.db.layout import store_file
from peer_store.db.records import Record, utc
from peer_store.db.store import Store

ACTIVE = (m.JobState.QUEUED.value, m.JobState.RUNNING.value)


@dataclass(frozen=True)
class JobRecord(Record):
    """A job as ``GET /v1/jobs/{id}`` shows it."""

    id: str
    state: str
    corpus: str
    source: str
    bytes: int
    steps: int | None
    step: int | None
    total_steps: int | None
    loss: float | None
    version: int | None
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    fingerprint: str | None = None
    upload: str | None = None

    @property
    def ended(self) -> bool:
        return self.state not in ACTIVE


def _record(row: m.Job) -> JobRecord:
    return JobRecord(
        id=row.id, state=row.state, corpus=row.corpus, source=row.source, bytes=row.bytes, steps=row.steps,
        step=row.step, total_steps=row.total_steps, loss=row.loss, version=row.version, error=row.error,
        created_at=utc(row.created_at), started_at=utc(row.started_at), finished_at=utc(row.finished_at),
        fingerprint=row.fingerprint, upload=row.upload,
    )


def _row(s, store: Store, job_id: str) -> m.Job:
    row = s.scalar(select(m.Job).where(m.Job.store_id == store.store_id, m.Job.id == job_id))
    if row is None:
        raise JobNotFound(f"the store {store.path} has no job {job_id!r}")
    return row


def new_job_id() -> str:
    return uuid.uuid4().hex


def submit_job(
    store: Store, *, corpus: str, source: str, bytes: int, steps: int | None = None, upload: str | None = None,
    fingerprint: str | None = None, job_id: str | None = None,
) -> JobRecord:
    """Record a queued job of this process (the upload, if any, is already spooled under ``upload``)."""
    with session_scope(store.engine) as s:
        row = m.Job(
            id=job_id or new_job_id(), store_id=store.store_id, state=m.JobState.QUEUED.value, corpus=corpus,
            source=source, upload=upload, fingerprint=fingerprint, bytes=bytes, steps=steps,
            host=socket.gethostname(), pid=os.getpid(), created_at=m.utcnow(),
        )
        s.add(row)
        s.flush()
        return _record(row)


def get_job(store: Store, job_id: str) -> JobRecord:
    with session_scope(store.engine) as s:
        return _record(_row(s, store, job_id))


def jobs(store: Store, *, limit: int = 100) -> list[JobRecord]:
    """The newest jobs first."""
    with session_scope(store.engine) as s:
        rows = s.scalars(
            select(m.Job).where(m.Job.store_id == store.store_id).order_by(m.Job.created_at.desc()).limit(limit)
        ).all()
        return [_record(r) for r in rows]


def active_job(store: Store, *, fingerprint: str | None = None, corpus: str | None = None) -> JobRecord | None:
    """A queued or running job for the same corpus content or name, if there is one."""
    assert (fingerprint is None) != (corpus is None), "give exactly one of fingerprint, corpus"
    column, value = (m.Job.fingerprint, fingerprint) if fingerprint is not None else (m.Job.corpus, corpus)
    with session_scope(store.engine) as s:
        row = s.scalar(select(m.Job).where(m.Job.store_id == store.store_id, m.Job.state.in_(ACTIVE), column == value)
                       .limit(1))
        return None if row is None else _record(row)


def active_uploads(store: Store) -> set[str]:
    """Upload files of queued and running jobs: the store's own, not leftovers."""
    with session_scope(store.engine) as s:
        return set(s.scalars(select(m.Job.upload).where(
            m.Job.store_id == store.store_id, m.Job.state.in_(ACTIVE), m.Job.upload.is_not(None))))


def start_job(store: Store, job_id: str) -> JobRecord:
    """queued -> running; needs the writer lock (a running job is one whose process holds it)."""
    store.require_writer()
    with session_scope(store.engine) as s:
        row = _row(s, store, job_id)
        if row.state != m.JobState.QUEUED.value:
            raise VersionStateError(f"job {job_id} is {row.state}, not queued; submit it again")
        row.state, row.started_at = m.JobState.RUNNING.value, m.utcnow()
        return _record(row)


def job_progress(store: Store, job_id: str, *, step: int, total_steps: int, loss: float) -> None:
    with session_scope(store.engine) as s:
        row = _row(s, store, job_id)
        row.step, row.total_steps, row.loss = step, total_steps, loss


def end_job(store: Store, job_id: str, *, version: int | None = None, error: str | None = None) -> JobRecord:
    """``done`` with the version it made, or ``failed`` with one line of ``error``; its upload is deleted."""
    assert (version is None) != (error is None), "a job ends with a version or an error"
    with session_scope(store.engine) as s:
        row = _row(s, store, job_id)
        row.state = m.JobState.DONE.value if error is None else m.JobState.FAILED.value
        row.version = version
        row.error = None if error is None else (" ".join(error.split()) or "failed")
        row.finished_at = m.utcnow()
        ended = _record(row)
    if ended.upload is not None:
        store_file(store.path, ended.upload).unlink(missing_ok=True)
    return ended


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def recover_jobs(store: Store, *, alive: Callable[[int], bool] = _pid_alive) -> list[JobRecord]:
    """Fail the jobs a dead process left: every ``running`` one when this store object holds the writer lock,
    and the ``queued`` ones of processes of this host that are gone. Returns them, failed."""
    here, me = socket.gethostname(), os.getpid()
    with session_scope(store.engine) as s:
        rows = s.scalars(select(m.Job).where(m.Job.store_id == store.store_id, m.Job.state.in_(ACTIVE))).all()
        stale = [
            r.id for r in rows
            if (r.state == m.JobState.RUNNING.value and store.writing)
            or (r.state == m.JobState.QUEUED.value and r.host == here and r.pid != me and not alive(r.pid))
        ]
    return [
        end_job(store, job_id, error="interrupted: the process running it stopped before it finished; "
                                     "the previous version stays current, submit it again")
        for job_id in stale
    ]


__all__ = [
    "ACTIVE", "JobRecord", "active_job", "active_uploads", "end_job", "get_job", "job_progress", "jobs",
    "new_job_id", "recover_jobs", "start_job", "submit_job",
]
