"""Shell files on disk: safetensors, sha256 checksums, atomic writes, memory-mapped loads.

A shell file holds ``sub_keys``, ``down`` and ``up`` plus metadata (its shape:
``n_keys``, ``start``, widths). Whether a shell is frozen is a fact about the
version that holds it, recorded by the caller (the registry, a manifest), not
about the file: freezing a shell writes nothing, and a store holds every
expert row once. Files of stores made before shells (format
``peer-store/segment/1``: a grid of its own, with a frozen flag the load
ignores) still load. Writes go to a temporary file in the same folder, are
fsynced, then renamed over the target, and the folder is fsynced: a crash
leaves either the old file or the new one, never half of one. Loads check the
sha256 the caller recorded, and the header against the file's length, before
any tensor is made; frozen shells are mapped copy-on-write, not read.
"""

from __future__ import annotations

import json
import mmap
import os
import struct
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import save_file

from peer_store.errors import StoreError
from peer_store.fsio import atomic_write, fsync_dir, sha256_file
from peer_store.memory import ExpertMemory
from peer_store.segment import Segment, shell_experts

FORMAT = "peer-store/shell/1"
SEGMENT_FORMAT = "peer-store/segment/1"
"""Files written before shells: a segment was a grid of its own (``start`` 0)."""
_DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "F64": torch.float64}
_TENSORS = ("sub_keys", "down", "up")
_META_KEY = "peer-store"


def save_segment(segment: Segment, path: Path) -> dict[str, Any]:
    """Write a shell atomically; returns ``{"sha256", "bytes"}`` of the written file."""
    tensors = {
        "sub_keys": segment.sub_keys.detach().contiguous().cpu(),
        "down": segment.down.weight.detach().contiguous().cpu(),
        "up": segment.up.weight.detach().contiguous().cpu(),
    }
    meta = {
        "format": FORMAT,
        "n_keys": segment.n_keys,
        "start": segment.start,
        "d_model": segment.d_model,
        "d_half": segment.d_half,
    }
    # One metadata key holding sorted JSON: safetensors writes several keys in hash order, and
    # then the same segment would not always give the same bytes (and content address).
    header = {_META_KEY: json.dumps(meta, sort_keys=True)}
    atomic_write(Path(path), lambda tmp: save_file(tensors, str(tmp), metadata=header))
    return {"sha256": sha256_file(path), "bytes": Path(path).stat().st_size}


def _read_header(path: Path, size: int) -> tuple[dict[str, Any], int]:
    with open(path, "rb") as f:
        raw = f.read(8)
        if len(raw) < 8:
            raise StoreError(f"{path}: truncated segment file ({size} bytes); restore it from a backup or re-train")
        (n,) = struct.unpack("<Q", raw)
        if n > min(size - 8, 1 << 24):
            raise StoreError(f"{path}: corrupted segment header (length {n}); restore the file or re-train")
        try:
            header = json.loads(f.read(n))
        except ValueError as exc:
            raise StoreError(f"{path}: corrupted segment header ({exc}); restore the file or re-train") from exc
    return header, 8 + n


def load_segment(path: Path, *, frozen: bool, sha256: str | None = None, mmap_frozen: bool = True) -> Segment:
    """Read a shell file (or a segment file of a store made before shells), refusing a missing, truncated,
    tampered or foreign one.

    ``frozen``: whether the version being loaded holds the shell frozen. With ``sha256`` the file must
    hash to it. A frozen shell is mapped copy-on-write (``mmap_frozen``): pages are read on first use and
    shared.
    """
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"{path}: segment file is missing; run `peer fsck` to see what the store lost")
    size = path.stat().st_size
    if sha256 is not None and (actual := sha256_file(path)) != sha256:
        raise StoreError(
            f"{path}: checksum mismatch (expected sha256 {sha256[:12]}…, file has {actual[:12]}…); "
            "the file was changed or corrupted, restore it from a backup"
        )
    header, data_start = _read_header(path, size)
    try:
        meta = json.loads((header.pop("__metadata__", None) or {}).get(_META_KEY, "{}"))
    except ValueError:
        meta = {}
    if not isinstance(meta, dict) or meta.get("format") not in (FORMAT, SEGMENT_FORMAT):
        raise StoreError(f"{path}: not a peer-store shell file (format {meta.get('format')!r})")
    try:
        n_keys, d_model, d_half = int(meta["n_keys"]), int(meta["d_model"]), int(meta["d_half"])
        start = int(meta["start"]) if meta["format"] == FORMAT else 0
        specs = {name: header[name] for name in _TENSORS}
    except (KeyError, ValueError) as exc:
        raise StoreError(f"{path}: shell metadata is incomplete ({exc}); restore the file or re-train") from exc
    rows = shell_experts(start, n_keys)
    expected = {"sub_keys": (2, n_keys, d_half), "down": (rows, d_model), "up": (rows, d_model)}
    for name, spec in specs.items():
        begin, end = spec["data_offsets"]
        if tuple(spec["shape"]) != expected[name] or spec["dtype"] not in _DTYPES:
            raise StoreError(f"{path}: tensor {name} has shape {spec['shape']} {spec['dtype']}, expected {expected[name]}")
        if data_start + end > size:
            raise StoreError(
                f"{path}: truncated segment file ({size} bytes, tensor {name} ends at {data_start + end}); "
                "restore it from a backup or re-train"
            )
    tensors = {}
    if frozen and mmap_frozen:
        with open(path, "rb") as f:
            mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY)
        for name, spec in specs.items():
            begin, end = spec["data_offsets"]
            dtype = _DTYPES[spec["dtype"]]
            count = (end - begin) // dtype.itemsize
            tensors[name] = torch.frombuffer(mapped, dtype=dtype, count=count, offset=data_start + begin).view(
                expected[name]
            )
    else:
        from safetensors.torch import load_file

        try:
            tensors = load_file(str(path))
        except Exception as exc:  # safetensors raises its own types
            raise StoreError(f"{path}: unreadable segment file ({exc}); restore it or re-train") from exc
    segment = Segment(n_keys, d_model, d_half, start=start, sub_keys=tensors["sub_keys"], down=tensors["down"],
                      up=tensors["up"])
    if frozen:
        segment.freeze()
    return segment


def save_memory(memory: ExpertMemory, directory: Path) -> dict[str, Any]:
    """Write every shell as ``<sha256>.safetensors`` and a ``manifest.json`` (atomic, last) that records
    which are frozen."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    entries = []
    for i, seg in enumerate(memory.segments):
        tmp_name = directory / f"segment-{i}.safetensors"
        info = save_segment(seg, tmp_name)
        final = directory / f"{info['sha256']}.safetensors"
        os.replace(tmp_name, final)
        entries.append({"file": final.name, "n_keys": seg.n_keys, "start": seg.start, "frozen": seg.frozen, **info})
    fsync_dir(directory)
    manifest = {
        "format": "peer-store/memory/1",
        "d_model": memory.d_model,
        "d_key": memory.d_key,
        "growth_step": memory.growth_step,
        "segments": entries,
    }
    atomic_write(directory / "manifest.json", lambda tmp: tmp.write_text(json.dumps(manifest, indent=2)))
    return manifest


def load_memory(directory: Path, *, mmap_frozen: bool = True, verify: bool = True) -> ExpertMemory:
    """Read a memory written by :func:`save_memory`, checking every file's sha256 (``verify``)."""
    directory = Path(directory)
    manifest_path = directory / "manifest.json"
    if not manifest_path.is_file():
        raise StoreError(f"{directory}: no manifest.json; is this a folder written by save_memory?")
    try:
        manifest = json.loads(manifest_path.read_text())
    except ValueError as exc:
        raise StoreError(f"{manifest_path}: corrupted manifest ({exc})") from exc
    if manifest.get("format") != "peer-store/memory/1":
        raise StoreError(f"{manifest_path}: unknown memory format {manifest.get('format')!r}")
    memory = ExpertMemory(manifest["d_model"], manifest["d_key"])
    for entry in manifest["segments"]:
        seg = load_segment(directory / entry["file"], frozen=bool(entry["frozen"]),
                           sha256=entry["sha256"] if verify else None, mmap_frozen=mmap_frozen)
        shape = (entry["n_keys"], entry.get("start", 0), memory.d_model, memory.d_half)
        if (seg.n_keys, seg.start, seg.d_model, seg.d_half) != shape:
            raise StoreError(f"{directory / entry['file']}: shell shape does not match the manifest")
        memory.segments.append(seg)
    memory.growth_step = manifest["growth_step"]
    return memory
