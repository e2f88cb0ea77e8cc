"""What one server holds for one store: its options and the :class:`Service` behind the routers.

    service = Service("my-store", options=ServeOptions(token="..."))
    service.start()                       # fail what a killed server left, load the current version
    app = create_app(service)             # service.app: the routers; its lifespan starts and stops the threads

Reads answer from the registry (``service.reader``) and from
:class:`service.models.ServedVersions`; the one write, an ingest, is checked as
``peer ingest`` would (:meth:`Service.accept`) and queued for
:class:`service.jobs.JobRunner`.
"""

import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from continual.config import ContinualConfig
from continual.corpora import check_corpus, pick_name
from peer_store.db import Store
from peer_store.db.jobs import JobRecord, active_job
from peer_store.db.layout import store_file
from peer_store.errors import ConfigError
from service.http import Conflict
from service.jobs import JobRunner
from service.metrics import Metrics
from service.models import ServedVersions
from service.watch import Watcher
from trainer.data import ReadLimits

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
    max_score_tokens: int = 65536
    """Tokens one score request may hold (about 8 s of one CPU core for the default model)."""
    max_request_s: float = 60.0
    """Seconds a score or generate request may compute before it is stopped (503)."""
    poll_s: float = 1.0
    """How often the registry is asked whether a newer version is ready."""
    watch: Path | None = None
    watch_interval: float = 2.0
    shutdown_s: float = 30.0
    """How long a running job gets to stop at shutdown before it is marked failed anyway."""
    limits: ReadLimits = ReadLimits()
    """Bytes a corpus (an upload once decompressed, a watched entry) may hold; whether the watch follows links."""

    def __post_init__(self) -> None:
        for name in ("max_body", "max_upload", "max_steps", "max_tokens", "max_score_tokens"):
            if getattr(self, name) < 1:
                raise ConfigError(f"--{name.replace('_', '-')} must be at least 1, got {getattr(self, name)}")
        if not self.open_reads and self.token is None:
            raise ConfigError("reads that need a token need a token: pass --token-file with --auth-reads")
        if not self.max_request_s > 0:
            raise ConfigError(f"--max-request-seconds must be above 0, got {self.max_request_s}")
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
        self.closing = threading.Event()
        """Set when the server begins to shut down: streams that follow a job end then, so that the shutdown
        does not wait for them until its grace period runs out."""
        self._stopped = False
        self.failed: dict[str, str] = {}  # thread name -> why it stopped (the watcher's: until it restarts)
        self._threads = [threading.Thread(target=self._poll, name="peer-versions", daemon=True)]
        if self.watcher is not None:
            self._threads.append(threading.Thread(target=self._watch, name="peer-watch", daemon=True))

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

    def problems(self) -> list[str]:
        """Why the server cannot do all its work: each thread of it that has stopped while it serves."""
        if self._stop.is_set():
            return []
        found = [] if self.runner.died is None else [f"the job worker stopped: {self.runner.died}"]
        found += [f"the {name} thread stopped: {why}" for name, why in self.failed.items()]
        found += [f"the {t.name} thread is not running" for t in self._threads
                  if t.ident is not None and not t.is_alive() and t.name not in self.failed]
        return found

    def _watch(self) -> None:
        """The watcher, restarted one interval after it fails (logged, and reported by :meth:`problems` until
        then): a file it cannot handle must not end the watch for every later file."""
        assert self.watcher is not None
        while not self._stop.is_set():
            try:
                self.watcher.run(self._stop)
            except Exception as error:
                self.failed["peer-watch"] = f"{type(error).__name__}: {error}".splitlines()[0]
                self.say(f"the folder watch failed, restarting it in {self.options.watch_interval:g} s: "
                         f"{traceback.format_exc()}")
                self._stop.wait(self.options.watch_interval)
                self.failed.pop("peer-watch", None)

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


__all__ = ["Service", "ServeOptions"]
