"""Is the server up, and what has it done: ``GET /healthz`` and ``GET /metrics`` (Prometheus text)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse

from service.deps import Reads, ServiceDep

router = APIRouter(tags=["service"])


@router.get("/healthz")
def health(service: ServiceDep) -> dict[str, Any]:
    """Up: the version new requests get, jobs waiting, and whether the job worker has loaded Lightning."""
    return {"status": "ok", "version": service.versions.current_number, "jobs_queued": service.runner.queued,
            "worker_ready": service.runner.ready.is_set()}


@router.get("/metrics", dependencies=[Reads], response_class=PlainTextResponse)
def prometheus(service: ServiceDep) -> PlainTextResponse:
    text = service.metrics.render(current_version=service.versions.current_number, jobs_queued=service.runner.queued)
    return PlainTextResponse(text, media_type="text/plain; version=0.0.4; charset=utf-8")
