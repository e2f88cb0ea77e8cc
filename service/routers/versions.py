"""The store's versions and what each forgot: the answers of ``peer versions``, ``peer show`` and
``peer evaluate forgetting``, as JSON."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from continual.forgetting import evaluate_forgetting, parse_versions
from continual.heldout import fill_evaluations
from service.deps import Reads, ServiceDep

router = APIRouter(tags=["versions"], dependencies=[Reads])


@router.get("/v1/versions")
def versions(service: ServiceDep) -> list[dict[str, Any]]:
    """Every version, oldest first, the current one marked, with its route decision (as `peer versions
    --json`)."""
    return service.reader.listing()


@router.get("/v1/versions/{version}")
def show(service: ServiceDep, version: str) -> dict[str, Any]:
    """One version (a number or 'current'): segments, routes, checkpoint, ingest, evaluations (as `peer show
    --json`)."""
    return service.reader.detail(version).to_dict()


@router.get("/v1/forgetting")
def forgetting(
    service: ServiceDep,
    versions: str | None = Query(None, description="Versions to compare, e.g. 1,2,3 (default: every ready version)."),
    recorded: bool = Query(False, description="Report only recorded cells; do not evaluate the ones ingests left "
                                              "for later (null)."),
) -> dict[str, Any]:
    """The forgetting report (as `peer evaluate forgetting --format json`). The first report that needs a
    version on an earlier corpus evaluates it and records it (seconds per cell), unless `recorded`; a store
    the server cannot write gets them evaluated and not recorded."""
    chosen = parse_versions(None if versions is None else [versions])
    evaluated = [] if recorded else fill_evaluations(service.reader, chosen, say=service.say)
    return evaluate_forgetting(service.reader, chosen, evaluated=evaluated).to_dict()
