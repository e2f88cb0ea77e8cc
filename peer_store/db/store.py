"""A store directory (layout in ``layout.py``) and its version registry.

A version is born ``training`` (parent: the current version) in its own
transaction, its files are written under content addresses, and one more
transaction registers files, corpus, ingest and evaluations and marks it
``ready``. Anything that fails before that leaves it ``failed`` and the parent
current: the current version is the newest ready one. A process killed
mid-write leaves a ``training`` row that the next writer marks failed
(``interrupted``) when it takes the lock.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from peer_store.db import models as m
from peer_store.db.content import ContentFiles
from peer_store.db.engine import check_connection, describe, make_engine, session_scope, sqlite_url
from peer_store.db.errors import StoreExists, StoreNotFound
from peer_store.db.history import VersionReads
from peer_store.db.layout import (
    CHECKPOINTS,
    CORPORA,
    EMBEDDED,
    EXTERNAL,
    MANIFEST,
    REGISTRY,
    ROUTES,
    SEGMENTS,
    STAGING,
    STORE_FORMAT,
    UPLOADS,
    read_manifest,
    registry_engine,
)
from peer_store.db.lifecycle import VersionLifecycle
from peer_store.db.lock import RegistryLock, StoreLock
from peer_store.db.records import check_name
from peer_store.db.schema import check_schema, upgrade_engine
from peer_store.db.students import StudentRegistry
from peer_store.errors import StoreError
from peer_store.fsio import atomic_write


class Store(VersionReads, VersionLifecycle, ContentFiles, StudentRegistry):
    """One store directory plus its registry; use ``Store.create`` or ``Store.open``.

    Opening, closing and the locks are here; the rest comes in parts: reading versions
    (:class:`~peer_store.db.history.VersionReads`), their lifecycle
    (:class:`~peer_store.db.lifecycle.VersionLifecycle`), content-addressed files
    (:class:`~peer_store.db.content.ContentFiles`) and students
    (:class:`~peer_store.db.students.StudentRegistry`)."""

    def __init__(self, path: Path, engine: Engine, store_id: int, name: str, config: dict[str, Any]):
        self.path = Path(path)
        self.engine = engine
        self.store_id = store_id
        self.name = name
        self.config = config  # what `peer init` recorded (e.g. the model config); read-only here
        self._lock = StoreLock(self.path / "lock")
        self._registry_lock = RegistryLock(engine, store_id, name)

    # -- opening -----------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: Path | str,
        *,
        db_url: str | None = None,
        name: str | None = None,
        config: dict[str, Any] | None = None,
    ) -> Store:
        """Make a new store in ``path`` (new or empty) with a migrated registry."""
        path = Path(path).absolute()
        name = check_name(name or path.name, "store name")
        if (path / MANIFEST).exists():
            raise StoreExists(f"{path} already holds a peer store; open it with --store {path}")
        if path.exists() and (not path.is_dir() or any(path.iterdir())):
            raise StoreExists(f"{path} exists and is not an empty folder; pick a new or empty folder")
        engine = make_engine(db_url) if db_url is not None else None
        if engine is not None:
            check_connection(engine)  # before anything is written
        made = not path.exists()
        try:
            for sub in (SEGMENTS, CHECKPOINTS, ROUTES, CORPORA, UPLOADS, STAGING):
                (path / sub).mkdir(parents=True, exist_ok=True)
            if engine is None:
                engine = make_engine(sqlite_url(path / REGISTRY))
            upgrade_engine(engine)
            with session_scope(engine) as s:
                if s.scalar(select(m.StoreRow.id).where(m.StoreRow.name == name)) is not None:
                    raise StoreExists(
                        f"the database {describe(engine.url)} already has a store named {name!r}; pass --name"
                    )
                uid = uuid.uuid4().hex
                row = m.StoreRow(name=name, uid=uid, config=config or {})
                s.add(row)
                s.flush()
                store_id = row.id
            manifest = {"format": STORE_FORMAT, "name": name, "uid": uid,
                        "registry": EMBEDDED if db_url is None else EXTERNAL}
            atomic_write(path / MANIFEST, lambda tmp: tmp.write_text(json.dumps(manifest, indent=2) + "\n"))
        except BaseException:
            if engine is not None:
                engine.dispose()
            if made:  # a failed init leaves nothing behind
                _remove_tree(path)
            else:
                _empty_folder(path)
            raise
        return cls(path, engine, store_id, name, dict(config or {}))

    @classmethod
    def open(cls, path: Path | str, *, db_url: str | None = None) -> Store:
        """Open an existing store; refuses a registry whose schema is not this code's."""
        path = Path(path).absolute()
        manifest = read_manifest(path)
        engine = registry_engine(path, manifest, db_url)
        try:
            check_connection(engine)
            check_schema(engine)
            with session_scope(engine) as s:
                row = s.scalar(select(m.StoreRow).where(m.StoreRow.name == manifest["name"]))
            if row is None:
                raise StoreNotFound(
                    f"the database {describe(engine.url)} has no store named {manifest['name']!r}; "
                    "is --db-url the database this store was created with?"
                )
            if row.uid is not None and manifest.get("uid") is not None and row.uid != manifest["uid"]:
                raise StoreNotFound(
                    f"the store named {manifest['name']!r} in {describe(engine.url)} is another store than the "
                    f"one in {path} (store ids {row.uid[:8]}… and {str(manifest['uid'])[:8]}…); "
                    "is --db-url the database this store was created with?"
                )
        except BaseException:
            engine.dispose()
            raise
        return cls(path, engine, row.id, manifest["name"], dict(row.config or {}))

    def close(self) -> None:
        self._registry_lock.release()
        self._lock.release()
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # -- locking -----------------------------------------------------------

    @contextmanager
    def lock(self, *, shared: bool = False, purpose: str = "a writer") -> Iterator[None]:
        """Hold the store lock (exclusive unless ``shared``); re-entrant within this object.

        Taking it exclusively marks versions left ``training`` by a dead
        process as failed: no one else can be writing them.
        """
        if self._lock.held:
            assert shared or not self._lock.shared, "cannot upgrade a shared store lock to exclusive"
            yield
            return
        self._lock.acquire(shared=shared, purpose=purpose)
        try:
            if not shared:
                self._registry_lock.acquire()  # before recovery: a shared registry's writer may be elsewhere
                self._recover()
            yield
        finally:
            self._registry_lock.release()
            self._lock.release()

    @property
    def writing(self) -> bool:
        """Whether this object holds the store lock exclusively (as a writer)."""
        return self._lock.held and not self._lock.shared

    def require_writer(self) -> None:
        """Refuse a write unless this object holds the store lock as a writer."""
        if not self.writing:
            raise StoreError("writing to a store needs its lock: wrap the writes in `with store.lock():`")

    def _recover(self) -> list[int]:
        with session_scope(self.engine) as s:
            stale = s.scalars(
                select(m.Version).where(
                    m.Version.store_id == self.store_id,
                    m.Version.status.in_([m.VersionStatus.PENDING.value, m.VersionStatus.TRAINING.value]),
                )
            ).all()
            for v in stale:
                v.status = m.VersionStatus.FAILED.value
                v.error = "interrupted: the process writing it stopped before it finished"
                v.finished_at = m.utcnow()
            return [v.number for v in stale]


def _remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def _empty_folder(path: Path) -> None:
    for child in path.iterdir():
        if child.is_dir():
            _remove_tree(child)
        else:
            child.unlink(missing_ok=True)
