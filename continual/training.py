"""Training and evaluating a version's model on a corpus: windows, queries for new keys, the Lightning fit.

Shared by the product (:mod:`continual.ingest`) and the study (:mod:`study.compare`):
both train the same :class:`continual.routed.RoutedModel` with the same :func:`fit`.
"""

from __future__ import annotations

import contextlib
import logging
import random
import warnings
from collections.abc import Callable, Iterator

import lightning as L
import torch
from lightning.pytorch.callbacks import Callback, RichProgressBar
from torch.utils.data import DataLoader, IterableDataset

from continual.config import ContinualConfig
from continual.routed import RoutedModel
from continual.versions import peer_layers
from peer_store.db import EvaluationRecord
from peer_store.index import kmeans_sub_keys
from trainer.data import Corpus, PackedStream, Tokenizer
from trainer.devices import accelerator_device, on_device
from trainer.fit import evaluate, fit_module
from trainer.module import LMModule

Say = Callable[[str], None]
OnStep = Callable[[int, int, float], None]
"""Called after every training step with ``(step, steps, loss)``; raising from it stops the fit."""


def quiet(_: str) -> None:
    """A ``say`` that says nothing."""


# -- windows ------------------------------------------------------------------------------------
class ReplayMix(IterableDataset):
    """Training windows of the new corpus; each is replaced, with probability ``fraction``, by
    the next window of an earlier corpus (chosen uniformly). Seeded: the same mix every run."""

    def __init__(self, new: IterableDataset, old: list[IterableDataset], fraction: float, seed: int):
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


# -- what new keys are fitted to ------------------------------------------------------------------
@torch.no_grad()
def capture_inputs(
    model: torch.nn.Module, modules: dict[int, torch.nn.Module], windows: IterableDataset, batches: int, batch_size: int
) -> dict[int, torch.Tensor]:
    """What enters each of ``modules`` (flattened to ``[T, d]``) while ``model`` runs in eval mode on ``batches``
    batches of ``windows``."""
    inputs: dict[int, list[torch.Tensor]] = {i: [] for i in modules}
    hooks = [
        m.register_forward_pre_hook(lambda _m, args, i=i: inputs[i].append(args[0].flatten(0, -2)))
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


@torch.no_grad()
def corpus_queries(model: RoutedModel, windows: PackedStream, batches: int, batch_size: int) -> dict[int, torch.Tensor]:
    """Normalised queries ``[M, d_key]`` of each PEER layer of ``model`` (routed as it routes) on a few
    batches of ``windows``."""
    layers = peer_layers(model.lm)
    inputs = capture_inputs(model, model.lm.memory_inputs(), windows, batches, batch_size)
    return {i: layer.queries(inputs[i]) for i, layer in layers}  # [T * h, d_key]


def grow(model: RoutedModel, queries: dict[int, torch.Tensor], keys: int, *, freeze_backbone: bool) -> None:
    """Freeze every shell and grow each PEER layer's grid by a shell of ``keys`` sub-keys per half (its
    ``2 * n * keys + keys**2`` experts pair the new sub-keys with every old one), the new sub-keys k-means
    centroids of the new corpus's query halves; ``freeze_backbone`` also freezes every other weight of the
    model (routes' deltas included)."""
    for i, layer in peer_layers(model.lm):
        sub_keys = kmeans_sub_keys(queries[i], keys, seed=i)
        layer.memory.freeze()
        layer.memory.grow(keys, sub_keys=sub_keys)
    if freeze_backbone:
        new = {id(p) for _, layer in peer_layers(model.lm) for p in layer.memory.segments[-1].parameters()}
        for p in model.parameters():
            if id(p) not in new:
                p.requires_grad_(False)


# -- training -----------------------------------------------------------------------------------
class _StageMessages(Callback):
    """Reports the first step and every tenth of the run through ``say`` when there is no progress bar."""

    def __init__(self, say: Say, steps: int):
        self.say, self.steps, self.every = say, steps, max(1, steps // 10)

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
        step = trainer.global_step
        if step == 1 or step % self.every == 0 or step == self.steps:
            self.say(f"  step {step}/{self.steps}  loss {float(outputs['ce']):.3f}")


class _EveryStep(Callback):
    def __init__(self, on_step: OnStep, steps: int):
        self.on_step, self.steps = on_step, steps

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
        self.on_step(trainer.global_step, self.steps, float(outputs["ce"]))


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
    model: torch.nn.Module,
    tokenizer: Tokenizer,
    windows: IterableDataset,
    config: ContinualConfig,
    steps: int,
    *,
    progress: bool = False,
    say: Say = quiet,
    on_step: OnStep | None = None,
    module: LMModule | None = None,
) -> list[float]:
    """Train ``model`` (a :class:`RoutedModel` or a :class:`LanguageModel`) in place for ``steps`` steps on
    ``windows``; the loss of every step. ``on_step`` sees each step's loss (a service reports progress with it,
    and stops the fit by raising). ``module`` is the LightningModule that trains ``model`` (default: an
    :class:`LMModule` with the store's optimizer; a distillation passes one with its own loss)."""
    L.seed_everything(config.seed, verbose=False)
    if module is None:
        module = LMModule(config.model.to_dict(), vars(config.optim).copy(), steps, tokenizer.state(), module=model)
    assert module.model is model, "the module must train the model passed"
    callbacks: list[Callback] = [
        RichProgressBar(console_kwargs={"stderr": True}) if progress else _StageMessages(say, steps)]
    if on_step is not None:
        callbacks.append(_EveryStep(on_step, steps))
    with _lightning_quietly():
        _, losses = fit_module(
            module, steps=steps, accelerator=config.accelerator, precision="32-true", callbacks=callbacks,
            loader=DataLoader(windows, batch_size=config.batch_size, drop_last=True), progress=progress,
            log_every=max(1, min(50, steps)))
    model.to("cpu")
    return losses


# -- evaluating ---------------------------------------------------------------------------------
def heldout_loads(
    model: RoutedModel, blocks: list[int], corpus: Corpus, tokenizer: Tokenizer, config: ContinualConfig
) -> tuple[float, dict[int, torch.Tensor]]:
    """Held-out loss on ``corpus`` (on the device ``config.accelerator`` trains on) and, for each of ``blocks``,
    its FFN's ``load`` statistic ``[N]`` (share per expert) averaged over the evaluated batches."""
    loads: dict[int, list[torch.Tensor]] = {i: [] for i in blocks}
    hooks = [
        model.lm.blocks[i].ffn.register_forward_hook(lambda _m, _x, out, i=i: loads[i].append(out[1].stats["load"]))
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


def evaluate_corpora(
    model: torch.nn.Module, tokenizer: Tokenizer, corpora: dict[str, Corpus], config: ContinualConfig
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


__all__ = [
    "OnStep", "ReplayMix", "capture_inputs", "corpus_queries", "evaluate_corpora", "fit", "grow", "heldout_loads",
    "heldout_windows", "quiet", "train_windows",
]
