"""Where a store keeps things: the folder layout, its ``store.json``, and which database holds its registry.

```
STORE/
  store.json                    name, and whether the registry is embedded or external
  registry.db                   the embedded SQLite registry (absent with --db-url)
  lock                          flock target: one writer at a time
  segments/<sha256>.safetensors segment files, content-addressed
  checkpoints/<sha256><suffix>  backbone checkpoints, content-addressed
  routes/<sha256>.safetensors   n-gram profiles and low-rank deltas of routed versions, content-addressed
  students/<sha256>.safetensors dense students distilled from a version (`peer distill`), content-addressed
  corpora/<sha256>.jsonl.gz     snapshots of the registered corpora (named by the corpus fingerprint)
  uploads/<job><suffix>         corpora sent to `peer serve`, kept while their ingest job is queued or running
  tmp/                          staging for atomic writes
```

A store folder is untrusted input: its registry rows name files, and anyone
may have edited them or swapped a folder for a link. Every path taken from
it goes through :func:`store_file` or :func:`not_a_link`, so a crafted row
or link is refused instead of making ``gc`` delete, or a load read, a file
elsewhere.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy import Engine

from peer_store.db.engine import describe, make_engine, sqlite_url
from peer_store.db.errors import RegistryError, StoreNotFound, UnsafePath
from peer_store.db.schema import current_revision, upgrade_engine
from peer_store.errors import StoreError

STORE_FORMAT = "peer-store/store/1"
MANIFEST = "store.json"
MANIFEST_BYTES = 2**20
"""A manifest holds a name and a few fields; one larger than this is not one."""
REGISTRY = "registry.db"
SEGMENTS, CHECKPOINTS, ROUTES, CORPORA, UPLOADS, STAGING, STUDENTS = (
    "segments", "checkpoints", "routes", "corpora", "uploads", "tmp", "students")
EMBEDDED, EXTERNAL = "sqlite", "external"
FILE_FOLDERS = (SEGMENTS, CHECKPOINTS, ROUTES, CORPORA, UPLOADS, STAGING, STUDENTS)
"""The folders whose files the registry names (and ``fsck`` checks, ``gc`` cleans)."""


def not_a_link(path: Path) -> Path:
    """``path``, refused if it is a symbolic link (reading or writing through it would leave the store)."""
    if path.is_symlink():
        raise UnsafePath(
            f"{path} is a symbolic link; a store holds only its own folders and files, so peer-store does not "
            "follow it: put the real folder or file there (or remove the link)"
        )
    return path


def store_file(root: Path, file: str) -> Path:
    """``root / file`` for a file name taken from the registry, refused unless it stays inside a file folder.

    ``file`` must be a relative POSIX path under one of :data:`FILE_FOLDERS`, with no ``..`` and no symbolic
    link on the way (the folder itself included).
    """
    name = PurePosixPath(file)
    parts = name.parts
    if "\x00" in file or name.is_absolute() or ".." in parts or len(parts) < 2 or parts[0] not in FILE_FOLDERS:
        raise UnsafePath(
            f"the registry of the store {root} names the file {file!r}, which is not inside its folders "
            f"{', '.join(FILE_FOLDERS)}; the registry was edited or is corrupted: restore it from a backup"
        )
    path = root
    for part in parts:
        path = not_a_link(path / part)
    return path


def read_manifest(path: Path) -> dict[str, Any]:
    try:
        manifest = not_a_link(path / MANIFEST)
        found = manifest.is_file()
    except OSError as error:  # a name too long for the file system, a folder that cannot be searched
        shown = str(path) if len(str(path)) <= 80 else f"{str(path)[:80]}… ({len(str(path))} characters)"
        raise StoreNotFound(f"no peer store at {shown} ({error.strerror.lower()}); check --store") from None
    if not found:
        raise StoreNotFound(f"no peer store at {path} (no {MANIFEST}); create one with `peer init {path}`")
    try:
        with open(manifest, "rb") as f:
            text = f.read(MANIFEST_BYTES + 1)
        if len(text) > MANIFEST_BYTES:
            raise ValueError(f"over {MANIFEST_BYTES:,} bytes")
        data = json.loads(text)
    except (ValueError, RecursionError) as error:  # RecursionError: nesting deeper than the parser goes
        raise StoreError(f"{manifest} is corrupted ({str(error)[:200]}); restore it from a backup") from None
    if not isinstance(data, dict):
        raise StoreError(f"{manifest} is not a store manifest (a JSON object); restore it from a backup")
    if data.get("format") != STORE_FORMAT:
        raise StoreError(
            f"{manifest} has format {data.get('format')!r}, this peer-store reads {STORE_FORMAT!r}; "
            "upgrade peer-store (pip install -U peer-store)"
        )
    if not isinstance(data.get("name"), str) or data.get("registry") not in (EMBEDDED, EXTERNAL):
        raise StoreError(f"{manifest} is not a store manifest (it needs a name and a registry, "
                         f"{EMBEDDED!r} or {EXTERNAL!r}); restore it from a backup")
    return data


def registry_engine(path: Path, manifest: dict[str, Any], db_url: str | None) -> Engine:
    if manifest["registry"] == EMBEDDED:
        if db_url is not None:
            raise RegistryError(
                f"the store {path} keeps its registry in {path / REGISTRY}; drop --db-url (or unset PEER_DB_URL)"
            )
        if not not_a_link(path / REGISTRY).is_file():
            raise StoreError(f"{path / REGISTRY} is missing; restore it from a backup")
        return make_engine(sqlite_url(path / REGISTRY))
    if db_url is None:
        raise RegistryError(
            f"the store {path} keeps its registry in an external database; pass --db-url (or set PEER_DB_URL)"
        )
    return make_engine(db_url)


def upgrade_registry(path: Path | str | None = None, *, db_url: str | None = None) -> str:
    """``peer db upgrade``: migrate the registry of the store at ``path``, or the database at ``db_url``."""
    if path is None:
        if db_url is None:
            raise RegistryError("nothing to upgrade: pass --store PATH (or set PEER_HOME) or --db-url")
        engine = make_engine(db_url)
    else:
        path = Path(path).absolute()
        engine = registry_engine(path, read_manifest(path), db_url)
    try:
        if path is not None and current_revision(engine) is None:  # `peer init` made it: it has lost its tables
            raise StoreError(
                f"the registry of the store {path} ({describe(engine.url)}) is empty: it has no schema and no rows, "
                "so upgrading it would make every version unreachable; restore it from a backup (nothing was "
                "changed)"
            )
        return upgrade_engine(engine)
    finally:
        engine.dispose()
