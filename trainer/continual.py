"""The continual-learning procedures behind ``peer``: init, ingest, rollback, generate.

Each is a straight line: setup -> fit -> evaluate -> commit.

    from peer_store.db import Store
    from trainer.continual import create_store, ingest

    create_store("my-store", base_corpus="python/")                 # version 1
    with Store.open("my-store") as store:
        result = ingest(store, "shakespeare.md", keys=32, steps=300)  # version 2

An ingest takes the store's lock first (a second ingest is refused at once),
checks the corpus (nothing is written for bad input), then begins a version
(status ``training``, parent: the current version), opens the parent's model
(frozen segments memory-mapped), freezes every segment, grows a new one per
PEER layer with sub-keys from k-means over the new corpus's queries at that
layer, trains, evaluates held-out loss on every registered corpus, writes the
segment files, the backbone checkpoint and the corpus snapshot atomically
under content addresses, and marks the version ready in one transaction.
Anything that fails or is killed before that leaves the parent current and
the attempt failed (a killed process's version is marked failed by the next
writer); running the same ingest again works.

Text is bytes: the byte tokenizer reads any encoding, so invalid UTF-8 is
ingested as the bytes it is. A file holding NUL bytes is refused as binary.
"""

from __future__ import annotations

import contextlib
import logging
import random
import re
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lightning as L
import torch
from lightning.pytorch.callbacks import Callback, RichProgressBar
from torch.utils.data import DataLoader, IterableDataset

from peer_store import PEERLayer
from peer_store.db import CorpusRecord, EvaluationRecord, IngestRecord, Store, VersionInfo
from peer_store.db.errors import VersionStateError
from peer_store.errors import ConfigError
from peer_store.index import kmeans_sub_keys
from trainer.continual_config import FREEZE_MODES, ContinualConfig
from trainer.data import ByteTokenizer, Corpus, PackedStream, Tokenizer, is_heldout
from trainer.devices import accelerator_device, on_device
from trainer.errors import CorpusError, DuplicateCorpus
from trainer.fit import LossHistory, evaluate
from trainer.model import LanguageModel
from trainer.module import LMModule
from trainer.versioned import load_version, open_registered, peer_layers, put_version_files, write_snapshot

Say = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


# -- the corpus ---------------------------------------------------------------------------------
@dataclass
class CorpusCheck:
    """A corpus that passed the checks, measured (one pass over its documents)."""

    corpus: Corpus
    source: str
    sha256: str
    bytes: int
    documents: int
    train_tokens: int
    heldout_tokens: int

    @property
    def tokens(self) -> int:
        return self.train_tokens + self.heldout_tokens

    def record(self, name: str) -> CorpusRecord:
        return CorpusRecord(name=name, source=self.source, sha256=self.sha256, bytes=self.bytes,
                            tokens=self.tokens, documents=self.documents)


def check_corpus(
    source: str | Path, config: ContinualConfig, *, include: list[str] | None = None, stdin: bytes | None = None
) -> CorpusCheck:
    """Open and measure a corpus, refusing what cannot train: missing, empty, binary, too small."""
    source = str(source)
    corpus = Corpus([source], include=include or ["*"], doc_bytes=config.doc_bytes, stdin=stdin)
    n_bytes = n_docs = train = heldout = 0
    for doc in corpus.documents():
        if b"\x00" in doc.data:
            raise CorpusError(
                f"{doc.name.split('#')[0]} looks binary (it holds NUL bytes); peer ingests text: "
                "pass text files, or narrow a directory with --include"
            )
        n_bytes, n_docs = n_bytes + len(doc.data), n_docs + 1
        tokens = len(doc.data) + 1  # bytes + end of document
        if is_heldout(doc.data, config.heldout_fraction):
            heldout += tokens
        else:
            train += tokens
    if n_bytes == 0:
        where = "standard input" if source == "-" else source
        raise CorpusError(f"corpus {where} is empty (it holds no text); give it some text")
    need = config.seq_len + 1
    if train < need or heldout < need:
        raise CorpusError(
            f"corpus {source} is too small: {n_bytes} bytes in {n_docs} documents give {train} training and "
            f"{heldout} held-out tokens, and each needs at least {need}; add text "
            f"(documents of up to {config.doc_bytes} bytes, {config.heldout_fraction:.0%} held out by content hash)"
        )
    resolved = source if source == "-" or not Path(source).exists() else str(Path(source).resolve())
    return CorpusCheck(corpus, resolved, corpus.fingerprint(), n_bytes, n_docs, train, heldout)


def default_corpus_name(source: str) -> str:
    if source == "-":
        return "stdin"
    path = Path(source)
    stem = path.name.split(".")[0] if path.exists() else source
    return re.sub(r"[^\w.-]+", "-", stem).strip("-.") or "corpus"


def pick_name(store: Store, check: CorpusCheck, name: str | None, *, force: bool) -> str:
    """The corpus name, refusing a duplicate fingerprint (unless ``force``) or a taken name."""
    same = store.find_corpus(sha256=check.sha256)
    if same is not None:
        if not force:
            raise DuplicateCorpus(
                f"this corpus was already ingested as {same.name!r} (sha256 {check.sha256[:12]}…); "
                "pass --force to train on it again"
            )
        if name is not None and name != same.name:
            raise DuplicateCorpus(f"this corpus is registered as {same.name!r}; ingest it again under that --name")
        return same.name
    name = name or default_corpus_name(check.source)
    if store.find_corpus(name=name) is not None:
        raise ConfigError(f"the store already has a different corpus named {name!r}; pick another --name")
    return name


# -- training -----------------------------------------------------------------------------------
class ReplayMix(IterableDataset):
    """Training windows of the new corpus; each is replaced, with probability ``fraction``, by
    the next window of an earlier corpus (chosen uniformly). Seeded: the same mix every run."""

    def __init__(self, new: PackedStream, old: list[PackedStream], fraction: float, seed: int):
        super().__init__()
        self.new, self.old, self.fraction, self.seed = new, old, fraction, seed

    def __iter__(self) -> Iterator[torch.Tensor]:
        rng = random.Random(self.seed)
        new, old = iter(self.new), [iter(s) for s in self.old]
        while True:
            if old and rng.random() < self.fraction:
                yield next(old[rng.randrange(len(old))])
            else:
                yield next(new)


def train_windows(corpus: Corpus, tokenizer: Tokenizer, config: ContinualConfig, *, seed: int) -> PackedStream:
    return PackedStream(
        corpus, tokenizer, seq_len=config.seq_len, split="train", heldout_fraction=config.heldout_fraction,
        repeat=True, shuffle=True, seed=seed, batch_size=1, rank=0, world_size=1,
    )


def heldout_windows(corpus: Corpus, tokenizer: Tokenizer, config: ContinualConfig) -> PackedStream:
    return PackedStream(
        corpus, tokenizer, seq_len=config.seq_len, split="heldout", heldout_fraction=config.heldout_fraction,
        rank=0, world_size=1,
    )


@torch.no_grad()
def capture_inputs(
    model: LanguageModel,
    modules: dict[int, torch.nn.Module],
    windows: IterableDataset,
    batches: int,
    batch_size: int,
    *,
    transform: Callable[[torch.Tensor], torch.Tensor] = lambda x: x,
) -> dict[int, torch.Tensor]:
    """What enters each of ``modules`` (``transform`` ed, then flattened to ``[T, d]``) while ``model`` runs in
    eval mode on ``batches`` batches of ``windows``."""
    inputs: dict[int, list[torch.Tensor]] = {i: [] for i in modules}
    hooks = [
        m.register_forward_pre_hook(lambda _m, args, i=i: inputs[i].append(transform(args[0]).flatten(0, -2)))
        for i, m in modules.items()
    ]
    was_training = model.training
    model.eval()
    try:
        it = iter(windows)
        for _ in range(batches):
            batch = torch.stack([next(it) for _ in range(batch_size)])  # [B, S + 1]
            model(batch[:, :-1])
    finally:
        for hook in hooks:
            hook.remove()
        model.train(was_training)
    return {i: torch.cat(xs) for i, xs in inputs.items()}  # [T, d]


def heldout_loads(
    model: LanguageModel, blocks: list[int], corpus: Corpus, tokenizer: Tokenizer, config: ContinualConfig
) -> tuple[float, dict[int, torch.Tensor]]:
    """Held-out loss on ``corpus`` (on the device ``config.accelerator`` trains on) and, for each of ``blocks``,
    its FFN's ``load`` statistic ``[N]`` (share per expert) averaged over the evaluated batches."""
    loads: dict[int, list[torch.Tensor]] = {i: [] for i in blocks}
    hooks = [
        model.blocks[i].ffn.register_forward_hook(lambda _m, _x, out, i=i: loads[i].append(out[1].stats["load"]))
        for i in blocks
    ]
    device = accelerator_device(config.accelerator)
    try:
        with on_device(model, device):
            result = evaluate(model, heldout_windows(corpus, tokenizer, config), batch_size=config.batch_size,
                              max_batches=config.eval_batches, device=device)
    finally:
        for hook in hooks:
            hook.remove()
    return result.loss, {i: torch.stack(xs).mean(0).cpu() for i, xs in loads.items()}


@torch.no_grad()
def corpus_queries(model: LanguageModel, windows: PackedStream, batches: int, batch_size: int) -> dict[int, torch.Tensor]:
    """Normalised queries ``[M, d_key]`` of each PEER layer on a few batches of ``windows``."""
    layers = peer_layers(model)
    inputs = capture_inputs(model, {i: model.blocks[i].ffn for i, _ in layers}, windows, batches, batch_size)
    return {i: layer.queries(inputs[i]) for i, layer in layers}  # [T * h, d_key]


KeyInit = Callable[[PEERLayer, torch.Tensor, int, int], torch.Tensor]
"""``(layer, the new corpus's queries [M, d_key] at it, n_keys, seed) -> sub-keys [2, n_keys, d_half]``
of the segment about to be grown (the layer still holds only the old segments)."""


def kmeans_keys(layer: PEERLayer, queries: torch.Tensor, n_keys: int, seed: int) -> torch.Tensor:
    """Sub-keys as k-means centroids of the new corpus's query halves."""
    return kmeans_sub_keys(queries, n_keys, seed=seed)


def grow(
    model: LanguageModel, queries: dict[int, torch.Tensor], keys: int, freeze: str, *, init_keys: KeyInit = kmeans_keys
) -> None:
    """Freeze every segment and append one of ``keys**2`` experts per PEER layer, keys from ``init_keys``
    (k-means by default)."""
    for i, layer in peer_layers(model):
        sub_keys = init_keys(layer, queries[i], keys, i)
        layer.memory.freeze()
        layer.memory.grow(keys, sub_keys=sub_keys)
    if freeze == "experts+backbone":
        new = {id(p) for _, layer in peer_layers(model) for p in layer.memory.segments[-1].parameters()}
        for p in model.parameters():
            if id(p) not in new:
                p.requires_grad_(False)


class _StageMessages(Callback):
    """Reports the first step and every tenth of the run through ``say`` when there is no progress bar."""

    def __init__(self, say: Say, steps: int):
        self.say, self.steps, self.every = say, steps, max(1, steps // 10)

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
        step = trainer.global_step
        if step == 1 or step % self.every == 0 or step == self.steps:
            self.say(f"  step {step}/{self.steps}  loss {float(outputs['ce']):.3f}")


@contextlib.contextmanager
def _lightning_quietly() -> Iterator[None]:
    """Lightning's banner lines and data-loader advice mean nothing to a `peer` user."""
    loggers = [logging.getLogger(n) for n in ("lightning.pytorch", "lightning.fabric", "lightning")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.WARNING)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", module="lightning")
            warnings.filterwarnings("ignore", message=".*num_workers.*")
            yield
    finally:
        for lg, level in zip(loggers, levels):
            lg.setLevel(level)


def fit(
    model: LanguageModel,
    tokenizer: Tokenizer,
    windows: IterableDataset,
    config: ContinualConfig,
    steps: int,
    *,
    progress: bool = False,
    say: Say = _quiet,
) -> list[float]:
    """Train ``model`` in place for ``steps`` steps on ``windows``; the loss of every step."""
    L.seed_everything(config.seed, verbose=False)
    module = LMModule(config.model.to_dict(), vars(config.optim).copy(), steps, tokenizer.state())
    module.model = model
    history = LossHistory()
    callbacks: list[Callback] = [history]
    callbacks.append(RichProgressBar(console_kwargs={"stderr": True}) if progress else _StageMessages(say, steps))
    with _lightning_quietly():
        trainer = L.Trainer(
            max_steps=steps, accelerator=config.accelerator, devices=1, precision="32-true",
            callbacks=callbacks, logger=False, enable_checkpointing=False, enable_progress_bar=progress,
            enable_model_summary=False, limit_val_batches=0, num_sanity_val_steps=0,
            use_distributed_sampler=False, log_every_n_steps=max(1, min(50, steps)),
        )
        trainer.fit(module, train_dataloaders=DataLoader(windows, batch_size=config.batch_size, drop_last=True))
    module.model.to("cpu")
    return history.losses


def evaluate_corpora(
    model: LanguageModel, tokenizer: Tokenizer, corpora: dict[str, Corpus], config: ContinualConfig
) -> list[EvaluationRecord]:
    """Held-out loss of ``model`` on each corpus (by name), on the device ``config.accelerator`` trains on."""
    out = []
    device = accelerator_device(config.accelerator)
    with on_device(model, device):
        for name, corpus in corpora.items():
            r = evaluate(model, heldout_windows(corpus, tokenizer, config), batch_size=config.batch_size,
                         max_batches=config.eval_batches, device=device)
            out.append(EvaluationRecord(corpus=name, loss=r.loss, tokens=r.tokens, bits_per_byte=r.bits_per_byte))
    return out


def open_and_grow(
    store: Store,
    parent: VersionInfo | None,
    corpus: Corpus,
    config: ContinualConfig,
    *,
    keys: int,
    freeze: str,
    seed: int,
    say: Say = _quiet,
) -> tuple[LanguageModel, Tokenizer]:
    """The model a new version starts from: a new one for a store's first version, else the parent's
    with every segment frozen and a new one grown per PEER layer from ``corpus``'s queries."""
    torch.manual_seed(seed)  # new weights (the first model, new segments) are reproducible
    if parent is None:
        model = LanguageModel(config.model)
        say(f"a new model with {len(peer_layers(model))} PEER layers")
        return model, ByteTokenizer()
    loaded = load_version(store, parent.number)
    queries = corpus_queries(loaded.model, train_windows(corpus, loaded.tokenizer, config, seed=seed),
                             config.kmeans_batches, config.batch_size)
    grow(loaded.model, queries, keys, freeze)
    experts = sum(layer.memory.num_experts for _, layer in peer_layers(loaded.model))
    say(f"froze version {parent.number}'s segments, grew {keys}x{keys} experts per PEER layer (k-means keys), "
        f"{experts:,} experts in all; frozen: {freeze}")
    return loaded.model, loaded.tokenizer


# -- the procedures -----------------------------------------------------------------------------
@dataclass
class IngestResult:
    version: VersionInfo
    corpus: CorpusRecord
    steps: int
    train_loss: float | None
    evaluations: list[EvaluationRecord]
    wall_seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version.to_dict(),
            "corpus": self.corpus.to_dict(),
            "steps": self.steps,
            "train_loss": self.train_loss,
            "evaluations": [e.to_dict() for e in self.evaluations],
            "wall_seconds": self.wall_seconds,
        }


def ingest(
    store: Store,
    source: str | Path,
    *,
    name: str | None = None,
    keys: int | None = None,
    steps: int | None = None,
    tokens: int | None = None,
    replay: float = 0.0,
    freeze: str = "experts",
    force: bool = False,
    include: list[str] | None = None,
    stdin: bytes | None = None,
    progress: bool = False,
    say: Say = _quiet,
    kind: str = "ingest",
) -> IngestResult:
    """Grow the store's current version on a new corpus and record the result as a new version."""
    started = time.perf_counter()
    config = ContinualConfig.of_store(store.config)
    steps = config.steps_for(steps, tokens)
    keys = config.new_keys if keys is None else keys
    if not isinstance(keys, int) or keys < 1:
        raise ConfigError(f"--keys must be a positive integer, got {keys!r}")
    if not 0.0 <= replay < 1.0:
        raise ConfigError(f"--replay is the fraction of windows from earlier corpora, in [0, 1); got {replay}")
    if freeze not in FREEZE_MODES:
        raise ConfigError(f"--freeze must be one of {', '.join(FREEZE_MODES)}; got {freeze!r}")

    with store.lock(purpose=f"peer {kind}"):  # one writer: a second ingest is refused here
        check = check_corpus(source, config, include=include, stdin=stdin)
        name = pick_name(store, check, name, force=force)
        parent = store.current()
        earlier = {c.name: open_registered(store, c, config.doc_bytes) for c in store.corpora() if c.name != name}
        say(f"corpus {name}: {check.bytes:,} bytes, {check.documents:,} documents, sha256 {check.sha256[:12]}")
        with store.new_version(kind=kind, message=f"{kind} {name}") as draft:
            number = draft.version.number
            seed = config.seed + number
            model, tokenizer = open_and_grow(store, parent, check.corpus, config, keys=keys, freeze=freeze,
                                             seed=seed, say=say)
            windows = ReplayMix(
                train_windows(check.corpus, tokenizer, config, seed=seed),
                [train_windows(c, tokenizer, config, seed=seed) for c in earlier.values()] if replay > 0 else [],
                replay,
                seed=seed,
            )
            say(f"training {steps} steps on {name}" + (f" with {replay:.0%} replay" if replay > 0 and earlier else ""))
            losses = fit(model, tokenizer, windows, config, steps, progress=progress, say=say)
            say(f"evaluating held-out loss on {len(earlier) + 1} corpora")
            evaluations = evaluate_corpora(model, tokenizer, {**earlier, name: check.corpus}, config)
            say("writing segment files, backbone checkpoint and corpus snapshot")
            write_snapshot(store, check.corpus, check.sha256)
            segments, checkpoint = put_version_files(store, model, tokenizer)
            mine = next(e for e in evaluations if e.corpus == name)
            wall = time.perf_counter() - started
            tail = losses[-max(1, len(losses) // 10):]
            train_loss = sum(tail) / len(tail) if tail else None
            record = check.record(name)
            version = draft.commit(
                segments=segments,
                checkpoint=checkpoint,
                corpus=record,
                ingest=IngestRecord(
                    corpus=name, steps=steps, tokens=steps * config.window_tokens, wall_seconds=wall,
                    train_loss=train_loss, heldout_loss=mine.loss,
                    settings={"keys": keys if parent is not None else None, "replay": replay, "freeze": freeze,
                              "force": force, "source": check.source},
                ),
                evaluations=evaluations,
            )
    return IngestResult(version, record, steps, train_loss, evaluations, time.perf_counter() - started)


def create_store(
    path: str | Path,
    *,
    config: ContinualConfig | None = None,
    db_url: str | None = None,
    name: str | None = None,
    base_corpus: str | Path | None = None,
    base_name: str | None = None,
    steps: int | None = None,
    tokens: int | None = None,
    include: list[str] | None = None,
    stdin: bytes | None = None,
    progress: bool = False,
    say: Say = _quiet,
) -> tuple[Store, IngestResult | None]:
    """``peer init``: a new store recording ``config``, and version 1 trained on ``base_corpus`` if given.

    The base corpus is checked before anything is created; the caller closes the returned store."""
    config = config or ContinualConfig()
    if base_corpus is not None:
        config.steps_for(steps, tokens)
        if str(base_corpus) == "-" and stdin is None:
            stdin = sys.stdin.buffer.read()  # once: the check and the training both read it
        check_corpus(base_corpus, config, include=include, stdin=stdin)  # bad input: nothing is created
    store = Store.create(path, db_url=db_url, name=name, config=config.to_dict())
    if base_corpus is None:
        return store, None
    try:
        result = ingest(store, base_corpus, name=base_name, steps=steps, tokens=tokens, include=include,
                        stdin=stdin, progress=progress, say=say, kind="init")
    except BaseException:
        store.close()
        raise
    return store, result


def rollback(store: Store, version: int | str) -> VersionInfo:
    """A new version equal to ``version`` (same files and evaluations); history is never rewritten."""
    with store.lock(purpose="peer rollback"):
        detail = store.detail(version)
        old = detail.version
        if old.status != "ready":
            raise VersionStateError(f"version {old.number} is {old.status}; roll back to a ready version")
        current = store.current()
        if current is not None and current.number == old.number:
            raise VersionStateError(f"version {old.number} is already the current version; nothing to roll back")
        with store.new_version(kind="rollback", message=f"rollback to version {old.number}") as draft:
            return draft.commit(segments=detail.segments, checkpoint=detail.checkpoint, evaluations=detail.evaluations)


@torch.no_grad()
def generate(
    store: Store,
    prompt: str,
    *,
    tokens: int = 200,
    temperature: float = 0.8,
    top_k: int | None = 40,
    seed: int = 0,
    version: int | str = "current",
) -> str:
    """Sample ``tokens`` tokens after ``prompt`` from a version (the current one by default)."""
    if tokens < 1 or temperature <= 0:
        raise ConfigError("--tokens must be at least 1 and --temperature above 0")
    loaded = load_version(store, version)
    model, tokenizer = loaded.model.eval(), loaded.tokenizer
    window = model.config.max_seq_len
    ids = torch.from_numpy(tokenizer.encode(prompt.encode("utf-8"))).long()
    if ids.numel() == 0:
        ids = torch.tensor([tokenizer.eos_id])
    gen = torch.Generator().manual_seed(seed)
    out: list[int] = []
    for _ in range(tokens):
        logits = model(ids[-window:][None]).logits[0, -1].float() / temperature  # [V]
        if top_k is not None and top_k < logits.numel():
            cutoff = logits.topk(top_k).values[-1]
            logits = logits.masked_fill(logits < cutoff, float("-inf"))
        nxt = int(torch.multinomial(torch.softmax(logits, -1), 1, generator=gen))
        if nxt == tokenizer.eos_id:
            break
        out.append(nxt)
        ids = torch.cat([ids, torch.tensor([nxt])])
    return tokenizer.decode(out).decode("utf-8", errors="replace")


__all__ = [
    "CorpusCheck", "IngestResult", "ReplayMix", "check_corpus", "create_store", "evaluate_corpora", "fit",
    "generate", "grow", "ingest", "rollback",
]
