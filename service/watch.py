"""``peer watch DIR``: every corpus dropped into a folder (a file or a subfolder) becomes a version, once.

Each scan lists the folder in name order and stops at the first entry that is
still changing, so corpora are ingested in name order. An entry is read only
once its size and modification time (of every file, for a subfolder) have not
changed for one interval, so a file being copied in is not read half-way. Its
content fingerprint (the one the registry keeps) decides whether it is new: a
corpus the store already holds is skipped, so a restart, even after ``kill
-9``, repeats nothing, and an ingest that was killed is run again, since its
corpus was never registered. Names starting with ``.`` and ending in ``.tmp``
or ``.part`` are left alone (files being written under a temporary name).

What is read stays inside the folder: an entry that is a symbolic link ending outside it, or a folder holding
one, is skipped with a line saying so, unless the runner's limits say ``follow_links``; fifos and devices are
never read; each corpus is bounded by the runner's ``max_bytes``. A file name that is not UTF-8 is kept exactly
(see :func:`trainer.data.source_text`). An entry that cannot be read is skipped with one line, and the watch
goes on.

Ingests go through a :class:`service.jobs.JobRunner`: one at a time, under the
store's writer lock, recorded as jobs.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from continual.config import ContinualConfig
from continual.corpora import default_corpus_name
from peer_store.db.jobs import JobRecord
from peer_store.errors import ConfigError, PeerError
from service.jobs import JobRunner
from trainer.data import Corpus, source_text
from trainer.data.reading import leaves, shown

IGNORED_ENDINGS = (".tmp", ".part")

Signature = tuple[tuple[str, int, int], ...]


def _size_and_time(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_size, info.st_mtime_ns


def signature(entry: Path) -> Signature:
    """``(path below entry, size, mtime ns)`` of the entry's files: what must stop changing before it is read."""
    if entry.is_file():
        return (("", *_size_and_time(entry)),)
    return tuple((p.relative_to(entry).as_posix(), *_size_and_time(p)) for p in sorted(entry.rglob("*")) if p.is_file())


class Watcher:
    def __init__(
        self, folder: Path | str, runner: JobRunner, *, interval: float = 2.0, steps: int | None = None,
        say: Callable[[str], None] = lambda line: None,
    ):
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise ConfigError(f"cannot watch {self.folder}: it is not a folder; create it or pass another one")
        if not interval > 0:
            raise ConfigError(f"--interval must be a number of seconds above 0, got {interval}")
        self.runner, self.interval, self.steps, self.say = runner, interval, steps, say
        self.config = ContinualConfig.of_store(runner.store.config)
        self._changing: dict[str, tuple[Signature, float]] = {}  # entry -> (signature, first seen so)
        self._handled: dict[str, Signature] = {}  # entry -> the signature it was handled with
        self._refused: dict[str, str] = {}  # entry -> why it is not read, said once

    def run(self, stop: threading.Event) -> None:
        """Scan every ``interval`` seconds until ``stop`` is set."""
        self.say(f"watching {self.folder} every {self.interval:g} s")
        while not stop.is_set():
            self.scan(stop)
            stop.wait(self.interval)

    def scan(self, stop: threading.Event | None = None) -> list[JobRecord]:
        """One look at the folder: handle, in name order, every new entry that has stopped changing, up to the
        first that has not (later ones wait for it, so the order holds); the jobs that ran."""
        ran, waiting = [], False
        for entry in sorted(self.folder.iterdir(), key=lambda p: p.name):
            if stop is not None and stop.is_set():
                break
            if entry.name.startswith(".") or entry.name.endswith(IGNORED_ENDINGS):
                continue
            try:
                if not self.runner.limits.follow_links and leaves(entry, self.folder):  # not even looked into
                    self._refuse(entry, "it is a symbolic link out of the watched folder; peer watch does not "
                                        "follow links out of it (start it with --follow-links to read them)")
                    continue
                now, seen = time.monotonic(), signature(entry)
            except FileNotFoundError:  # removed while we looked
                continue
            except OSError as error:  # a folder it may not list, a name too long
                self._refuse(entry, (error.strerror or str(error)).lower())
                continue
            self._refused.pop(entry.name, None)
            if not seen or self._handled.get(entry.name) == seen:
                continue
            before = self._changing.get(entry.name)
            if before is None or before[0] != seen:
                self._changing[entry.name] = (seen, now)  # changed since the last look
                waiting = True
            waiting = waiting or now - self._changing[entry.name][1] < self.interval
            if waiting:
                continue
            del self._changing[entry.name]
            self._handled[entry.name] = seen
            job = self._ingest(entry)
            if job is not None:
                ran.append(job)
        return ran

    def _refuse(self, entry: Path, why: str) -> None:
        """Say once (until it changes) why ``entry`` is not read."""
        if self._refused.get(entry.name) != why:
            self._refused[entry.name] = why
            self.say(f"skipping {shown(entry.name)}: {why}")

    def _ingest(self, entry: Path) -> JobRecord | None:
        try:
            fingerprint = Corpus([str(entry)], doc_bytes=self.config.doc_bytes,
                                 limits=self.runner.limits).fingerprint()
            known = self.runner.store.find_corpus(sha256=fingerprint)
        except (PeerError, OSError) as error:
            self.say(f"skipping {shown(entry.name)}: {error}")
            return None
        if known is not None:
            self.say(f"{shown(entry.name)}: already ingested as corpus {known.name!r}")
            return None
        size = sum(p.stat().st_size for p in ([entry] if entry.is_file() else entry.rglob("*")) if p.is_file())
        job = self.runner.submit(corpus=default_corpus_name(str(entry)), source=source_text(str(entry.resolve())),
                                 bytes=size, steps=self.steps, fingerprint=fingerprint)
        job = self.runner.wait(job.id)
        outcome = f"version {job.version}" if job.state == "done" else f"{job.state}: {job.error}"
        self.say(f"{shown(entry.name)}: {outcome}")
        return job


__all__ = ["Watcher", "signature"]
