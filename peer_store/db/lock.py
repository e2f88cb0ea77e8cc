"""The store's writer lock: ``flock`` on ``STORE/lock``.

One writer at a time (ingest, rollback, gc) holds it exclusively; readers
that must not see a half-finished write (fsck) hold it shared. Nobody waits:
a second writer is refused at once with who holds the lock. The kernel drops
the lock when its process dies, ``kill -9`` included, so a crash never leaves
a store locked.

The lock file is written (truncated, then the holder's name), so it must be
the store's own: a symbolic link, a hard link or anything but a plain file is
refused rather than followed to a file elsewhere.
"""

from __future__ import annotations

import errno
import fcntl
import os
import socket
import stat
from datetime import datetime, timezone
from pathlib import Path

from peer_store.db.errors import StoreLocked, UnsafePath


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
            if error.errno != errno.ELOOP:
                raise
            raise UnsafePath(
                f"the store lock {self.path} is a symbolic link; remove it (peer-store makes a new lock file)"
            ) from None
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

    def release(self) -> None:
        if self._fd is None:
            return
        if not self.shared:
            os.ftruncate(self._fd, 0)
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None
