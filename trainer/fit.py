"""Train a language model on a corpus from a config, and evaluate it on held-out text.

    from trainer.config import TrainConfig
    from trainer.fit import train
    result = train(TrainConfig(data=dict(sources=["corpus/"]), max_steps=1000))
    result.heldout.bits_per_byte

Straight-line: open the corpus -> build the module -> Lightning fit -> evaluate
the held-out split on rank 0 (on every rank together when ``shard_experts`` splits
the expert tables over them). Under ``strategy='ddp'`` Lightning starts the other
ranks by re-running the calling script, so call :func:`train` from a script
(``if __name__ == "__main__":``), not from an interactive session; every rank
returns a result, only rank 0's carries the evaluation. Multi-node runs set
``num_nodes`` and start one such script per node (torchrun, SLURM, or
MASTER_ADDR / MASTER_PORT / NODE_RANK / WORLD_SIZE in the environment).

Checkpoints are loaded as data (``weights_only=True``): tensors, numbers,
strings and containers. A checkpoint whose pickle would call anything else
is refused with one line, never executed.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import lightning as L
import torch
import torch.distributed as dist
from lightning.pytorch.callbacks import Callback, ModelCheckpoint, RichProgressBar
from lightning.pytorch.loggers import CSVLogger, Logger
from torch.utils.data import DataLoader

from peer_store.errors import ConfigError, StoreError
from trainer.config import DataConfig, TrainConfig
from trainer.data import (
    Corpus, PackedStream, ReadLimits, Tokenizer, build_tokenizer, is_heldout, tokenizer_from_state,
)
from trainer.model import LanguageModel
from trainer.module import LN2, CorpusDataModule, LMModule, lm_loss


@dataclass
class EvalResult:
    loss: float
    """Mean cross-entropy per token (nats)."""
    bits_per_byte: float
    tokens: int


@dataclass
class TrainResult:
    steps: int
    losses: list[float]
    """Training cross-entropy of every step, averaged over ranks."""
    fingerprint: str
    """sha256 of the corpus content."""
    heldout: EvalResult | None
    """Held-out evaluation (rank 0 only; None on the other ranks)."""
    checkpoint: str | None
    """The last checkpoint written (None without out_dir)."""
    world_size: int
    """Processes that trained (devices * num_nodes)."""
    tokenizer: Tokenizer = field(repr=False)
    model: LanguageModel = field(repr=False)
    """The trained model, on the CPU. With ``shard_experts`` its PEER layers are sharded: this rank's rows,
    on the training device (the checkpoint, or each layer's ``memory.unshard()``, has the whole tables)."""


class LossHistory(Callback):
    """The cross-entropy of every step, averaged over ranks (for trajectories and tests)."""

    def __init__(self):
        self.losses: list[float] = []

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
        ce = trainer.strategy.reduce(outputs["ce"], reduce_op="mean")  # identity on one process
        self.losses.append(float(ce))


TRAINING_LIMITS = ReadLimits(max_bytes=2**62)
"""A training run's corpus is named by its own config and streamed one file at a time, so it has no total
bound (a product corpus, held in memory, has ``--max-corpus-bytes``); links, fifos and binary text are
refused as everywhere."""


def open_corpus(data: DataConfig) -> Corpus:
    return Corpus(
        data.sources,
        include=data.include,
        exclude=data.exclude,
        format=data.format,
        text_field=data.text_field,
        doc_bytes=data.doc_bytes,
        limits=TRAINING_LIMITS,
    )


@contextmanager
def _as_data_only(checkpoint: str | Path) -> Iterator[None]:
    """Turn torch's refusal to unpickle a checkpoint into one line."""
    try:
        yield
    except pickle.UnpicklingError as error:
        code = re.search(r"Unsupported global: (?:GLOBAL )?(\S+)", str(error))
        if code is None:
            raise StoreError(f"{checkpoint} is not a readable checkpoint; use one that peer-store wrote") from None
        raise StoreError(
            f"checkpoint {checkpoint} holds a pickled object that would run code when loaded ({code[1]}); "
            "peer-store loads checkpoints as data only: use a checkpoint that peer-store wrote"
        ) from None


def read_checkpoint(checkpoint: str | Path) -> dict[str, Any]:
    """The contents of a Lightning checkpoint, loaded without running pickled code."""
    with _as_data_only(checkpoint):
        return torch.load(checkpoint, map_location="cpu", weights_only=True)


def prepare_tokenizer(data: DataConfig, corpus: Corpus, checkpoint: dict[str, Any] | None = None) -> Tokenizer:
    """The tokenizer of a ``checkpoint`` read to resume from; else a new one (BPE: trained on the train split)."""
    if checkpoint is not None:
        return tokenizer_from_state(checkpoint["hyper_parameters"]["tokenizer"])
    texts = None
    if data.tokenizer == "bpe":
        texts = (d.data for d in corpus.documents() if not is_heldout(d.data, data.heldout_fraction))
    return build_tokenizer(data.tokenizer, texts=texts, vocab_size=data.bpe_vocab_size)


def heldout_stream(corpus: Corpus, data: DataConfig, tokenizer: Tokenizer) -> PackedStream:
    return PackedStream(
        corpus,
        tokenizer,
        seq_len=data.seq_len,
        split="heldout",
        heldout_fraction=data.heldout_fraction,
        rank=0,
        world_size=1,
    )


@torch.no_grad()
def evaluate(
    model: LanguageModel,
    stream: PackedStream,
    *,
    batch_size: int = 16,
    max_batches: int | None = None,
    device: torch.device | str | None = None,
    all_ranks: bool = False,
) -> EvalResult:
    """Held-out loss (nats/token, auxiliary losses excluded) and bits per byte over ``stream``.

    A partial last batch is evaluated too. Soft MoE outputs depend on the batch (tokens at one
    position are mixed across sequences), so evaluate it with the training batch size.

    ``all_ranks``: every rank of the default process group calls this at once, with the same
    stream (a model whose expert tables are sharded runs collectives in its forward pass). The
    batches are dealt out in turn; in the last round a rank left without one runs another rank's
    batch and ignores it, so every rank runs as many forward passes; every rank returns the totals."""
    device = torch.device(device) if device is not None else next(model.parameters()).device
    rank, world = (dist.get_rank(), dist.get_world_size()) if all_ranks else (0, 1)
    token_bytes = stream.tokenizer.token_bytes().to(device)
    was_training = model.training
    model.eval()
    sums = torch.zeros(3, dtype=torch.float64, device=device)  # loss * tokens, tokens, bytes
    batches, windows, round_ = 0, [], []

    def run(batch: list[torch.Tensor], count: bool) -> None:
        x = torch.stack(batch).to(device)  # [B, S + 1]
        inputs, targets = x[:, :-1], x[:, 1:]
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
            out = model(inputs)
        if count:
            sums.add_(torch.stack([
                lm_loss(out, targets).double() * targets.numel(),
                torch.tensor(targets.numel(), dtype=torch.float64, device=device),
                token_bytes[targets].sum().double(),
            ]))

    def run_round() -> None:  # batch i of a round is rank i's
        if round_:
            run(round_[rank] if rank < len(round_) else round_[0], count=rank < len(round_))
            round_.clear()

    try:
        for window in stream:
            windows.append(window)
            if len(windows) == batch_size:
                round_.append(windows)
                windows, batches = [], batches + 1
                if len(round_) == world:
                    run_round()
                if max_batches is not None and batches >= max_batches:
                    break
        if windows:
            round_.append(windows)
        run_round()
    finally:
        model.train(was_training)
    if all_ranks:
        dist.all_reduce(sums)
    total, n_tokens, n_bytes = sums.tolist()
    return EvalResult(loss=total / n_tokens, bits_per_byte=total / (LN2 * n_bytes), tokens=int(n_tokens))


def fit_module(
    module: LMModule,
    *,
    steps: int,
    accelerator: str,
    precision: str,
    callbacks: list[Callback],
    loader: DataLoader | None = None,
    data: L.LightningDataModule | None = None,
    devices: int | str = 1,
    num_nodes: int = 1,
    strategy: str = "auto",
    logger: Logger | bool = False,
    checkpointing: bool = False,
    progress: bool = False,
    log_every: int = 50,
    deterministic: bool | None = None,
    ckpt_path: str | None = None,
) -> tuple[L.Trainer, list[float]]:
    """The project's one Lightning fit, for :func:`train` and the product's ingests alike: ``module`` trains for
    ``steps`` steps on ``loader`` or ``data`` (one of them) with no validation loop and no distributed
    sampler (the streams shard themselves); a checkpoint to resume from is read as data only. The trainer,
    and the cross-entropy of every step averaged over ranks."""
    assert (loader is None) != (data is None), "pass a loader or a data module"
    history = LossHistory()
    trainer = L.Trainer(
        max_steps=steps, accelerator=accelerator, devices=devices, num_nodes=num_nodes, strategy=strategy,
        precision=precision, callbacks=[history, *callbacks], logger=logger, enable_checkpointing=checkpointing,
        enable_progress_bar=progress, enable_model_summary=False, log_every_n_steps=log_every,
        limit_val_batches=0, num_sanity_val_steps=0, use_distributed_sampler=False, deterministic=deterministic,
    )
    trainer.fit(module, train_dataloaders=loader, datamodule=data, ckpt_path=ckpt_path, weights_only=True)
    return trainer, history.losses


def _precision(config: TrainConfig) -> str:
    if config.precision != "auto":
        return config.precision
    on_gpu = config.accelerator in ("gpu", "cuda") or (config.accelerator == "auto" and torch.cuda.is_available())
    return "bf16-mixed" if on_gpu else "32-true"


def _resume_path(config: TrainConfig) -> str | None:
    if config.resume is None:
        return None
    if config.resume == "last":
        if config.out_dir is None:
            raise ConfigError("resume='last' needs out_dir (where the checkpoints are)")
        path = Path(config.out_dir) / "checkpoints" / "last.ckpt"
    else:
        path = Path(config.resume)
    if not path.is_file():
        raise ConfigError(f"checkpoint {path} does not exist; check resume or out_dir")
    return str(path)


def _evaluate_heldout(model: LanguageModel, trainer: L.Trainer, corpus: Corpus, config: TrainConfig,
                      tokenizer: Tokenizer) -> EvalResult | None:
    """Held-out evaluation after a fit, on rank 0; with ``shard_experts`` every rank holds rows of the tables, so
    all evaluate together on the training device. Rank 0's result, None on the other ranks."""
    if not (config.shard_experts or trainer.is_global_zero):
        return None
    if config.shard_experts:
        model.to(trainer.strategy.root_device)
    heldout = evaluate(model, heldout_stream(corpus, config.data, tokenizer), batch_size=config.batch_size,
                       max_batches=config.eval_batches, all_ranks=config.shard_experts)
    return heldout if trainer.is_global_zero else None


def train(config: TrainConfig) -> TrainResult:
    """Train ``config.model`` on ``config.data`` for ``config.max_steps`` steps; evaluate held-out."""
    several = config.num_nodes > 1 or (isinstance(config.devices, int) and config.devices > 1)
    if "-" in config.data.sources and several:
        raise ConfigError("standard input cannot be shared by several processes; save it to a file and pass the path")
    corpus = open_corpus(config.data)
    fingerprint = corpus.fingerprint()
    ckpt_path = _resume_path(config)
    resumed = read_checkpoint(ckpt_path) if ckpt_path is not None else None
    skip = 0
    if resumed is not None:  # the stream is not Lightning-stateful: skip what was consumed
        skip = int(resumed["global_step"])
    tokenizer = prepare_tokenizer(config.data, corpus, resumed)
    if config.model.vocab_size < tokenizer.vocab_size:
        raise ConfigError(
            f"model.vocab_size={config.model.vocab_size} but the {tokenizer.name} tokenizer has "
            f"{tokenizer.vocab_size} tokens; set model.vocab_size={tokenizer.vocab_size}"
        )

    L.seed_everything(config.seed, workers=True, verbose=False)
    module = LMModule(
        config.model.to_dict(),
        vars(config.optim).copy(),
        config.max_steps,
        tokenizer.state(),
        shard_experts=config.shard_experts,
    )
    data = CorpusDataModule(
        config.data,
        corpus,
        tokenizer,
        batch_size=config.batch_size,
        seed=config.seed,
        num_workers=config.num_workers,
        skip_batches=skip,
    )
    callbacks: list[Callback] = []
    checkpoint = None
    if config.out_dir is not None:
        checkpoint = ModelCheckpoint(
            dirpath=Path(config.out_dir) / "checkpoints",
            every_n_train_steps=config.checkpoint_every or config.max_steps,
            save_last=True,
            save_top_k=-1,  # keep every periodic checkpoint
        )
        callbacks.append(checkpoint)
    if config.progress:
        callbacks.append(RichProgressBar())
    trainer, losses = fit_module(
        module, steps=config.max_steps, accelerator=config.accelerator, precision=_precision(config),
        callbacks=callbacks, data=data, devices=config.devices, num_nodes=config.num_nodes, strategy=config.strategy,
        logger=CSVLogger(config.out_dir, name="logs") if config.out_dir is not None else False,
        checkpointing=checkpoint is not None, progress=config.progress, log_every=config.log_every,
        deterministic=False, ckpt_path=ckpt_path,
    )

    heldout = _evaluate_heldout(module.model, trainer, corpus, config, data.tokenizer)
    return TrainResult(
        steps=trainer.global_step,
        losses=losses,
        fingerprint=fingerprint,
        heldout=heldout,
        checkpoint=checkpoint.last_model_path if checkpoint is not None else None,
        world_size=trainer.world_size,
        tokenizer=data.tokenizer,
        model=module.model,
    )


def load_checkpoint(checkpoint: str | Path) -> tuple[LanguageModel, Tokenizer]:
    """The language model and tokenizer stored in a Lightning checkpoint written by :func:`train`."""
    if not Path(checkpoint).is_file():
        raise ConfigError(f"checkpoint {checkpoint} does not exist")
    with _as_data_only(checkpoint):
        module = LMModule.load_from_checkpoint(str(checkpoint), map_location="cpu", weights_only=True)
    return module.model, module.tokenizer

