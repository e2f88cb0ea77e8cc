"""A store version on disk: backbone checkpoint, segments, routes (profiles and deltas), corpus snapshots.

A version of a store is its PEER segments (one ``SegmentRef`` per segment, by
layer), one backbone checkpoint (a safetensors file of every other weight of the
language model, with the model config and tokenizer state in its metadata) and,
for a routing method, its routes: per route the corpus it learnt, how many
segments per layer it retrieves from, its n-gram profile and its low-rank deltas
(safetensors files in ``routes/``). Every file is content-addressed and written
atomically; a file a version takes over unchanged from its parent (a frozen
segment, a frozen backbone, an earlier route's profile and deltas) is referenced
again, not rewritten. Frozen segments are memory-mapped when a version is opened,
and the model is built once, on the meta device, and loaded (no random weights
that are then replaced).

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
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import torch
from safetensors import safe_open
from safetensors.torch import save_file
from torch import nn

from continual.bases.hf import HFBaseConfig, HFLanguageModel
from continual.lora import LoRADeltas
from continual.routed import Route, RoutedModel, peer_layers
from continual.router import NgramProfile
from peer_store.db import CorpusRecord, FileRef, RouteRef, SegmentRef, Store
from peer_store.db.check import snapshot_file
from peer_store.db.layout import store_file
from peer_store.errors import StoreError
from peer_store.fsio import atomic_write, sha256_file
from peer_store.segment import Segment
from trainer.config import ModelConfig
from trainer.data import Corpus, Document, Tokenizer, tokenizer_from_state
from trainer.errors import CorpusError
from trainer.model import LanguageModel

BACKBONE_FORMAT = "peer-store/backbone/1"
PROFILE_FORMAT = "peer-store/profile/1"
DELTAS_FORMAT = "peer-store/deltas/1"
STUDENT_FORMAT = "peer-store/student/1"
_SEGMENT_PART = ".memory.segments."
_META_KEY = "peer-store"


@dataclass
class VersionFiles:
    """The files a loaded version came from, so that what stays unchanged is referenced, not rewritten."""

    checkpoint: FileRef | None = None
    segments: dict[int, SegmentRef] = field(default_factory=dict)
    """``id(segment module) -> SegmentRef`` of every loaded segment."""
    routes: list[RouteRef] = field(default_factory=list)


@dataclass
class LoadedVersion:
    """A version opened for training, scoring or sampling."""

    number: int
    model: RoutedModel
    tokenizer: Tokenizer
    files: VersionFiles


def _is_segment_key(name: str) -> bool:
    return _SEGMENT_PART in name or name.endswith("._extra_state")


# -- safetensors with one metadata key ----------------------------------------------------------
def _save(tensors: dict[str, torch.Tensor], meta: dict, path: Path) -> None:
    # One metadata key of sorted JSON: safetensors writes several keys in hash order, and the same
    # content would not always give the same bytes (and content address).
    save_file(tensors, str(path), metadata={_META_KEY: json.dumps(meta, sort_keys=True)})


def _read(path: Path, sha256: str, what: str, fmt: str) -> tuple[dict[str, torch.Tensor], dict]:
    if not path.is_file():
        raise StoreError(f"{path}: {what} is missing; run `peer fsck` to see what the store lost")
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
        raise StoreError(f"{path}: unreadable {what} ({error})") from error
    found = meta.get("format") if isinstance(meta, dict) else None
    if found != fmt:
        raise StoreError(f"{path}: not a peer-store {what} (format {found!r})")
    return tensors, meta


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
    _save(backbone_state(model), meta, path)


def read_backbone(path: Path, sha256: str) -> tuple[dict[str, torch.Tensor], dict]:
    return _read(path, sha256, "backbone checkpoint", BACKBONE_FORMAT)


# -- distilled students -----------------------------------------------------------------------
def write_student(model: LanguageModel, tokenizer: Tokenizer, path: Path, **meta) -> None:
    """A dense student (``peer distill``): every weight, the model config and tokenizer state in the metadata,
    and ``meta`` (its teacher, alpha, ...)."""
    _save(backbone_state(model), {**meta, "format": STUDENT_FORMAT, "model": model.config.to_dict(),
                                  "tokenizer": tokenizer.state()}, path)


def read_student(path: Path, sha256: str) -> tuple[LanguageModel, Tokenizer, dict]:
    """The student in ``path`` (checked against ``sha256``), built on the meta device and loaded."""
    tensors, meta = _read(path, sha256, "student", STUDENT_FORMAT)
    try:
        config = ModelConfig.from_dict(meta["model"])
        with torch.device("meta"):
            model = LanguageModel(config)
        model.load_state_dict(tensors, strict=True, assign=True)
        tokenizer = tokenizer_from_state(meta["tokenizer"])
    except (KeyError, TypeError, ValueError, RuntimeError) as error:
        raise StoreError(f"{path}: a student whose weights do not fit its config ({str(error).splitlines()[0]})") from None
    if config.tie_embeddings:
        model.head.weight = model.embed.weight  # assign=True loaded two tensors; tie them again
    return model, tokenizer, meta


# -- route files -------------------------------------------------------------------------------
def write_profile(profile: NgramProfile, path: Path) -> None:
    _save(profile.tensors(), {"format": PROFILE_FORMAT, **profile.settings()}, path)


def read_profile(path: Path, sha256: str) -> NgramProfile:
    tensors, meta = _read(path, sha256, "n-gram profile", PROFILE_FORMAT)
    try:
        return NgramProfile.from_state(meta, tensors)
    except (KeyError, TypeError, ValueError) as error:
        raise StoreError(f"{path}: a malformed n-gram profile ({error})") from None


def write_deltas(deltas: LoRADeltas, path: Path) -> None:
    meta = {"format": DELTAS_FORMAT, "rank": deltas.rank, "shapes": deltas.shapes()}
    state = {name: t.detach().cpu().contiguous() for name, t in deltas.state_dict().items()}
    _save(state, meta, path)


def read_deltas(path: Path, sha256: str, d_model: int, vocab: int) -> LoRADeltas:
    tensors, meta = _read(path, sha256, "low-rank deltas file", DELTAS_FORMAT)
    try:
        shapes = {name: (int(i), int(o)) for name, (i, o) in meta["shapes"].items()}
        deltas = LoRADeltas(d_model, vocab, shapes, int(meta["rank"]))
        deltas.load_state_dict(tensors)
    except (KeyError, TypeError, ValueError, RuntimeError) as error:
        raise StoreError(f"{path}: deltas that do not fit the model ({str(error).splitlines()[0]})") from None
    return deltas.requires_grad_(False)


# -- a whole version ---------------------------------------------------------------------------
def model_config(data: dict) -> ModelConfig | HFBaseConfig:
    """The config a checkpoint recorded: a Hugging Face base's (``kind='hf'``) or the built-in LM's."""
    return HFBaseConfig.from_dict(data) if data.get("kind") == "hf" else ModelConfig.from_dict(data)


def build_model(config: ModelConfig | HFBaseConfig) -> LanguageModel | HFLanguageModel:
    """The (randomly initialised) language model of ``config``."""
    return HFLanguageModel(config) if isinstance(config, HFBaseConfig) else LanguageModel(config)


def assemble(config: ModelConfig | HFBaseConfig, segments: dict[int, list[Segment]],
             backbone: dict[str, torch.Tensor]) -> LanguageModel | HFLanguageModel:
    """A model of ``config`` whose PEER memories hold ``segments`` (by layer) and whose other weights are
    ``backbone``, built once on the meta device and loaded (no weights are drawn and thrown away). A Hugging
    Face base is built on the CPU: its non-persistent buffers (rotary frequencies) are computed when it is
    built, not loaded."""
    with torch.device("cpu" if isinstance(config, HFBaseConfig) else "meta"):
        model = build_model(config)
    layers = dict(peer_layers(model))
    if set(segments) != set(layers):
        raise StoreError(
            f"the version has segments for layers {sorted(segments)}, the model config has PEER layers "
            f"{sorted(layers)}; the store config and its files disagree"
        )
    for i, layer in layers.items():
        layer.memory.segments = nn.ModuleList(segments[i])
        layer.memory.growth_step = len(segments[i])
    missing, unexpected = model.load_state_dict(backbone, strict=False, assign=True)
    missing = [k for k in missing if not _is_segment_key(k)]
    if missing or unexpected:
        raise StoreError(
            f"the backbone checkpoint does not fit the model config (missing {missing[:3]}, unexpected "
            f"{unexpected[:3]}); the store config and its files disagree"
        )
    if isinstance(model, HFLanguageModel):
        model.hf.tie_weights()  # assign=True loaded two tensors where the base ties them; tie them again
    elif config.tie_embeddings:
        model.head.weight = model.embed.weight  # assign=True loaded two tensors; tie them again
    assert not any(t.is_meta for t in [*model.parameters(), *model.buffers()]), "a weight was left unloaded"
    return model


def load_version(store: Store, ref: int | str = "current") -> LoadedVersion:
    """The routed model and tokenizer of a ready version; frozen segments are memory-mapped."""
    detail = store.detail(ref)
    if detail.version.status != "ready":
        raise StoreError(f"version {detail.version.number} is {detail.version.status}; only ready versions load")
    if detail.checkpoint is None:
        raise StoreError(f"version {detail.version.number} has no backbone checkpoint; it cannot be loaded")
    backbone, meta = read_backbone(store.file_path(detail.checkpoint), detail.checkpoint.sha256)
    config = model_config(meta["model"])
    files = VersionFiles(checkpoint=detail.checkpoint, routes=list(detail.routes))
    segments: dict[int, list[Segment]] = {}
    for seg_ref in detail.segments:
        segment = store.load_segment(seg_ref)
        files.segments[id(segment)] = seg_ref
        segments.setdefault(seg_ref.layer, []).append(segment)
    model = RoutedModel(assemble(config, segments, backbone))
    for r, route in enumerate(detail.routes):
        profile = None if route.profile is None else read_profile(store.file_path(route.profile), route.profile.sha256)
        model.routes.append(Route(route.corpus, profile, dict(route.segments), route.learnt_by))
        if route.deltas is not None:
            model.deltas[str(r)] = read_deltas(store.file_path(route.deltas), route.deltas.sha256,
                                               config.d_model, config.vocab_size)
    return LoadedVersion(detail.version.number, model, tokenizer_from_state(meta["tokenizer"]), files)


def _backbone_unchanged(lm: LanguageModel) -> bool:
    """Whether training could not have moved any backbone weight (all frozen, no batch-norm statistics)."""
    frozen = all(not p.requires_grad for name, p in lm.named_parameters() if not _is_segment_key(name))
    return frozen and not any(isinstance(m, nn.modules.batchnorm._BatchNorm) for m in lm.modules())


def put_version_files(
    store: Store, model: RoutedModel, tokenizer: Tokenizer, parent: VersionFiles | None, *, number: int
) -> tuple[list[SegmentRef], FileRef, list[RouteRef]]:
    """Write what is new in ``model`` (version ``number``) under content addresses (atomic; lock held) and
    reference again what it took over unchanged from ``parent``: frozen segments, a frozen backbone, earlier
    routes' files."""
    model = model.to("cpu")
    lm = model.lm
    parent = parent or VersionFiles()
    segments = []
    for i, layer in peer_layers(lm):
        for seg in layer.memory.segments:
            known = parent.segments.get(id(seg))  # frozen now: not trained since loaded, so its file serves; the
            if known is not None and seg.frozen:  # version records it frozen (freezing writes nothing)
                segments.append(replace(known, frozen=True))
            else:
                segments.append(store.put_segment(seg, layer=i))
    if parent.checkpoint is not None and _backbone_unchanged(lm):
        checkpoint = parent.checkpoint
    else:
        checkpoint = store.put_checkpoint(lambda path: write_backbone(lm, tokenizer, path))
    routes = []
    for r, route in enumerate(model.routes):
        deltas = model.route_deltas(r)
        if r < len(parent.routes) and (deltas is None or not any(p.requires_grad for p in deltas.parameters())):
            routes.append(parent.routes[r])
            continue
        profile = None if route.profile is None else store.put_artifact(
            "profile", lambda path, p=route.profile: write_profile(p, path))
        delta_ref = None if deltas is None else store.put_artifact(
            "deltas", lambda path, d=deltas: write_deltas(d, path))
        routes.append(RouteRef(route.name, dict(route.segments), profile, delta_ref, learnt_by=number))
    return segments, checkpoint, routes


# -- corpus snapshots --------------------------------------------------------------------------
def snapshot_path(store: Store, sha256: str) -> Path:
    """A corpus's snapshot, for a fingerprint that may come from the registry: refused unless it stays inside
    ``corpora/`` (no ``..``, no links)."""
    return store_file(store.path, snapshot_file(sha256))


def write_snapshot(store: Store, documents: Iterable[Document], sha256: str) -> Path:
    """Keep a corpus's documents in the store (atomic; same content, same name)."""
    path = snapshot_path(store, sha256)
    path.parent.mkdir(exist_ok=True)

    def write(tmp: Path) -> None:
        with gzip.open(tmp, "wb", compresslevel=6) as f:
            for doc in documents:
                text = doc.data.decode("utf-8", errors="surrogateescape")
                f.write(json.dumps({"text": text}).encode("ascii") + b"\n")

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


__all__ = [
    "LoadedVersion", "VersionFiles", "assemble", "backbone_state", "build_model", "load_version", "model_config", "open_registered",
    "peer_layers", "put_version_files", "read_backbone", "read_deltas", "read_profile", "snapshot_path",
    "read_student", "write_backbone", "write_deltas", "write_profile", "write_snapshot", "write_student",
]
