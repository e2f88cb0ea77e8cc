"""Ingest jobs, one at a time, in a worker thread, each under the store's writer lock.

    runner = JobRunner(Store.open(path), on_change=lambda job: ...)   # called as a job is queued and as it ends
    runner.recover()               # fail what a killed process left
    runner.start()
    job = runner.submit(corpus="plays", source="upload", path=spooled, upload="uploads/<id>.txt", bytes=n)
    runner.wait(job.id)            # the job as it ended: done with its version, or failed with a reason
    runner.stop(timeout=30)        # a running job stops at its next step; queued ones fail

The runner owns a :class:`Store` object of its own, so its writer lock is not
the lock of the store that serves reads. A job waits while another process
(``peer ingest``, another server) holds the lock, then runs
:func:`continual.ingest.ingest`, reporting step and loss to the registry as it
trains. A shutdown raises :class:`Shutdown` from the ingest's progress hooks:
the version being written is marked failed and the previous one stays current,
as with any failed ingest.
"""

from __future__ import annotations

import contextlib
import importlib
import queue
import threading
import time
import traceback
from collections.abc import Callable

from peer_store.db import Store, StoreLocked
from peer_store.db.jobs import JobRecord, end_job, get_job, job_progress, recover_jobs, start_job, submit_job
from peer_store.db.layout import store_file
from peer_store.errors import PeerError
from trainer.data.reading import ReadLimits

SHUTDOWN = "the service stopped during the job; the previous version stays current, submit it again"
NOT_STARTED = "the service stopped before the job started; submit it again"


class Shutdown(Exception):
    """The service is stopping; raised inside a running ingest so that it fails like any other."""


class JobRunner:
    """Runs the jobs it is given in order in one worker thread; see the module docstring."""

    def __init__(
        self,
        store: Store,
        *,
        on_change: Callable[[JobRecord], None] = lambda job: None,
        say: Callable[[str], None] = lambda line: None,
        lock_wait_s: float = 1.0,
        progress_every_s: float = 0.5,
        limits: ReadLimits = ReadLimits(),
    ):
        self.store, self.limits = store, limits
        self.on_change, self.say = on_change, say
        self.lock_wait_s, self.progress_every_s = lock_wait_s, progress_every_s
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._ended: dict[str, threading.Event] = {}
        self._stopping = threading.Event()
        self._running: str | None = None
        self.ready = threading.Event()  # set once the worker has loaded the training stack
        self.died: str | None = None  # why the worker thread ended, if it did before a stop
        self._thread = threading.Thread(target=self._work, name="peer-jobs", daemon=True)

    @property
    def queued(self) -> int:
        return self._queue.qsize()

    def recover(self) -> list[JobRecord]:
        """Fail the jobs a killed process left (see :func:`peer_store.db.jobs.recover_jobs`); with the lock free,
        also every running one and the versions it was writing."""
        try:
            with self.store.lock(purpose="peer: recovering jobs"):  # marks interrupted versions failed too
                failed = recover_jobs(self.store)
        except StoreLocked:
            failed = recover_jobs(self.store)
        for job in failed:
            self.say(f"job {job.id} ({job.corpus}) failed: {job.error}")
        return failed

    def start(self) -> None:
        self._thread.start()

    def submit(
        self, *, corpus: str, source: str, bytes: int, steps: int | None = None, upload: str | None = None,
        fingerprint: str | None = None, job_id: str | None = None,
    ) -> JobRecord:
        """Queue an ingest of ``upload`` (a spooled file of the store) or else of the path ``source``."""
        job = submit_job(self.store, corpus=corpus, source=source, bytes=bytes, steps=steps, upload=upload,
                         fingerprint=fingerprint, job_id=job_id)
        self._ended[job.id] = threading.Event()
        self._queue.put(job.id)
        self.on_change(job)
        return job

    def wait(self, job_id: str, timeout: float | None = None) -> JobRecord:
        """The job once it has ended (or as it is when ``timeout`` runs out)."""
        self._ended[job_id].wait(timeout)
        return get_job(self.store, job_id)

    def stop(self, timeout: float) -> None:
        """Stop taking jobs: the running one fails at its next step (or is marked failed here if it has not
        stopped within ``timeout`` seconds), queued ones fail without starting."""
        self._stopping.set()
        self._queue.put(None)
        if self._running is not None:  # an idle worker is not waited for (it may still be loading Lightning)
            self._thread.join(timeout)
        if (running := self._running) is not None and self._thread.is_alive():
            self._end(running, error=SHUTDOWN)
        while True:
            try:
                job_id = self._queue.get_nowait()
            except queue.Empty:
                break
            if job_id is not None:
                self._end(job_id, error=NOT_STARTED)

    # -- the worker thread --------------------------------------------------------------------------
    def _work(self) -> None:
        """The worker; should it die (a bug, the registry gone while ending a job), :attr:`died` says why and
        the log has its traceback, so the server's health check can say it takes no more jobs."""
        try:
            self._take_jobs()
        except BaseException as error:
            self.died = f"{type(error).__name__}: {error}".splitlines()[0]
            self.say(f"the job worker stopped: {traceback.format_exc()}")

    def _take_jobs(self) -> None:
        importlib.import_module("continual.ingest")  # the training stack (Lightning) loads now, not in a job
        self.ready.set()

        while (job_id := self._queue.get()) is not None:
            if self._stopping.is_set():
                self._end(job_id, error=NOT_STARTED)
                continue
            self._running = job_id
            try:
                self._run(job_id)
            except PeerError as error:  # the registry failed: the next start of a runner recovers the job
                self.say(f"job {job_id}: {error}")
            finally:
                self._running = None

    def _run(self, job_id: str) -> None:
        with contextlib.ExitStack() as held:
            if not self._take_lock(held, job_id):
                self._end(job_id, error=NOT_STARTED)
                return
            recover_jobs(self.store)  # under the lock, a job still marked running is nobody's
            job = start_job(self.store, job_id)
            self.say(f"job {job_id}: ingesting {job.corpus} ({job.bytes:,} bytes)")
            try:
                from continual.ingest import ingest

                source = str(store_file(self.store.path, job.upload)) if job.upload is not None else job.source
                say, on_step = self._hooks(job_id)
                result = ingest(self.store, source, name=job.corpus, steps=job.steps, limits=self.limits, say=say,
                                on_step=on_step)
            except Shutdown:
                self._end(job_id, error=SHUTDOWN)
            except PeerError as error:
                self._end(job_id, error=str(error))
            except Exception as error:  # a bug, not bad input: the job fails, the server keeps serving
                self.say(f"job {job_id}: {traceback.format_exc()}")
                self._end(job_id, error=f"{type(error).__name__}: {error}".splitlines()[0])
            else:
                self._end(job_id, version=result.version.number)

    def _take_lock(self, held: contextlib.ExitStack, job_id: str) -> bool:
        """Hold the writer lock, waiting while another process holds it; False if the runner stops first."""
        waiting = False
        while True:
            try:
                held.enter_context(self.store.lock(purpose=f"peer job {job_id}"))
                return True
            except StoreLocked as busy:
                if not waiting:
                    self.say(f"job {job_id}: waiting, {busy}")
                    waiting = True
            if self._stopping.wait(self.lock_wait_s):
                return False

    def _hooks(self, job_id: str) -> tuple[Callable[[str], None], Callable[[int, int, float], None]]:
        """The ingest's ``say`` and ``on_step``: both log or record progress, and stop the ingest on shutdown."""
        last = [0.0]

        def say(line: str) -> None:
            self.say(f"job {job_id}: {line.strip()}")
            if self._stopping.is_set():
                raise Shutdown(SHUTDOWN)

        def on_step(step: int, steps: int, loss: float) -> None:
            now = time.monotonic()
            if step in (1, steps) or now - last[0] >= self.progress_every_s:
                job_progress(self.store, job_id, step=step, total_steps=steps, loss=loss)
                last[0] = now
            if self._stopping.is_set():
                raise Shutdown(SHUTDOWN)

        return say, on_step

    def _end(self, job_id: str, *, version: int | None = None, error: str | None = None) -> None:
        job = end_job(self.store, job_id, version=version, error=error)
        self.say(f"job {job_id}: {job.state}" + (f", version {version}" if version else f": {job.error}"))
        if job_id in self._ended:
            self._ended[job_id].set()
        self.on_change(job)


__all__ = ["JobRunner", "NOT_STARTED", "SHUTDOWN", "Shutdown"]
