"""Ingest jobs: ``POST /v1/ingest`` spools a corpus into the store and queues a job that learns it as a new
version; ``GET /v1/jobs`` and ``GET /v1/jobs/{id}`` read them, ``GET /v1/jobs/{id}/events`` follows one as
server-sent events (the dashboard's live progress)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from peer_store.db.jobs import get_job, jobs, new_job_id
from peer_store.db.layout import store_file
from peer_store.errors import ConfigError
from service.core import Service
from service.deps import Reads, ServiceDep, Writes, at_most
from service.http import sse
from service.spool import corpus_suffix, spool, upload_file

CORPUS_NAME = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"

router = APIRouter(tags=["jobs"])


@router.post("/v1/ingest", dependencies=[Writes], status_code=202)
async def ingest(
    service: ServiceDep,
    request: Request,
    name: str = Query(max_length=200, pattern=CORPUS_NAME, description="The corpus's name in the registry."),
    steps: int | None = Query(None, ge=1, description="Training steps (default: the store's; the server's "
                                                      "--max-steps bounds it)."),
    format: Literal["text", "jsonl"] | None = Query(None, description="Records of a gzip or octet-stream body."),
) -> dict[str, str]:
    """Learn the request body as a new version, in a job. The body is the corpus: text/plain,
    application/jsonl (or x-ndjson), application/gzip, or multipart/form-data with a part named 'file'.
    202 with the job's id once the body is spooled into the store and checked; poll GET /v1/jobs/{id}."""
    at_most(steps, service.options.max_steps, ("query", "steps"))
    job_id = new_job_id()
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        async with request.form(max_files=1, max_fields=8) as form:
            part = form.get("file")
            if not isinstance(part, UploadFile):
                raise ConfigError("a multipart upload sends the corpus as its form part named 'file'")
            file = upload_file(job_id, corpus_suffix(part.content_type, format=format, filename=part.filename))
            size = await spool(service.reader.path, file, _chunks(part))
    else:
        file = upload_file(job_id, corpus_suffix(request.headers.get("content-type"), format=format))
        size = await spool(service.reader.path, file, request.stream())
    try:
        job = await run_in_threadpool(service.accept, job_id, name, file, size, steps)
    except BaseException:
        store_file(service.reader.path, file).unlink(missing_ok=True)
        raise
    return {"job": job.id, "state": job.state}


@router.get("/v1/jobs/{job_id}", dependencies=[Reads])
def job(service: ServiceDep, job_id: str) -> dict[str, Any]:
    """A job: queued, running (step, total_steps, loss), done (version) or failed (error)."""
    return get_job(service.reader, job_id).to_dict()


@router.get("/v1/jobs", dependencies=[Reads])
def job_list(service: ServiceDep, limit: int = Query(50, ge=1, le=1000)) -> list[dict[str, Any]]:
    """The newest jobs first."""
    return [j.to_dict() for j in jobs(service.reader, limit=limit)]


@router.get("/v1/jobs/{job_id}/events", dependencies=[Reads])
def job_events(service: ServiceDep, job_id: str,
               every: float = Query(0.25, ge=0.05, le=10, description="Seconds between looks.")) -> StreamingResponse:
    """Follow a job as server-sent events: the job (as GET /v1/jobs/{id}) each time it changes (state, step,
    loss), until it is done or failed, or the server shuts down; then [DONE]."""
    first = get_job(service.reader, job_id).to_dict()  # an unknown job is a 404, not an empty stream
    return StreamingResponse(_follow(service, job_id, first, every), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache"})


async def _follow(service: Service, job_id: str, job: dict[str, Any], every: float) -> AsyncIterator[bytes]:
    yield sse(job)
    while job["state"] in ("queued", "running") and not service.closing.is_set():
        await asyncio.sleep(every)
        now = (await run_in_threadpool(get_job, service.reader, job_id)).to_dict()
        if now != job:
            job = now
            yield sse(job)
    yield sse("[DONE]")


async def _chunks(part: UploadFile, size: int = 1 << 20) -> AsyncIterator[bytes]:
    while chunk := await part.read(size):
        yield chunk
