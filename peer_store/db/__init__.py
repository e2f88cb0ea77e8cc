"""The version registry (SQLAlchemy + alembic) and the store directory it describes.

    from peer_store.db import Store, fsck, gc

    with Store.open("my-store") as store:
        with store.new_version(kind="ingest", message="python docs") as draft:
            refs = [store.put_segment(segment, layer=i) for i, segment in enumerate(new_segments)]
            draft.commit(segments=refs, corpus=corpus, ingest=ingest, evaluations=evaluations)

The only part of peer_store that imports SQLAlchemy; it never imports torch itself.
"""

from peer_store.db.check import fsck, gc
from peer_store.db.engine import session_scope
from peer_store.db.errors import (
    DatabaseUnavailable,
    JobNotFound,
    RegistryError,
    RegistryReadOnly,
    SchemaMismatch,
    StoreExists,
    StoreLocked,
    StoreNotFound,
    StudentNotFound,
    UnsafePath,
    VersionNotFound,
    VersionStateError,
)
from peer_store.db.records import (
    CorpusRecord,
    EvaluationRecord,
    FileProblem,
    FileRef,
    FsckReport,
    GcReport,
    IngestRecord,
    RouteRef,
    SegmentRef,
    StudentRecord,
    VersionDetail,
    VersionInfo,
)
from peer_store.db.schema import check_schema, head_revision, upgrade
from peer_store.db.layout import upgrade_registry
from peer_store.db.lifecycle import VersionDraft
from peer_store.db.store import Store

__all__ = [
    "CorpusRecord",
    "DatabaseUnavailable",
    "EvaluationRecord",
    "FileProblem",
    "FileRef",
    "FsckReport",
    "GcReport",
    "IngestRecord",
    "JobNotFound",
    "RegistryError",
    "RegistryReadOnly",
    "RouteRef",
    "SchemaMismatch",
    "SegmentRef",
    "Store",
    "StoreExists",
    "StoreLocked",
    "StoreNotFound",
    "StudentNotFound",
    "StudentRecord",
    "UnsafePath",
    "VersionDetail",
    "VersionDraft",
    "VersionInfo",
    "VersionNotFound",
    "VersionStateError",
    "check_schema",
    "fsck",
    "gc",
    "head_revision",
    "session_scope",
    "upgrade",
    "upgrade_registry",
]
