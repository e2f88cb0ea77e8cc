"""SQLAlchemy models of the version registry.

One database may hold several stores (PostgreSQL shared by hosts); every row
hangs off a ``stores`` row. A version is a set of segment files plus an
optional backbone checkpoint; files are content-addressed by sha256, so two
versions that share a segment share one row and one file. The current
version of a store is its newest ``ready`` version: nothing points at it, so
a crash can never leave a pointer half-moved.

The migrations in ``migrations/versions`` must describe exactly these tables
(``tests/db/test_migrations.py`` compares them). No torch here.
"""

from __future__ import annotations

from datetime import datetime, timezone
from enum import Enum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from peer_store.db.records import NAME_LENGTH

# Deterministic constraint names: batch migrations on SQLite recreate tables
# and can only drop or alter a constraint they can name.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class VersionStatus(str, Enum):
    """pending -> training -> ready | failed; ready and failed are final."""

    PENDING = "pending"
    TRAINING = "training"
    READY = "ready"
    FAILED = "failed"


_STATUSES = ", ".join(f"'{s.value}'" for s in VersionStatus)


class StoreRow(Base):
    __tablename__ = "stores"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH), unique=True)
    uid: Mapped[str | None] = mapped_column(String(32))  # also in the folder's manifest (None: made before 0004)
    config: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Version(Base):
    __tablename__ = "versions"
    __table_args__ = (
        UniqueConstraint("store_id", "number"),
        CheckConstraint(f"status IN ({_STATUSES})", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, ... per store: what users type
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("versions.id"))
    status: Mapped[str] = mapped_column(String(16), default=VersionStatus.PENDING.value)
    kind: Mapped[str] = mapped_column(String(32))  # init | ingest | rollback | ...
    message: Mapped[str] = mapped_column(Text, default="")
    error: Mapped[str | None] = mapped_column(Text)  # why it failed
    checkpoint_id: Mapped[int | None] = mapped_column(ForeignKey("checkpoints.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    parent: Mapped[Version | None] = relationship(remote_side=[id])
    checkpoint: Mapped[Checkpoint | None] = relationship()
    members: Mapped[list[VersionSegment]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="VersionSegment.position"
    )
    routes: Mapped[list[VersionRoute]] = relationship(
        cascade="all, delete-orphan", order_by="VersionRoute.position"
    )


class Segment(Base):
    """One shell file (a segment, in stores made before shells): the sub-keys and expert tables of one shell
    of a PEER layer's memory. ``frozen`` is how the version that wrote it held it; each version's membership
    says how that version holds it."""

    __tablename__ = "segments"
    __table_args__ = (UniqueConstraint("store_id", "sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    layer: Mapped[int] = mapped_column(Integer)
    n_keys: Mapped[int] = mapped_column(Integer)
    n_experts: Mapped[int] = mapped_column(BigInteger)
    frozen: Mapped[bool] = mapped_column(Boolean)
    file: Mapped[str] = mapped_column(String(300))  # relative to the store directory
    sha256: Mapped[str] = mapped_column(String(64))
    bytes: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class VersionSegment(Base):
    """Membership: the segments that make a version, in memory order within each layer."""

    __tablename__ = "version_segments"

    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="CASCADE"), primary_key=True)
    segment_id: Mapped[int] = mapped_column(ForeignKey("segments.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer)  # order of the segment in its layer's memory
    frozen: Mapped[bool | None] = mapped_column(Boolean, nullable=True)  # how this version holds it (always set)

    version: Mapped[Version] = relationship(back_populates="members")
    segment: Mapped[Segment] = relationship()


class Checkpoint(Base):
    """A backbone checkpoint file (everything but the expert segments)."""

    __tablename__ = "checkpoints"
    __table_args__ = (UniqueConstraint("store_id", "sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    file: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    bytes: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


ARTIFACT_KINDS = ("profile", "deltas")
_KINDS = ", ".join(f"'{k}'" for k in ARTIFACT_KINDS)


class Artifact(Base):
    """A file a version's routes use: a corpus's n-gram profile, or one version's low-rank deltas."""

    __tablename__ = "artifacts"
    __table_args__ = (
        UniqueConstraint("store_id", "sha256"),
        CheckConstraint(f"kind IN ({_KINDS})", name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    file: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    bytes: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class VersionRoute(Base):
    """One route of a version, in routing order: what one ingest of a routing method learnt (its corpus's
    profile, its deltas, and how many leading segments of each PEER layer it retrieves from)."""

    __tablename__ = "version_routes"

    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    corpus: Mapped[str] = mapped_column(String(NAME_LENGTH))
    learnt_by: Mapped[int | None] = mapped_column(Integer)  # the number of the version whose ingest learnt it
    segments: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # {"layer": count}
    profile_id: Mapped[int | None] = mapped_column(ForeignKey("artifacts.id"), index=True)
    deltas_id: Mapped[int | None] = mapped_column(ForeignKey("artifacts.id"), index=True)

    profile: Mapped[Artifact | None] = relationship(foreign_keys=[profile_id])
    deltas: Mapped[Artifact | None] = relationship(foreign_keys=[deltas_id])


class Corpus(Base):
    __tablename__ = "corpora"
    __table_args__ = (UniqueConstraint("store_id", "name"), UniqueConstraint("store_id", "sha256"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    source: Mapped[str] = mapped_column(Text)  # the path, glob or "-" it was read from
    sha256: Mapped[str] = mapped_column(String(64))  # fingerprint of the text: duplicates are refused
    bytes: Mapped[int] = mapped_column(BigInteger)
    tokens: Mapped[int] = mapped_column(BigInteger)
    documents: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Ingest(Base):
    """How a version was trained: on which corpus, for how long, ending at which losses."""

    __tablename__ = "ingests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="CASCADE"), unique=True)
    corpus_id: Mapped[int] = mapped_column(ForeignKey("corpora.id"), index=True)
    steps: Mapped[int] = mapped_column(Integer)
    tokens: Mapped[int] = mapped_column(BigInteger)
    wall_seconds: Mapped[float] = mapped_column(Float)
    train_loss: Mapped[float | None] = mapped_column(Float)
    heldout_loss: Mapped[float | None] = mapped_column(Float)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # method, options, keys, replay, ...


class JobState(str, Enum):
    """queued -> running -> done | failed; done and failed are final."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


_JOB_STATES = ", ".join(f"'{s.value}'" for s in JobState)


class Job(Base):
    """An ingest the service accepted (an upload, or a corpus dropped in a watched folder), run one at a time
    under the store's writer lock. ``running`` only while its process holds that lock."""

    __tablename__ = "jobs"
    __table_args__ = (CheckConstraint(f"state IN ({_JOB_STATES})", name="state"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random hex: what clients poll
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(16), default=JobState.QUEUED.value)
    corpus: Mapped[str] = mapped_column(String(200))  # the name its corpus is registered under
    source: Mapped[str] = mapped_column(Text)  # "upload", or the watched file or folder
    upload: Mapped[str | None] = mapped_column(String(300))  # the spooled body, relative to the store
    fingerprint: Mapped[str | None] = mapped_column(String(64))  # the corpus's, as the registry computes it
    bytes: Mapped[int] = mapped_column(BigInteger)
    steps: Mapped[int | None] = mapped_column(Integer)  # asked for (None: the store's default)
    step: Mapped[int | None] = mapped_column(Integer)  # progress while running
    total_steps: Mapped[int | None] = mapped_column(Integer)
    loss: Mapped[float | None] = mapped_column(Float)
    version: Mapped[int | None] = mapped_column(Integer)  # the version number it made, when done
    error: Mapped[str | None] = mapped_column(Text)  # one line, when failed
    host: Mapped[str] = mapped_column(String(255))  # the process that accepted it
    pid: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Student(Base):
    """A dense language model distilled from one version (``peer distill``): its file and how it was trained.

    ``heldout`` holds its held-out loss on every corpus its teacher learnt, measured on the windows the
    version's own evaluations use, so the two are read side by side."""

    __tablename__ = "students"
    __table_args__ = (
        CheckConstraint("alpha >= 0 AND alpha <= 1", name="alpha"),
        CheckConstraint("width >= 1 AND steps >= 1", name="sizes"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # what users type: peer score --student ID
    store_id: Mapped[int] = mapped_column(ForeignKey("stores.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="CASCADE"), index=True)  # the teacher
    width: Mapped[int] = mapped_column(Integer)  # d_model
    steps: Mapped[int] = mapped_column(Integer)
    alpha: Mapped[float] = mapped_column(Float)  # weight of the teacher's soft targets
    init: Mapped[str] = mapped_column(String(16))  # teacher | fresh
    params: Mapped[int] = mapped_column(BigInteger)
    file: Mapped[str] = mapped_column(String(300))  # relative to the store directory
    sha256: Mapped[str] = mapped_column(String(64))
    bytes: Mapped[int] = mapped_column(BigInteger)
    train_loss: Mapped[float | None] = mapped_column(Float)
    wall_seconds: Mapped[float] = mapped_column(Float)
    heldout: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # {corpus: {loss, tokens, bits_per_byte}}
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # d_ff, layers, seed, what was copied
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    version: Mapped[Version] = relationship()


class Evaluation(Base):
    """Loss of one version on one corpus split: a cell of the forgetting matrix."""

    __tablename__ = "evaluations"
    __table_args__ = (UniqueConstraint("version_id", "corpus_id", "split"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="CASCADE"), index=True)
    corpus_id: Mapped[int] = mapped_column(ForeignKey("corpora.id"), index=True)
    split: Mapped[str] = mapped_column(String(16))  # heldout | train
    loss: Mapped[float] = mapped_column(Float)
    bits_per_byte: Mapped[float | None] = mapped_column(Float)
    tokens: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
