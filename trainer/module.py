"""The Lightning side: the LM as a LightningModule, and the corpus as a LightningDataModule."""

from __future__ import annotations

import math
import time
from typing import Any

import lightning as L
import torch
import torch.nn.functional as F
from torch import Tensor

from peer_store import make_optimizer, split_parameters
from peer_store.distributed import sparse_allreduce_hook
from trainer.config import DataConfig, ModelConfig, OptimConfig
from trainer.data import Corpus, PackedStream, Tokenizer, make_loader, tokenizer_from_state
from trainer.model import LanguageModel, LMOutput
from trainer.sharded import cut_tables, gather_tables, shard_module

LN2 = math.log(2.0)


def warmup_cosine(step: int, *, warmup: int, total: int, min_ratio: float) -> float:
    """LR multiplier: linear warmup from 1/warmup to 1, then cosine down to ``min_ratio`` at ``total``."""
    if step < warmup:
        return (step + 1) / warmup
    progress = min(1.0, (step - warmup) / max(1, total - warmup))
    return min_ratio + (1.0 - min_ratio) * 0.5 * (1.0 + math.cos(math.pi * progress))


def lm_loss(out: LMOutput, targets: Tensor) -> Tensor:
    """Mean next-token cross-entropy (nats), computed in float32."""
    return F.cross_entropy(out.logits.float().flatten(0, 1), targets.flatten())


class LMModule(L.LightningModule):
    """Trains :class:`trainer.model.LanguageModel` on windows ``[B, S + 1]``.

    Loss = cross-entropy + the FFNs' weighted auxiliary losses. Dense weights get
    AdamW and expert tables the row-wise sparse Adam (one optimizer from
    :func:`peer_store.make_optimizer`); only dense gradients are clipped, since
    the tables' gradients are sparse.

    ``shard_experts=True`` splits every PEER layer's expert tables by rows over the ranks of a
    ``strategy='ddp'`` run (:mod:`trainer.sharded`); checkpoints still hold the whole tables.
    """

    def __init__(
        self,
        model: dict[str, Any],
        optim: dict[str, Any],
        max_steps: int,
        tokenizer: dict[str, Any] | None = None,
        *,
        module: torch.nn.Module | None = None,
        shard_experts: bool = False,
    ):
        """``model`` is the model config; ``module``, if given, is the model to train (built by the caller, e.g.
        loaded from a store, with ``tokens -> LMOutput`` like :class:`LanguageModel`), else one is built.
        ``shard_experts``: shard the PEER layers' tables over the ranks (a layout of the run, not of the
        model: checkpoints do not record it)."""
        super().__init__()
        tokenizer = tokenizer if tokenizer is not None else {"name": "byte"}
        # the checkpoint keeps configs and the tokenizer's state
        self.save_hyperparameters(ignore=["module", "shard_experts"])
        self.shard_experts = shard_experts
        self.optim_config = OptimConfig(**optim)
        self.max_steps = max_steps
        self.tokenizer = tokenizer_from_state(tokenizer)
        self.model = module if module is not None else LanguageModel(ModelConfig.from_dict(model))
        self.register_buffer("token_bytes", self.tokenizer.token_bytes(), persistent=False)
        self._last_step_time: float | None = None

    def forward(self, tokens: Tensor) -> LMOutput:
        return self.model(tokens)

    def bits_per_byte(self, loss: Tensor, targets: Tensor) -> Tensor:
        return loss * targets.numel() / (LN2 * self.token_bytes[targets].sum())

    def training_step(self, batch: Tensor, batch_idx: int) -> dict[str, Tensor]:
        inputs, targets = batch[:, :-1], batch[:, 1:]  # [B, S] each
        out = self.model(inputs)
        ce = lm_loss(out, targets)
        loss = ce + out.aux_loss
        log = dict(on_step=True, on_epoch=False)
        self.log("train/loss", ce, prog_bar=True, **log)
        self.log("train/bits_per_byte", self.bits_per_byte(ce.detach(), targets), **log)
        self.log("train/aux_loss", out.aux_loss, **log)
        for name, value in out.aux_losses.items():
            self.log(f"train/aux/{name}", value, **log)
        for block, stats in out.stats.items():
            for name in ("used_fraction", "dropped_fraction", "router_entropy"):
                self.log(f"train/block{block}/{name}", stats[name], **log)
            load = stats["load"]
            self.log(f"train/block{block}/max_load_over_mean", load.max() * load.numel(), **log)
        now = time.perf_counter()
        if self._last_step_time is not None:
            tokens = inputs.numel() * self.trainer.world_size
            self.log("train/tokens_per_s", tokens / (now - self._last_step_time), prog_bar=True, **log)
        self._last_step_time = now
        return {"loss": loss, "ce": ce.detach()}

    def configure_model(self) -> None:
        # After the process group starts, before DDP wraps the module and the optimizer is built.
        if self.shard_experts:
            shard_module(self)

    def on_save_checkpoint(self, checkpoint: dict[str, Any]) -> None:
        gather_tables(self, checkpoint, keep=self.trainer.is_global_zero)  # no-op without sharded tables

    def on_load_checkpoint(self, checkpoint: dict[str, Any]) -> None:
        cut_tables(self, checkpoint)  # no-op without sharded tables

    def on_fit_start(self) -> None:
        # The strategy has wrapped the model by now. Lightning registers comm hooks only on CUDA,
        # and the default reduction of sparse gradients corrupts memory (peer_store.distributed).
        wrapped = self.trainer.strategy.model
        if isinstance(wrapped, torch.nn.parallel.DistributedDataParallel):
            wrapped.register_comm_hook(None, sparse_allreduce_hook)

    def configure_optimizers(self):
        c = self.optim_config
        optimizer = make_optimizer(
            self.model, lr=c.lr, betas=c.betas, weight_decay=c.weight_decay, table_lr=c.table_lr
        )
        schedule = torch.optim.lr_scheduler.LambdaLR(
            optimizer,
            lambda step: warmup_cosine(step, warmup=c.warmup_steps, total=self.max_steps, min_ratio=c.min_lr_ratio),
        )
        return {"optimizer": optimizer, "lr_scheduler": {"scheduler": schedule, "interval": "step"}}

    def configure_gradient_clipping(self, optimizer, gradient_clip_val=None, gradient_clip_algorithm=None) -> None:
        """Clip the dense gradients only (Lightning's default would also take the sparse ones)."""
        if self.optim_config.grad_clip is None:
            return
        dense, _ = split_parameters(self.model)
        norm = torch.nn.utils.clip_grad_norm_([p for p in dense if p.grad is not None], self.optim_config.grad_clip)
        if self._trainer is not None:
            self.log("train/grad_norm", norm, on_step=True, on_epoch=False)


class CorpusDataModule(L.LightningDataModule):
    """Builds the sharded train stream once the Trainer knows this process's rank."""

    def __init__(
        self,
        data: DataConfig,
        corpus: Corpus,
        tokenizer: Tokenizer,
        *,
        batch_size: int,
        seed: int,
        num_workers: int = 0,
        skip_batches: int = 0,
    ):
        super().__init__()
        self.data, self.corpus, self.tokenizer = data, corpus, tokenizer
        self.batch_size, self.seed, self.num_workers, self.skip_batches = batch_size, seed, num_workers, skip_batches

    def setup(self, stage: str) -> None:
        # Every rank trained or loaded its own tokenizer before the processes met; rank 0's
        # is the one in the checkpoint, so all ranks use it.
        if self.trainer.world_size > 1:
            state = self.trainer.strategy.broadcast(self.tokenizer.state(), src=0)
            if state != self.tokenizer.state():
                self.tokenizer = tokenizer_from_state(state)

    def train_dataloader(self):
        stream = PackedStream(
            self.corpus,
            self.tokenizer,
            seq_len=self.data.seq_len,
            split="train",
            heldout_fraction=self.data.heldout_fraction,
            repeat=True,
            shuffle=self.data.shuffle,
            seed=self.seed,
            skip_batches=self.skip_batches,
            batch_size=self.batch_size,
            rank=self.trainer.global_rank,
            world_size=self.trainer.world_size,
        )
        return make_loader(stream, batch_size=self.batch_size, num_workers=self.num_workers)
