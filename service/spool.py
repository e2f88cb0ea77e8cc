"""An uploaded corpus, spooled into the store before its job is accepted.

The body streams into a temp file beside its final name in ``STORE/uploads/``
(the name :func:`peer_store.fsio.is_unfinished_write` knows, so ``fsck`` and
``gc`` treat a killed upload as a leftover), is fsynced, and is renamed to
``uploads/<job id><suffix>``. Every name is the server's own: the suffix says
how the corpus reader reads it (``.txt``, ``.jsonl``, either with ``.gz``) and
comes from the Content-Type, the ``format`` parameter and, for a multipart
part sent as ``application/octet-stream``, the file name's ending; the file
name itself is never used as a path.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.concurrency import run_in_threadpool

from peer_store.db.layout import UPLOADS, store_file
from peer_store.errors import ConfigError
from peer_store.fsio import fsync_dir, temp_file_for

TEXT = {"text/plain", "text/markdown", "text/x-python", "text/x-rst"}
JSONL = {"application/jsonl", "application/x-jsonlines", "application/jsonlines", "application/x-ndjson"}
GZIP = {"application/gzip", "application/x-gzip"}
BYTES = "application/octet-stream"
ACCEPTED = "text/plain, application/jsonl (or x-ndjson), application/gzip, or multipart/form-data with a file part"


class UnsupportedMedia(ConfigError):
    """A Content-Type the service cannot read as a corpus."""


def corpus_suffix(media_type: str | None, *, format: str | None = None, filename: str | None = None) -> str:
    """How to read an upload, as the suffix of its spooled file: ``format`` ('text' or 'jsonl') names the
    records of a gzip or octet-stream body; a multipart file name's ending (``.jsonl``, ``.gz``) stands in for
    a missing ``format``."""
    media = (media_type or BYTES).split(";")[0].strip().lower()
    ending = "".join(Path(filename or "").suffixes[-2:]).lower()
    if media in TEXT:
        return ".txt"
    if media in JSONL:
        return ".jsonl"
    if media in GZIP or (media == BYTES and ending.endswith(".gz")):
        jsonl = format == "jsonl" or (format is None and ending.endswith(".jsonl.gz"))
        return ".jsonl.gz" if jsonl else ".txt.gz"
    if media == BYTES:
        return ".jsonl" if format == "jsonl" or (format is None and ending.endswith(".jsonl")) else ".txt"
    raise UnsupportedMedia(f"cannot read a corpus sent as {media!r}; send {ACCEPTED}")


def upload_file(job_id: str, suffix: str) -> str:
    """The spooled file of a job, relative to the store (what its registry row names)."""
    assert job_id.isalnum() and suffix in (".txt", ".jsonl", ".txt.gz", ".jsonl.gz"), (job_id, suffix)
    return f"{UPLOADS}/{job_id}{suffix}"


async def spool(root: Path, file: str, chunks: AsyncIterator[bytes]) -> int:
    """Write ``chunks`` to ``root / file`` atomically; the bytes written. Nothing stays if it fails half-way
    (the body was too large, the client went away)."""
    final = store_file(root, file)
    tmp = temp_file_for(final)
    size = 0
    try:
        with open(tmp, "wb") as out:
            async for chunk in chunks:
                out.write(chunk)
                size += len(chunk)
        await run_in_threadpool(_commit, tmp, final)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return size


def _commit(tmp: Path, final: Path) -> None:
    with open(tmp, "rb+") as f:
        os.fsync(f.fileno())
    os.replace(tmp, final)
    fsync_dir(final.parent)


__all__ = ["ACCEPTED", "UnsupportedMedia", "corpus_suffix", "spool", "upload_file"]
