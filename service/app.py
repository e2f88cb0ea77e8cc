"""The HTTP API over one store: a FastAPI app and the :class:`Service` behind it.

    service = Service("my-store", options=ServeOptions(token="..."))
    service.start()                       # fail what a killed server left, load the current version
    app = create_app(service)             # uvicorn runs it; its lifespan starts and stops the threads

Reads (versions, score, generate, forgetting, jobs, metrics) answer from the
registry and from :class:`service.models.ServedVersions`; the one write,
``POST /v1/ingest``, spools the body into the store, checks the corpus as
``peer ingest`` would, and queues a job for :class:`service.jobs.JobRunner`.
Every answer computed by a model names the version that computed it (its
``version`` field and the ``X-Peer-Version`` header).
"""

import contextlib
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from fastapi import Depends, FastAPI, Query, Request, Response
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from continual.config import ContinualConfig
from continual.corpora import check_corpus, pick_name
from continual.forgetting import evaluate_forgetting, parse_versions
from continual.heldout import fill_evaluations
from continual.inference import sample, score_documents, score_total
from peer_store.db import Store
from peer_store.db.jobs import JobRecord, active_job, get_job, jobs, new_job_id
from peer_store.db.layout import store_file
from peer_store.errors import ConfigError
from service.http import BodyLimit, Conflict, bearer, install_error_handlers
from service.jobs import JobRunner
from service.metrics import Metrics
from service.models import ServedVersions
from service.spool import corpus_suffix, spool, upload_file
from service.watch import Watcher
from trainer.data import ReadLimits

CORPUS_NAME = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"


@dataclass(frozen=True)
class ServeOptions:
    token: str | None = None
    """Bearer token that write endpoints (and reads, unless ``open_reads``) require; None: no token."""
    open_reads: bool = True
    max_body: int = 1 << 20
    """Bytes of a JSON request body (score, generate)."""
    max_upload: int = 64 << 20
    """Bytes of an ingest request body."""
    max_steps: int = 100_000
    max_tokens: int = 2048
    """Tokens one generate request may ask for."""
    poll_s: float = 1.0
    """How often the registry is asked whether a newer version is ready."""
    watch: Path | None = None
    watch_interval: float = 2.0
    shutdown_s: float = 30.0
    """How long a running job gets to stop at shutdown before it is marked failed anyway."""
    limits: ReadLimits = ReadLimits()
    """Bytes a corpus (an upload once decompressed, a watched entry) may hold; whether the watch follows links."""

    def __post_init__(self) -> None:
        for name in ("max_body", "max_upload", "max_steps", "max_tokens"):
            if getattr(self, name) < 1:
                raise ConfigError(f"--{name.replace('_', '-')} must be at least 1, got {getattr(self, name)}")
        if not self.poll_s > 0:
            raise ConfigError(f"the poll interval must be above 0 seconds, got {self.poll_s}")


class Service:
    """What one server holds for one store: a reader, the served versions, the job runner and its own store
    object (its writer lock), metrics, and the folder watcher if asked for."""

    def __init__(self, path: Path | str, *, db_url: str | None = None, options: ServeOptions = ServeOptions(),
                 say: Callable[[str], None] = lambda line: None):
        self.options, self.say = options, say
        self.reader = Store.open(path, db_url=db_url)
        self.config = ContinualConfig.of_store(self.reader.config)
        self.versions = ServedVersions(self.reader, say=say)
        self.metrics = Metrics()
        self.runner = JobRunner(Store.open(path, db_url=db_url), on_change=self._job_changed, say=say,
                                limits=options.limits)
        try:
            self.watcher = None if options.watch is None else Watcher(options.watch, self.runner,
                                                                      interval=options.watch_interval, say=say)
        except BaseException:
            self.runner.store.close()
            self.reader.close()
            raise
        self._accepting = threading.Lock()  # one upload checked against the registry and queued at a time
        self._newer = threading.Event()  # a job made a version: look now, not at the next poll
        self._stop = threading.Event()
        self._stopped = False
        self._threads = [threading.Thread(target=self._poll, name="peer-versions", daemon=True)]
        if self.watcher is not None:
            self._threads.append(threading.Thread(target=self.watcher.run, args=(self._stop,), name="peer-watch",
                                                  daemon=True))

    def start(self) -> None:
        """Before serving: fail the jobs a killed server left, and load the current version."""
        self.runner.recover()
        self.versions.refresh()

    def run_threads(self) -> None:
        self.runner.start()
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        """Stop the watcher and the poller, let a running job fail at its next step, close the stores."""
        if self._stopped:
            return
        self._stopped = True
        self._stop.set()
        self._newer.set()
        self.runner.stop(self.options.shutdown_s)
        for thread in self._threads:
            if thread.is_alive():
                thread.join(self.options.shutdown_s)
        self.runner.store.close()
        self.reader.close()

    def _job_changed(self, job: JobRecord) -> None:
        self.metrics.job("submitted" if job.state == "queued" else job.state)
        if job.state == "done":
            self._newer.set()

    def _poll(self) -> None:
        while not self._stop.is_set():
            self._newer.wait(self.options.poll_s)
            self._newer.clear()
            if self._stop.is_set():
                return
            try:
                self.versions.refresh()
            except Exception as error:  # the registry or a file failed: keep serving the version we have
                self.say(f"could not load the newest version: {error}")

    def accept(self, job_id: str, name: str, file: str, size: int, steps: int | None) -> JobRecord:
        """Queue a job for the spooled upload ``file`` after the checks ``peer ingest`` makes (empty, binary,
        too small, already ingested, name taken) and one more: the same corpus is not queued or running."""
        check = check_corpus(store_file(self.reader.path, file), self.config, limits=self.options.limits)
        with self._accepting:
            try:
                pick_name(self.reader, check, name, force=False)
            except ConfigError as taken:
                raise Conflict(str(taken)) from None
            for other in (active_job(self.reader, fingerprint=check.sha256), active_job(self.reader, corpus=name)):
                if other is not None:
                    raise Conflict(f"job {other.id} is already {other.state} for corpus {other.corpus!r} "
                                   "(the same content or name); wait for it (GET /v1/jobs/{id})")
            return self.runner.submit(corpus=name, source="upload", upload=file, fingerprint=check.sha256,
                                      bytes=size, steps=steps, job_id=job_id)


class _Timing:
    """ASGI middleware: every request's route, status and time into the metrics."""

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
            self.metrics.request(scope["method"], route, status[0], time.perf_counter() - started)


def create_app(service: Service) -> FastAPI:
    options, metrics = service.options, service.metrics

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        service.run_threads()
        try:
            yield
        finally:
            await run_in_threadpool(service.stop)

    app = FastAPI(
        title="peer-store", lifespan=lifespan,
        description="A continual-learning service over one store: its versions, routed scoring and generation, "
                    "the forgetting report, and ingest jobs that grow the store.",
    )
    install_error_handlers(app)
    app.add_middleware(BodyLimit, limit_for=lambda path: options.max_upload if path == "/v1/ingest" else options.max_body)
    paths: set[str] = set()  # the app's own paths, filled in below: a request refused before routing keeps its path
    app.add_middleware(_Timing, metrics=metrics, known=paths)
    reads = [Depends(bearer(None if options.open_reads else options.token))]
    writes = [Depends(bearer(options.token))]

    class ScoreRequest(BaseModel):
        model_config = ConfigDict(extra="forbid")
        texts: list[str] = Field(min_length=1, description="The texts to score, each one document.")
        version: int | None = Field(None, ge=1, description="The version to score with (default: the current one).")

    class GenerateRequest(BaseModel):
        model_config = ConfigDict(extra="forbid")
        prompt: str
        max_tokens: int = Field(200, ge=1, le=options.max_tokens)
        temperature: float = Field(0.8, gt=0, allow_inf_nan=False)
        top_k: int = Field(40, ge=0, description="Sample among the k likeliest tokens (0: all).")
        seed: int = 0
        version: int | None = Field(None, ge=1)

    @app.get("/healthz", tags=["service"])
    def health() -> dict[str, Any]:
        """Up: the version new requests get, jobs waiting, and whether the job worker has loaded Lightning."""
        return {"status": "ok", "version": service.versions.current_number, "jobs_queued": service.runner.queued,
                "worker_ready": service.runner.ready.is_set()}

    @app.get("/metrics", tags=["service"], dependencies=reads, response_class=PlainTextResponse)
    def prometheus() -> PlainTextResponse:
        text = metrics.render(current_version=service.versions.current_number, jobs_queued=service.runner.queued)
        return PlainTextResponse(text, media_type="text/plain; version=0.0.4; charset=utf-8")

    @app.get("/v1/versions", tags=["versions"], dependencies=reads)
    def versions() -> list[dict[str, Any]]:
        """Every version, oldest first, the current one marked (as `peer versions --json`)."""
        return service.reader.listing()

    @app.get("/v1/versions/{version}", tags=["versions"], dependencies=reads)
    def show(version: str) -> dict[str, Any]:
        """One version (a number or 'current'): segments, routes, checkpoint, ingest, evaluations (as `peer show
        --json`)."""
        return service.reader.detail(version).to_dict()

    @app.get("/v1/forgetting", tags=["versions"], dependencies=reads)
    def forgetting(
        versions: str | None = Query(None, description="Versions to compare, e.g. 1,2,3 (default: every ready "
                                                       "version)."),
        recorded: bool = Query(False, description="Report only recorded cells; do not evaluate the ones ingests "
                                                  "left for later (null)."),
    ) -> dict[str, Any]:
        """The forgetting report (as `peer evaluate forgetting --format json`). The first report that needs a
        version on an earlier corpus evaluates it and records it (seconds per cell), unless `recorded`; a store
        the server cannot write gets them evaluated and not recorded."""
        chosen = parse_versions(None if versions is None else [versions])
        evaluated = [] if recorded else fill_evaluations(service.reader, chosen, say=service.say)
        return evaluate_forgetting(service.reader, chosen, evaluated=evaluated).to_dict()

    @app.post("/v1/score", tags=["inference"], dependencies=reads)
    def score(body: ScoreRequest, response: Response) -> dict[str, Any]:
        """Per text: loss (nats/token), bits per byte, tokens, and the share of its tokens each version's route
        served; then the whole (as `peer score --json`)."""
        served = service.versions.get(body.version)  # once: the whole answer comes from this version
        scores = score_documents(served.model, served.tokenizer, [t.encode("utf-8", "surrogatepass") for t in body.texts],
                                 seq_len=service.config.seq_len, batch_size=service.config.batch_size)
        metrics.tokens("scored", sum(s.tokens for s in scores))
        response.headers["X-Peer-Version"] = str(served.number)
        return {"version": served.number, "documents": [s.to_dict() for s in scores], "total": score_total(scores)}

    @app.post("/v1/generate", tags=["inference"], dependencies=reads)
    def generate(body: GenerateRequest, response: Response) -> dict[str, Any]:
        """Continue a prompt, each token routed as the store routes it (as `peer generate --json`)."""
        served = service.versions.get(body.version)
        text = sample(served.model, served.tokenizer, body.prompt, tokens=body.max_tokens,
                      temperature=body.temperature, top_k=body.top_k or None, seed=body.seed)
        metrics.tokens("generated", len(served.tokenizer.encode(text.encode("utf-8"))))
        response.headers["X-Peer-Version"] = str(served.number)
        return {"version": served.number, "prompt": body.prompt, "text": text}

    @app.post("/v1/ingest", tags=["jobs"], dependencies=writes, status_code=202)
    async def ingest(
        request: Request,
        name: str = Query(max_length=200, pattern=CORPUS_NAME, description="The corpus's name in the registry."),
        steps: int | None = Query(None, ge=1, le=options.max_steps, description="Training steps (default: the "
                                                                                  "store's)."),
        format: Literal["text", "jsonl"] | None = Query(None, description="Records of a gzip or octet-stream body."),
    ) -> dict[str, str]:
        """Learn the request body as a new version, in a job. The body is the corpus: text/plain,
        application/jsonl (or x-ndjson), application/gzip, or multipart/form-data with a part named 'file'.
        202 with the job's id once the body is spooled into the store and checked; poll GET /v1/jobs/{id}."""
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

    @app.get("/v1/jobs/{job_id}", tags=["jobs"], dependencies=reads)
    def job(job_id: str) -> dict[str, Any]:
        """A job: queued, running (step, total_steps, loss), done (version) or failed (error)."""
        return get_job(service.reader, job_id).to_dict()

    @app.get("/v1/jobs", tags=["jobs"], dependencies=reads)
    def job_list(limit: int = Query(50, ge=1, le=1000)) -> list[dict[str, Any]]:
        """The newest jobs first."""
        return [j.to_dict() for j in jobs(service.reader, limit=limit)]

    paths.update(route.path for route in app.routes)
    return app


async def _chunks(part: UploadFile, size: int = 1 << 20) -> AsyncIterator[bytes]:
    while chunk := await part.read(size):
        yield chunk


__all__ = ["CORPUS_NAME", "Service", "ServeOptions", "create_app"]
