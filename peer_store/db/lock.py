"""The store's writer locks: ``flock`` on ``STORE/lock``, and in a shared PostgreSQL registry an advisory lock.

One writer at a time (ingest, rollback, gc) holds it exclusively; readers
that must not see a half-finished write (fsck) hold it shared. Nobody waits:
a second writer is refused at once with who holds the lock. The kernel drops
the lock when its process dies, ``kill -9`` included, so a crash never leaves
a store locked.

The lock file is written (truncated, then the holder's name), so it must be
the store's own: a symbolic link, a hard link or anything but a plain file is
refused rather than followed to a file elsewhere.

A registry in PostgreSQL can be reached from several store folders (several
hosts, or a copy of a folder), which ``flock`` on one folder cannot see. There
the writer also holds a session advisory lock keyed by the store's row
(:class:`RegistryLock`); PostgreSQL drops it when the holding connection ends,
so a killed writer leaves nothing locked there either.
"""

from __future__ import annotations

import errno
import fcntl
import os
import socket
import stat
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Connection, Engine, text

from peer_store.db.errors import StoreLocked, UnsafePath
from peer_store.errors import StoreError


class StoreLock:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._fd: int | None = None
        self.shared = False

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, *, shared: bool = False, purpose: str = "write") -> None:
        assert self._fd is None, "lock already held by this object"
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise UnsafePath(
                    f"the store lock {self.path} is a symbolic link; remove it (peer-store makes a new lock file)"
                ) from None
            if error.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
                raise
            if not shared:
                raise StoreError(
                    f"cannot write to the store {self.path.parent} ({error.strerror.lower()}): commands that "
                    "change a store need its folder writable; check its permissions or mount"
                ) from None
            fd = self._open_read_only()  # a reader of a read-only store locks it through a read-only descriptor
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
            os.close(fd)
            raise UnsafePath(
                f"the store lock {self.path} is not a plain file of its own (a hard link or a special file); "
                "remove it (peer-store makes a new lock file)"
            )
        try:
            fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 4096, 0).decode(errors="replace").strip() or "a reader such as `peer fsck`"
            os.close(fd)
            raise StoreLocked(
                f"the store {self.path.parent} is busy: {holder} holds its lock; "
                "wait for it to finish (one writer at a time), then run this again"
            ) from None
        if not shared:
            since = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{purpose} (pid {os.getpid()} on {socket.gethostname()}, since {since})\n".encode(), 0)
        self._fd, self.shared = fd, shared

    def _open_read_only(self) -> int:
        try:
            return os.open(self.path, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError as error:
            raise StoreError(f"cannot read the store lock {self.path} ({error.strerror.lower()}); check the "
                             "store folder's permissions") from None

    def release(self) -> None:
        if self._fd is None:
            return
        if not self.shared:
            os.ftruncate(self._fd, 0)
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None


class RegistryLock:
    """A PostgreSQL session advisory lock on one registry store (nothing on SQLite, which lives in the folder).

    Held on a connection of its own in autocommit mode, so no transaction of the store's
    work can release it early; released explicitly, or by PostgreSQL when the connection
    (or its process) dies.
    """

    NAMESPACE = 0x70656572  # 'peer': the first key of the two-key advisory lock; the store's row id is the second

    def __init__(self, engine: Engine, store_id: int, name: str):
        self.engine, self.store_id, self.name = engine, store_id, name
        self._conn: Connection | None = None

    def acquire(self) -> None:
        if self.engine.dialect.name != "postgresql" or self._conn is not None:
            return
        conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        keys = {"ns": self.NAMESPACE, "id": self.store_id}
        try:
            if conn.execute(text("SELECT pg_try_advisory_lock(:ns, :id)"), keys).scalar():
                self._conn = conn
                return
            holder = conn.execute(text(
                "SELECT a.pid, coalesce(host(a.client_addr), 'a local socket') FROM pg_locks l "
                "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
                "AND l.classid = :ns AND l.objid = :id"), keys).first()
        finally:
            if self._conn is None:
                conn.close()
        who = f"server process {holder[0]} (client {holder[1]})" if holder else "another connection"
        raise StoreLocked(
            f"the store {self.name!r} is busy in its PostgreSQL registry: {who} holds its writer lock "
            "(another host or another copy of the store folder); wait for it to finish, then run this again"
        )

    def release(self) -> None:
        if self._conn is None:
            return
        conn, self._conn = self._conn, None
        try:
            conn.execute(text("SELECT pg_advisory_unlock(:ns, :id)"), {"ns": self.NAMESPACE, "id": self.store_id})
        finally:
            conn.close()
