"""Plain records that cross the store's boundary, in and out.

Callers (trainer, CLI) never hold ORM objects or sessions: they get frozen
dataclasses that stay valid after the transaction, and ``to_dict`` gives the
JSON the CLI prints with ``--json``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from peer_store.errors import ConfigError


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value):
        return value.to_dict()
    return value


def utc(moment: datetime | None) -> datetime | None:
    """``moment`` with its zone: SQLite hands timestamps back without one; they were written in UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=timezone.utc)


NAME_LENGTH = 200
"""The longest corpus (and store) name the registry holds, in characters."""


def check_name(name: str, what: str = "corpus name") -> str:
    """``name`` if the registry can hold it (1..NAME_LENGTH printable characters), else a one-line ConfigError."""
    if not name or len(name) > NAME_LENGTH or not name.isprintable() or name != name.strip():
        shown = name if len(name) <= 40 else f"{name[:40]}… ({len(name)} characters)"
        raise ConfigError(f"the {what} {shown!r} must be 1 to {NAME_LENGTH} printable characters without "
                         "leading or trailing spaces; pick another --name")
    return name


class Record:
    """A frozen dataclass that crosses the store's boundary; ``to_dict`` is its JSON."""

    def to_dict(self) -> dict[str, Any]:
        return {f.name: _jsonable(getattr(self, f.name)) for f in dataclasses.fields(self)}


@dataclass(frozen=True)
class FileRef(Record):
    """A content-addressed file of the store: ``file`` is relative to the store directory."""

    file: str
    sha256: str
    bytes: int


@dataclass(frozen=True)
class SegmentRef(Record):
    """A segment file written by ``Store.put_segment``, ready to become part of a version."""

    layer: int
    n_keys: int
    n_experts: int
    frozen: bool
    file: str
    sha256: str
    bytes: int


@dataclass(frozen=True)
class RouteRef(Record):
    """One route of a version: the corpus it learnt, the leading segments of each PEER layer (``{layer:
    count}``) it retrieves from, and its profile and deltas files (None where the route has none)."""

    corpus: str
    segments: dict[int, int]
    profile: FileRef | None = None
    deltas: FileRef | None = None
    learnt_by: int | None = None
    """The version whose ingest learnt it."""

    def files(self) -> list[FileRef]:
        return [f for f in (self.profile, self.deltas) if f is not None]


@dataclass(frozen=True)
class CorpusRecord(Record):
    """A corpus as the ingest measured it; registered when its version becomes ready."""

    name: str
    source: str
    sha256: str
    bytes: int
    tokens: int
    documents: int


@dataclass(frozen=True)
class IngestRecord(Record):
    """How a version was trained. ``corpus`` is the corpus name."""

    corpus: str
    steps: int
    tokens: int
    wall_seconds: float
    train_loss: float | None = None
    heldout_loss: float | None = None
    settings: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class EvaluationRecord(Record):
    """Loss of a version on one split of a registered corpus (``corpus`` is its name)."""

    corpus: str
    loss: float
    tokens: int
    split: str = "heldout"
    bits_per_byte: float | None = None


@dataclass(frozen=True)
class VersionInfo(Record):
    number: int
    status: str
    kind: str
    message: str
    parent: int | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    error: str | None
    corpus: str | None  # the corpus an ingest trained on
    segments: int
    experts: int
    method: dict[str, Any] | None = None
    """How an ingest made it: ``{"name": ..., "options": {...}}`` (options None where its ingest predates them)."""
    route: dict[str, Any] | None = None
    """On a routed store, the route its ingest trained: a new one, or one it continued (the ingest's record)."""


@dataclass(frozen=True)
class VersionDetail(Record):
    """Everything ``peer show`` prints about one version."""

    version: VersionInfo
    segments: list[SegmentRef]
    checkpoint: FileRef | None
    ingest: IngestRecord | None
    evaluations: list[EvaluationRecord]
    routes: list[RouteRef] = field(default_factory=list)
    """Empty for a version that does not route (every token sees every segment)."""


@dataclass(frozen=True)
class StudentRecord(Record):
    """A dense student distilled from version ``teacher`` (``peer distill``); ``id`` is None until registered."""

    teacher: int
    width: int
    steps: int
    alpha: float
    init: str
    """'teacher' (started from the teacher's non-expert weights where shapes allow) or 'fresh'."""
    params: int
    file: FileRef
    wall_seconds: float
    train_loss: float | None = None
    evaluations: list[EvaluationRecord] = field(default_factory=list)
    """Held-out loss on every corpus the teacher learnt."""
    settings: dict[str, Any] = field(default_factory=dict)
    id: int | None = None
    created_at: datetime | None = None


@dataclass(frozen=True)
class FileProblem(Record):
    file: str
    problem: str  # missing | corrupted | extra
    detail: str = ""
    versions: list[int] = field(default_factory=list)  # ready versions that reference the file


@dataclass(frozen=True)
class FsckReport(Record):
    checked: int
    problems: list[FileProblem]
    interrupted: list[int]  # versions left in training/pending by a process that died

    @property
    def ok(self) -> bool:
        return not self.problems

    def of(self, problem: str) -> list[str]:
        return [p.file for p in self.problems if p.problem == problem]


@dataclass(frozen=True)
class GcReport(Record):
    removed: list[str]
    bytes_freed: int
    dry_run: bool
