"""A store's files under content addresses: segments, backbone checkpoints, route files and students are
written to staging, named by their sha256 and moved into place, so a file is written once however many
versions use it, and a crash leaves at most a staging file or an unreferenced one (``peer gc``)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from peer_store.db import models as m
from peer_store.db.layout import CHECKPOINTS, ROUTES, SEGMENTS, STAGING, STUDENTS, store_file
from peer_store.db.records import FileRef, SegmentRef
from peer_store.fsio import atomic_write, fsync_dir, sha256_file

if TYPE_CHECKING:
    from peer_store.segment import Segment


class ContentFiles:
    """The file side of :class:`~peer_store.db.store.Store` (a part of it: it has the store's folder and its
    writer check)."""

    path: Path

    def file_path(self, ref: FileRef | SegmentRef) -> Path:
        """Where the file of ``ref`` lies; refused (``UnsafePath``) unless inside the store's file folders."""
        return store_file(self.path, ref.file)

    def load_segment(self, ref: SegmentRef, *, mmap_frozen: bool = True) -> Segment:
        """The ``peer_store.Segment`` of ``ref``, checked against its sha256."""
        from peer_store.files import load_segment  # torch: only where segments are touched

        return load_segment(self.file_path(ref), frozen=ref.frozen, sha256=ref.sha256, mmap_frozen=mmap_frozen)


    def _put(self, folder: str, suffix: str, write_atomically: Callable[[Path], Any]) -> FileRef:
        staging = store_file(self.path, f"{STAGING}/{uuid.uuid4().hex}{suffix}")
        write_atomically(staging)
        digest = sha256_file(staging)
        final = store_file(self.path, f"{folder}/{digest}{suffix}")
        final.parent.mkdir(exist_ok=True)
        os.replace(staging, final)  # same content, same name: replacing heals a corrupted copy
        fsync_dir(final.parent)
        return FileRef(file=f"{folder}/{final.name}", sha256=digest, bytes=final.stat().st_size)

    def put_segment(self, segment: Segment, *, layer: int) -> SegmentRef:
        """Write a ``peer_store.Segment`` of PEER layer ``layer`` under its content address."""
        self.require_writer()
        from peer_store.files import save_segment  # torch: only where segments are touched

        ref = self._put(SEGMENTS, ".safetensors", lambda tmp: save_segment(segment, tmp))
        return SegmentRef(
            layer=layer,
            n_keys=segment.n_keys,
            n_experts=segment.num_experts,
            frozen=segment.frozen,
            file=ref.file,
            sha256=ref.sha256,
            bytes=ref.bytes,
        )

    def put_artifact(self, kind: str, write: Callable[[Path], None]) -> FileRef:
        """Write a route's file (``kind``: 'profile' or 'deltas'): ``write(path)`` writes it, the store names it
        by sha256."""
        self.require_writer()
        assert kind in m.ARTIFACT_KINDS, kind
        return self._put(ROUTES, ".safetensors", lambda path: atomic_write(path, write))

    def put_checkpoint(self, write: Callable[[Path], None], *, suffix: str = ".safetensors") -> FileRef:
        """Write a backbone checkpoint: ``write(path)`` writes the file, the store names it by sha256."""
        self.require_writer()
        return self._put(CHECKPOINTS, suffix, lambda path: atomic_write(path, write))

    def put_student(self, write: Callable[[Path], None]) -> FileRef:
        """Write a distilled student's weights: ``write(path)`` writes the file, the store names it by sha256."""
        self.require_writer()
        return self._put(STUDENTS, ".safetensors", lambda path: atomic_write(path, write))
