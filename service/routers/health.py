"""Is the server up, and what has it done: ``GET /healthz`` and ``GET /metrics`` (Prometheus text)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse, PlainTextResponse

from service.deps import Reads, ServiceDep

router = APIRouter(tags=["service"])


@router.get("/healthz", responses={503: {"description": "A thread of the server has stopped; `problems` says which"}})
def health(service: ServiceDep) -> JSONResponse:
    """Up: the version new requests get, jobs waiting, and whether the job worker has loaded Lightning; 503 with
    the `problems` when a thread of the server (the job worker, the version poller, the folder watch) has
    stopped."""
    problems = service.problems()
    return JSONResponse({"status": "failing" if problems else "ok", "problems": problems,
                         "store": service.reader.path.name,
                         "version": service.versions.current_number, "jobs_queued": service.runner.queued,
                         "worker_ready": service.runner.ready.is_set()}, status_code=503 if problems else 200)


@router.get("/metrics", dependencies=[Reads], response_class=PlainTextResponse)
def prometheus(service: ServiceDep) -> PlainTextResponse:
    text = service.metrics.render(current_version=service.versions.current_number, jobs_queued=service.runner.queued)
    return PlainTextResponse(text, media_type="text/plain; version=0.0.4; charset=utf-8")
