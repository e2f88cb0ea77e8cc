"""Packing documents into fixed-length sequences, streamed and sharded.

Every document's tokens are followed by the end-of-document token and
concatenated; the stream is cut into windows of ``seq_len + 1`` tokens that
overlap by one (inputs ``w[:-1]``, targets ``w[1:]``: every token is a target
exactly once). A tail shorter than a window is dropped at the end of an epoch.

Sharding: Lightning does not split an ``IterableDataset`` across DDP ranks, and
a DataLoader does not split it across its workers. Here the windows are dealt
out as if one process read them in order with the global batch
``world_size * batch_size``: window ``j`` belongs to global step
``s = j // (world_size * batch_size)``, to rank ``(j mod world_size * batch_size) // batch_size``,
and, within the rank, to DataLoader worker ``s mod num_workers`` (a DataLoader
takes batches from its workers round-robin). So the global batch of every step
is the same windows in the same order whatever the number of ranks and
workers, and DDP reproduces a single process with the same global batch. The
price: every rank and worker reads and tokenizes the whole corpus, which for
bytes is cheap next to training.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import numpy as np
import torch
from torch.utils.data import DataLoader, IterableDataset, get_worker_info

from trainer.data.sources import Corpus, is_heldout
from trainer.data.tokenizer import Tokenizer
from trainer.errors import CorpusError

SPLITS = ("train", "heldout", "all")


def dist_rank_world() -> tuple[int, int]:
    if torch.distributed.is_available() and torch.distributed.is_initialized():
        return torch.distributed.get_rank(), torch.distributed.get_world_size()
    return 0, 1


class PackedStream(IterableDataset):
    """Windows ``[seq_len + 1]`` (int64) of one split of a corpus, sharded over ranks and workers.

    ``repeat=True`` loops over epochs forever (train with ``max_steps``); each epoch
    shuffles the file order with ``seed + epoch`` when ``shuffle``. ``batch_size`` must
    be the DataLoader's (per rank). ``skip_batches`` resumes a run: the windows of the
    first ``skip_batches`` global steps are skipped.
    """

    def __init__(
        self,
        corpus: Corpus,
        tokenizer: Tokenizer,
        *,
        seq_len: int,
        split: str = "train",
        heldout_fraction: float = 0.05,
        repeat: bool = False,
        shuffle: bool = False,
        seed: int = 0,
        skip_batches: int = 0,
        batch_size: int = 1,
        rank: int | None = None,
        world_size: int | None = None,
    ):
        super().__init__()
        if split not in SPLITS:
            raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
        if seq_len < 1:
            raise ValueError(f"seq_len must be positive, got {seq_len}")
        self.corpus, self.tokenizer = corpus, tokenizer
        self.seq_len, self.split, self.heldout_fraction = seq_len, split, heldout_fraction
        self.repeat, self.shuffle, self.seed = repeat, shuffle, seed
        self.skip_batches, self.batch_size = skip_batches, batch_size
        self.rank, self.world_size = rank, world_size

    def placement(self) -> tuple[int, int, int, int]:
        """(rank, world_size, worker, num_workers) of the calling process."""
        rank, world = dist_rank_world()
        rank = self.rank if self.rank is not None else rank
        world = self.world_size if self.world_size is not None else world
        info = get_worker_info()
        worker, n_workers = (info.id, info.num_workers) if info is not None else (0, 1)
        return rank, world, worker, n_workers

    def _keep(self, data: bytes) -> bool:
        if self.split == "all":
            return True
        return is_heldout(data, self.heldout_fraction) == (self.split == "heldout")

    def tokens(self, epoch: int) -> Iterator[np.ndarray]:
        """Token arrays of this split's documents (each followed by end-of-document)."""
        order = self.seed + epoch if self.shuffle else None
        eos = np.array([self.tokenizer.eos_id], dtype=np.int64)
        for doc in self.corpus.documents(order):
            if self._keep(doc.data):
                yield np.concatenate([self.tokenizer.encode(doc.data), eos])

    def windows(self, epoch: int) -> Iterator[np.ndarray]:
        """Every window of one epoch, unsharded."""
        width = self.seq_len + 1
        buffer = np.empty(0, dtype=np.int64)
        for toks in self.tokens(epoch):
            buffer = np.concatenate([buffer, toks])
            n = (len(buffer) - 1) // self.seq_len  # windows that fit
            for i in range(n):
                yield buffer[i * self.seq_len : i * self.seq_len + width]
            buffer = buffer[n * self.seq_len :]

    def __iter__(self) -> Iterator[torch.Tensor]:
        rank, world, worker, n_workers = self.placement()
        per_step = world * self.batch_size  # windows of one global step
        first = self.skip_batches * per_step  # windows consumed before a resume
        j = 0  # global window index, continued across epochs
        for epoch in itertools.count() if self.repeat else range(1):
            seen = False
            for window in self.windows(epoch):
                seen, index, j = True, j, j + 1
                if index < first:
                    continue
                step = (index - first) // per_step  # steps since this (re)start
                if (index % per_step) // self.batch_size == rank and step % n_workers == worker:
                    yield torch.from_numpy(window.copy())
            if not seen:
                raise CorpusError(
                    f"the {self.split} split of corpus {self.corpus.describe()} has no window of "
                    f"{self.seq_len + 1} tokens; add text, lower seq_len or change heldout_fraction"
                )


def make_loader(stream: PackedStream, *, batch_size: int, num_workers: int = 0) -> DataLoader:
    """A DataLoader over ``stream``; its batch size must be the one the stream deals windows by."""
    if stream.batch_size != batch_size:
        raise ValueError(
            f"the stream deals windows in batches of {stream.batch_size} but the loader asks for {batch_size}; "
            f"build the PackedStream with batch_size={batch_size}"
        )
    return DataLoader(
        stream,
        batch_size=batch_size,
        num_workers=num_workers,
        persistent_workers=num_workers > 0,
        drop_last=True,
    )


def unigram_bits_per_token(train: PackedStream, heldout: PackedStream) -> float:
    """Cross-entropy (bits/token) of the held-out windows' targets under the train split's token
    frequencies (add-one smoothing): the baseline a language model must beat."""
    vocab = train.tokenizer.vocab_size
    counts = np.ones(vocab)
    for toks in train.tokens(0):
        counts += np.bincount(toks, minlength=vocab)
    logp = np.log2(counts / counts.sum())
    total, n = 0.0, 0
    for window in heldout.windows(0):
        total -= logp[window[1:]].sum()
        n += len(window) - 1
    if n == 0:
        raise CorpusError("the held-out split has no window; cannot compute a baseline")
    return total / n
