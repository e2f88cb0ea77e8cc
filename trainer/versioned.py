"""A model version on disk: backbone checkpoints, segment sets, and corpus snapshots.

A version of a store is its PEER segments (one ``SegmentRef`` per segment, by
layer) plus one backbone checkpoint: a safetensors file of every other weight
(embeddings, attention, dense FFNs, query networks and norms), with the model
config and tokenizer state in its metadata. Frozen segments are memory-mapped
when a version is opened.

Each registered corpus keeps a snapshot in ``STORE/corpora/<sha256>.jsonl.gz``:
its documents (already cut to ``doc_bytes``), one JSON line each. Later
versions are evaluated on it and replay reads from it, so a corpus read from
standard input or a folder that has since moved stays usable. Bytes that are
not UTF-8 survive the round trip (surrogate escapes), so the held-out split
is the same documents it was when the corpus was ingested.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import torch
from safetensors import safe_open
from safetensors.torch import save_file
from torch import nn

from peer_store import PEERLayer
from peer_store.db import CorpusRecord, FileRef, SegmentRef, Store
from peer_store.errors import StoreError
from peer_store.fsio import atomic_write, sha256_file
from peer_store.segment import Segment
from trainer.config import ModelConfig
from trainer.data import Corpus, Tokenizer, tokenizer_from_state
from trainer.errors import CorpusError
from trainer.ffn.peer import PEERFFN
from trainer.model import LanguageModel

BACKBONE_FORMAT = "peer-store/backbone/1"
CORPORA = "corpora"
_SEGMENT_PART = ".memory.segments."
_META_KEY = "peer-store"


@dataclass
class LoadedVersion:
    """A version opened for training or sampling."""

    number: int
    model: LanguageModel
    tokenizer: Tokenizer


def peer_layers(model: LanguageModel) -> list[tuple[int, PEERLayer]]:
    """``(block index, PEERLayer)`` of every PEER block, in order; the block index is the segment's layer."""
    return [(i, block.ffn.layer) for i, block in enumerate(model.blocks) if isinstance(block.ffn, PEERFFN)]


def _is_segment_key(name: str) -> bool:
    return _SEGMENT_PART in name or name.endswith("._extra_state")


# -- backbone checkpoints ----------------------------------------------------------------------
def backbone_state(model: LanguageModel) -> dict[str, torch.Tensor]:
    """Every weight but the expert segments, as separate CPU tensors (tied weights are copied)."""
    return {
        name: t.detach().to("cpu").contiguous().clone()
        for name, t in model.state_dict().items()
        if not _is_segment_key(name) and isinstance(t, torch.Tensor)
    }


def write_backbone(model: LanguageModel, tokenizer: Tokenizer, path: Path) -> None:
    meta = {"format": BACKBONE_FORMAT, "model": model.config.to_dict(), "tokenizer": tokenizer.state()}
    # One metadata key of sorted JSON: safetensors writes several keys in hash order, and the same
    # backbone would not always give the same bytes (and content address).
    save_file(backbone_state(model), str(path), metadata={_META_KEY: json.dumps(meta, sort_keys=True)})


def put_version_files(store: Store, model: LanguageModel, tokenizer: Tokenizer) -> tuple[list[SegmentRef], FileRef]:
    """Write every segment and the backbone under their content addresses (atomic; lock held)."""
    model = model.to("cpu")
    segments = [store.put_segment(seg, layer=i) for i, layer in peer_layers(model) for seg in layer.memory.segments]
    checkpoint = store.put_checkpoint(lambda path: write_backbone(model, tokenizer, path))
    return segments, checkpoint


def read_backbone(path: Path, sha256: str) -> tuple[dict[str, torch.Tensor], dict]:
    if not path.is_file():
        raise StoreError(f"{path}: backbone checkpoint is missing; run `peer fsck` to see what the store lost")
    if (actual := sha256_file(path)) != sha256:
        raise StoreError(
            f"{path}: checksum mismatch (expected sha256 {sha256[:12]}…, file has {actual[:12]}…); "
            "restore it from a backup or roll back to another version"
        )
    try:
        with safe_open(str(path), framework="pt") as f:
            meta = json.loads((f.metadata() or {}).get(_META_KEY, "{}"))
            tensors = {name: f.get_tensor(name) for name in f.keys()}
    except Exception as error:  # safetensors raises its own types
        raise StoreError(f"{path}: unreadable backbone checkpoint ({error})") from error
    found = meta.get("format") if isinstance(meta, dict) else None
    if found != BACKBONE_FORMAT:
        raise StoreError(f"{path}: not a peer-store backbone checkpoint (format {found!r})")
    return tensors, meta


def assemble(config: ModelConfig, segments: dict[int, list[Segment]], backbone: dict[str, torch.Tensor]) -> LanguageModel:
    """A model of ``config`` whose PEER memories hold ``segments`` (by layer) and whose other
    weights are ``backbone``."""
    model = LanguageModel(config)
    layers = dict(peer_layers(model))
    if set(segments) != set(layers):
        raise StoreError(
            f"the version has segments for layers {sorted(segments)}, the model config has PEER layers "
            f"{sorted(layers)}; the store config and its files disagree"
        )
    for i, layer in layers.items():
        layer.memory.segments = nn.ModuleList(segments[i])
        layer.memory.growth_step = len(segments[i])
    missing, unexpected = model.load_state_dict(backbone, strict=False)
    missing = [k for k in missing if not _is_segment_key(k)]
    if missing or unexpected:
        raise StoreError(
            f"the backbone checkpoint does not fit the model config (missing {missing[:3]}, unexpected "
            f"{unexpected[:3]}); the store config and its files disagree"
        )
    return model


def load_version(store: Store, ref: int | str = "current") -> LoadedVersion:
    """The model and tokenizer of a ready version; frozen segments are memory-mapped."""
    detail = store.detail(ref)
    if detail.version.status != "ready":
        raise StoreError(f"version {detail.version.number} is {detail.version.status}; only ready versions load")
    if detail.checkpoint is None:
        raise StoreError(f"version {detail.version.number} has no backbone checkpoint; it cannot be loaded")
    backbone, meta = read_backbone(store.file_path(detail.checkpoint), detail.checkpoint.sha256)
    config = ModelConfig.from_dict(meta["model"])
    segments: dict[int, list[Segment]] = {}
    for seg_ref in detail.segments:
        segments.setdefault(seg_ref.layer, []).append(store.load_segment(seg_ref))
    model = assemble(config, segments, backbone)
    return LoadedVersion(detail.version.number, model, tokenizer_from_state(meta["tokenizer"]))


# -- corpus snapshots --------------------------------------------------------------------------
def snapshot_path(store: Store, sha256: str) -> Path:
    return store.path / CORPORA / f"{sha256}.jsonl.gz"


def _snapshot_lines(corpus: Corpus) -> Iterator[bytes]:
    for doc in corpus.documents():
        text = doc.data.decode("utf-8", errors="surrogateescape")
        yield json.dumps({"text": text}).encode("ascii") + b"\n"


def write_snapshot(store: Store, corpus: Corpus, sha256: str) -> Path:
    """Keep the corpus's documents in the store (atomic; same content, same name)."""
    path = snapshot_path(store, sha256)

    def write(tmp: Path) -> None:
        with gzip.open(tmp, "wb", compresslevel=6) as f:
            for line in _snapshot_lines(corpus):
                f.write(line)

    atomic_write(path, write)
    return path


def open_registered(store: Store, record: CorpusRecord, doc_bytes: int) -> Corpus:
    """A registered corpus, from its snapshot (or, if that is gone, from its source when unchanged)."""
    path = snapshot_path(store, record.sha256)
    if path.is_file():
        return Corpus([str(path)], format="jsonl", doc_bytes=doc_bytes)
    if record.source != "-":
        try:
            corpus = Corpus([record.source], doc_bytes=doc_bytes)
            if corpus.fingerprint() == record.sha256:
                return corpus
        except CorpusError:
            pass
    raise StoreError(
        f"the registered corpus {record.name!r} has no snapshot ({path}) and its source {record.source} is gone "
        "or changed; restore the snapshot from a backup"
    )
