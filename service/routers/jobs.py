"""Ingest jobs: ``POST /v1/ingest`` spools a corpus into the store and queues a job that learns it as a new
version; ``GET /v1/jobs`` and ``GET /v1/jobs/{id}`` read them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from peer_store.db.jobs import get_job, jobs, new_job_id
from peer_store.db.layout import store_file
from peer_store.errors import ConfigError
from service.deps import Reads, ServiceDep, Writes, at_most
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


async def _chunks(part: UploadFile, size: int = 1 << 20) -> AsyncIterator[bytes]:
    while chunk := await part.read(size):
        yield chunk
