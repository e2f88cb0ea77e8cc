"""Durable file writes and checksums, with no torch import (the registry and CLI use them too)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

__all__ = ["atomic_write", "fsync_dir", "is_unfinished_write", "sha256_file", "temp_file_for"]

# atomic_write's temp files: ".<final name>.<random>.tmp", next to the final file.
_TEMP_PREFIX, _TEMP_SUFFIX = ".", ".tmp"


def sha256_file(path: Path, *, chunk: int = 1 << 22) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def is_unfinished_write(name: str) -> bool:
    """Whether a file name is one of :func:`atomic_write`'s temp files, which outlive only a killed process."""
    stem = name.removeprefix(_TEMP_PREFIX).removesuffix(_TEMP_SUFFIX)
    return bool(stem) and name == f"{_TEMP_PREFIX}{stem}{_TEMP_SUFFIX}"


def temp_file_for(path: Path) -> Path:
    """A new empty temp file beside ``path`` (its folder made if need be) that :func:`is_unfinished_write`
    recognises: write it, fsync it, then ``os.replace`` it onto ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f"{_TEMP_PREFIX}{path.name}.", suffix=_TEMP_SUFFIX, dir=path.parent)
    os.close(fd)
    return Path(tmp)


def atomic_write(path: Path, write) -> None:
    """Call ``write(tmp_path)``, fsync it, and rename it to ``path`` (same folder)."""
    path = Path(path)
    tmp = temp_file_for(path)
    try:
        write(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
