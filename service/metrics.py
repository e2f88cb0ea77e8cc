"""What ``GET /metrics`` reports, in the Prometheus text exposition format (version 0.0.4).

Requests by method, route and status; request latency as a histogram per
route; tokens scored and generated; ingest jobs by how they ended. Routes are
the app's path templates (``/v1/jobs/{job_id}``), so a client cannot grow the
label set; anything else is ``other``. One object per app, guarded by a lock.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
"""Upper bounds of the latency histogram, in seconds (``+Inf`` is added)."""


@dataclass
class _Histogram:
    counts: list[int] = field(default_factory=lambda: [0] * len(BUCKETS))
    total: int = 0
    seconds: float = 0.0

    def observe(self, seconds: float) -> None:
        for i, bound in enumerate(BUCKETS):
            if seconds <= bound:
                self.counts[i] += 1
        self.total += 1
        self.seconds += seconds


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _labels(**labels: str) -> str:
    return "{" + ",".join(f'{k}="{_escape(v)}"' for k, v in labels.items()) + "}"


class Metrics:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: Counter[tuple[str, str, int]] = Counter()
        self._latency: dict[str, _Histogram] = {}
        self._tokens: Counter[str] = Counter()
        self._jobs: Counter[str] = Counter()

    def request(self, method: str, route: str, status: int, seconds: float) -> None:
        with self._lock:
            self._requests[(method, route, status)] += 1
            self._latency.setdefault(route, _Histogram()).observe(seconds)

    def tokens(self, kind: str, n: int) -> None:
        """``kind``: 'scored' or 'generated'."""
        with self._lock:
            self._tokens[kind] += n

    def job(self, state: str) -> None:
        """A job was accepted ('submitted') or ended ('done', 'failed')."""
        with self._lock:
            self._jobs[state] += 1

    def render(self, *, current_version: int | None, jobs_queued: int) -> str:
        """The exposition text, with the two gauges the caller reads at scrape time."""
        lines = ["# HELP peer_requests_total HTTP requests by method, route and status.",
                 "# TYPE peer_requests_total counter"]
        with self._lock:
            for (method, route, status), n in sorted(self._requests.items()):
                lines.append(f"peer_requests_total{_labels(method=method, route=route, status=str(status))} {n}")
            lines += ["# HELP peer_request_duration_seconds Time to answer a request.",
                      "# TYPE peer_request_duration_seconds histogram"]
            for route, h in sorted(self._latency.items()):
                for bound, n in zip(BUCKETS, h.counts):
                    lines.append(f"peer_request_duration_seconds_bucket{_labels(route=route, le=repr(bound))} {n}")
                lines.append(f"peer_request_duration_seconds_bucket{_labels(route=route, le='+Inf')} {h.total}")
                lines.append(f"peer_request_duration_seconds_sum{_labels(route=route)} {h.seconds:.6f}")
                lines.append(f"peer_request_duration_seconds_count{_labels(route=route)} {h.total}")
            lines += ["# HELP peer_tokens_total Tokens scored and generated.", "# TYPE peer_tokens_total counter"]
            for kind in ("scored", "generated"):
                lines.append(f"peer_tokens_total{_labels(kind=kind)} {self._tokens[kind]}")
            lines += ["# HELP peer_ingest_jobs_total Ingest jobs accepted and ended, by state.",
                      "# TYPE peer_ingest_jobs_total counter"]
            for state in ("submitted", "done", "failed"):
                lines.append(f"peer_ingest_jobs_total{_labels(state=state)} {self._jobs[state]}")
        lines += ["# HELP peer_ingest_jobs_queued Ingest jobs waiting for the worker.",
                  "# TYPE peer_ingest_jobs_queued gauge", f"peer_ingest_jobs_queued {jobs_queued}",
                  "# HELP peer_current_version The version new requests are answered with (0: none yet).",
                  "# TYPE peer_current_version gauge", f"peer_current_version {current_version or 0}"]
        return "\n".join(lines) + "\n"


METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"})


class Timing:
    """ASGI middleware: every request's route, status and time into ``metrics``. A request refused before
    routing (a body too large) is counted under its path if it is one of ``known`` (the app's own), else
    ``other``; a method outside HTTP's own is ``OTHER``: every label comes from a closed set, so no client
    can grow the series without bound."""

    def __init__(self, app, metrics: Metrics, known: set[str]):
        self.app, self.metrics, self.known = app, metrics, known

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started, status = time.perf_counter(), [500]

        async def sending(message):
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = getattr(scope.get("route"), "path", None)
            route = route or (scope["path"] if scope["path"] in self.known else "other")
            method = scope["method"] if scope["method"] in METHODS else "OTHER"
            self.metrics.request(method, route, status[0], time.perf_counter() - started)


__all__ = ["BUCKETS", "Metrics", "Timing"]
