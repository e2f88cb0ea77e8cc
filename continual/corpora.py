"""A corpus at the boundary: read once, measured, refused if it cannot train, and named without clashing.

Shared by ``peer ingest`` and the service, which checks an upload before it queues a job for it. No
Lightning here: a server imports it on its request path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from continual.config import ContinualConfig
from peer_store.db import CorpusRecord, Store
from peer_store.db.records import NAME_LENGTH, check_name
from peer_store.errors import ConfigError
from trainer.data import Corpus, MemoryCorpus, ReadLimits, is_heldout, source_path, source_text
from trainer.data.reading import read_stdin
from trainer.errors import CorpusError, DuplicateCorpus

DEFAULT_SCORE_BYTES = 16 * 2**20
"""The most bytes ``peer score`` reads by default (``--max-bytes``): at about 130 µs a token on a CPU core,
some 35 minutes of scoring."""


@dataclass
class CorpusCheck:
    """A corpus that passed the checks, read once into memory and measured."""

    corpus: MemoryCorpus
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
    source: str | Path, config: ContinualConfig, *, include: list[str] | None = None, stdin: bytes | None = None,
    limits: ReadLimits = ReadLimits(),
) -> CorpusCheck:
    """Read a corpus once into memory and measure it, refusing what cannot train or exceeds ``limits``: missing,
    empty, binary, too small, too large, a link out of a folder. Its source is kept as :func:`source_text`
    writes it, so a file name that is not UTF-8 survives the registry."""
    source = str(source)
    corpus = MemoryCorpus.read(Corpus([source], include=include or ["*"], doc_bytes=config.doc_bytes, stdin=stdin,
                                      limits=limits))
    n_bytes = n_docs = train = heldout = 0
    for doc in corpus.documents():  # binary records were refused as they were read
        n_bytes, n_docs = n_bytes + len(doc.data), n_docs + 1
        tokens = len(doc.data) + 1  # bytes + end of document
        if is_heldout(doc.data, config.heldout_fraction):
            heldout += tokens
        else:
            train += tokens
    if n_bytes == 0:
        where = "standard input" if source == "-" else corpus.describe()
        raise CorpusError(f"corpus {where} is empty (it holds no text); give it some text")
    need = config.seq_len + 1
    if train < need or heldout < need:
        raise CorpusError(
            f"corpus {corpus.describe()} is too small: {n_bytes} bytes in {n_docs} documents give {train} training and "
            f"{heldout} held-out tokens, and each needs at least {need}; add text "
            f"(documents of up to {config.doc_bytes} bytes, {config.heldout_fraction:.0%} held out by content hash)"
        )
    path = Path(source_path(source))
    resolved = source if source == "-" or not path.exists() else source_text(str(path.resolve()))
    return CorpusCheck(corpus, resolved, corpus.fingerprint(), n_bytes, n_docs, train, heldout)


def first_look(source: str | Path, *, include: list[str] | None = None, limits: ReadLimits = ReadLimits()
               ) -> bytes | None:
    """Refuse what can be refused without reading the corpus or importing torch: a source that is missing, not a
    regular file, a link out of its folder or all empty files, and standard input over the limit. Standard
    input's bytes (read once, bounded; pass them on as ``stdin``), else None."""
    stdin = read_stdin(limits) if str(source) == "-" else None
    Corpus([str(source)], include=include or ["*"], stdin=stdin, limits=limits)
    return stdin


def default_corpus_name(source: str) -> str:
    if source == "-":
        return "stdin"
    path = Path(source_path(source))
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
    name = check_name(name or default_corpus_name(check.source)[:NAME_LENGTH])
    if store.find_corpus(name=name) is not None:
        raise ConfigError(f"the store already has a different corpus named {name!r}; pick another --name")
    return name


__all__ = ["DEFAULT_SCORE_BYTES", "CorpusCheck", "check_corpus", "default_corpus_name", "first_look", "pick_name"]
