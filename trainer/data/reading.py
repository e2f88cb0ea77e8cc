"""Reading corpus bytes with limits: the one place a corpus file, a gzip member or standard input is read.

Every read is bounded by a number of decompressed bytes and stops as soon as it passes it, so a small
gzip that expands to gigabytes costs at most the bound in memory. Only regular files are read: a fifo, a
socket or a device is refused before a byte is read (a fifo is opened without waiting for a writer).

File names may hold any bytes. Python carries the ones that are not UTF-8 as lone surrogates, which a
registry cannot store; :func:`source_text` writes such a path as a ``file://`` URI with those bytes
percent-encoded, and :func:`source_path` reads it back to the same bytes.
"""

from __future__ import annotations

import gzip
import os
import stat
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote_from_bytes, unquote_to_bytes

from trainer.errors import CorpusError, CorpusTooLarge

DEFAULT_MAX_CORPUS_BYTES = 256 * 2**20
"""The most bytes (after decompression) one corpus may hold: 256 MiB (``--max-corpus-bytes``)."""
CHUNK = 2**20


@dataclass(frozen=True)
class ReadLimits:
    """What a corpus read may take: ``--max-corpus-bytes`` and ``--follow-links``."""

    max_bytes: int = DEFAULT_MAX_CORPUS_BYTES
    """The most bytes one corpus may hold, after decompression."""
    follow_links: bool = False
    """Read a link below a folder that ends outside it (otherwise such a link is refused)."""
    option: str = "--max-corpus-bytes"
    """The option that sets ``max_bytes``, for the refusal's advice."""

    def __post_init__(self) -> None:
        if isinstance(self.max_bytes, bool) or not isinstance(self.max_bytes, int) or self.max_bytes < 1:
            raise CorpusError(f"{self.option} must be a positive number of bytes, got {self.max_bytes!r}")
URI = "file://"


def shown(path: str, limit: int = 80) -> str:
    """``path`` for a message: its bytes that are not UTF-8 as ``\\xNN``; a long one keeps its start and its
    end (the file's name) around an ellipsis."""
    text = os.fsencode(path).decode("utf-8", errors="backslashreplace")
    return text if len(text) <= limit else f"{text[:limit // 4]}…{text[-(limit - limit // 4):]}"


@dataclass
class Budget:
    """Bytes a read may still take: one pass over a corpus shares one budget across its files."""

    limit: int
    what: str
    """What is being read, for the refusal: ``corpus [a.txt]``, ``standard input``."""
    option: str = "--max-corpus-bytes"
    used: int = 0

    def take(self, n: int) -> None:
        self.used += n
        if self.used > self.limit:
            raise CorpusTooLarge(f"{self.what} holds more than {self.limit:,} bytes (after decompression); split it, "
                                 f"or raise {self.option} if the machine has the memory")


def open_regular(path: str) -> BinaryIO:
    """``path`` opened for reading, refusing anything but a regular file (after following a link)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a fifo opens without waiting for a writer
    except OSError as error:
        raise CorpusError(f"cannot read corpus file {shown(path)}: {(error.strerror or str(error)).lower()}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise CorpusError(f"{shown(path)} is not a regular file (a fifo, socket or device); peer reads text "
                              "from files, folders and standard input")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_chunks(path: str, budget: Budget) -> Iterator[bytes]:
    """The bytes of ``path`` (decompressed if it ends in ``.gz``) in pieces, refused as soon as they pass what
    is left of ``budget``."""
    with open_regular(path) as raw:
        stream: BinaryIO = gzip.GzipFile(fileobj=raw, mode="rb") if path.endswith(".gz") else raw  # type: ignore[assignment]
        try:
            while chunk := stream.read(min(CHUNK, budget.limit - budget.used + 1)):
                budget.take(len(chunk))
                yield chunk
        except (OSError, EOFError, zlib.error) as error:  # BadGzipFile is an OSError
            raise CorpusError(f"cannot read corpus file {shown(path)}: {error}") from None


def read_bounded(path: str, budget: Budget) -> bytes:
    """The whole of :func:`read_chunks`."""
    return b"".join(read_chunks(path, budget))


def read_stdin(limits: ReadLimits, stream: BinaryIO | None = None) -> bytes:
    """Standard input (or ``stream``), refused as soon as it passes ``limits.max_bytes``."""
    stream, limit = stream or sys.stdin.buffer, limits.max_bytes
    budget, pieces = Budget(limit, "standard input", limits.option), []
    while chunk := stream.read(min(CHUNK, limit + 1 - budget.used)):
        budget.take(len(chunk))
        pieces.append(chunk)
    return b"".join(pieces)


def leaves(path: Path, root: Path) -> bool:
    """Whether ``path`` (below ``root``) is a link that ends outside ``root``."""
    return path.is_symlink() and not path.resolve().is_relative_to(root.resolve())


def source_text(path: str) -> str:
    """``path`` as text a registry can store: itself when it is UTF-8, else a ``file://`` URI (lossless)."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return URI + quote_from_bytes(os.fsencode(path), safe="/")


def source_path(text: str) -> str:
    """The path :func:`source_text` wrote (a ``file://`` URI decoded to the file name's bytes)."""
    return os.fsdecode(unquote_to_bytes(text[len(URI):])) if text.startswith(URI + "/") else text


__all__ = [
    "DEFAULT_MAX_CORPUS_BYTES", "Budget", "ReadLimits", "leaves", "open_regular", "read_bounded", "read_chunks",
    "read_stdin", "shown", "source_path", "source_text",
]
