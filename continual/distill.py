"""Sparse-to-dense distillation (Fedus et al. 2021, "Switch Transformer", section 4): a dense student of a version.

    from peer_store.db import Store
    from continual.distill import distill
    from continual.students import load_student

    with Store.open("my-store") as store:
        student = distill(store, 3, width=128, steps=300)        # registered: store.students(3)
        loaded = load_student(store, student.id)                 # a LanguageModel and its tokenizer

The teacher is version ``V`` as a user reads it: the routed model of
:func:`continual.inference.load_model`, each token routed to one version's deltas
and segments. The student is the project's :class:`trainer.model.LanguageModel`
with a dense FFN (``d_ff = 4 * width``, ModelConfig's default) in every block, of
the teacher's depth, head count and positions and of model width ``width``. It
trains on the training windows of every corpus the teacher learnt (each step's
windows drawn uniformly from those corpora; the held-out documents are never
trained on: the split is the one ingests and evaluations use) with

    loss = alpha * CE(p_teacher, q_student) + (1 - alpha) * CE(y, q_student)

i.e. cross-entropy to the mixture ``alpha * p_teacher + (1 - alpha) * onehot(y)``,
the paper's "0.25 teacher probabilities, 0.75 ground truth" at the default
``alpha = 0.25``. The soft term is the KL divergence to the teacher plus the
teacher's entropy, which does not depend on the student: same gradients as
KL. ``alpha = 0`` is plain cross-entropy on the labels (the teacher is then not
even run).

Initialisation (``init='teacher'``, the paper's "initialise the student with the
teacher's non-expert weights"): every weight of the teacher's base language model
whose name and shape the student shares is copied: the embedding (and the tied
LM head), every attention projection and layer norm, the final norm, and the
dense FFNs of the teacher's non-PEER blocks when ``d_ff`` agrees. The student's
FFNs in the teacher's PEER blocks are drawn fresh (GPT-2 style, seeded by the
store's seed), and a routed teacher's per-version low-rank deltas are not merged
(each belongs to one route; the student starts from the backbone all routes
share). When ``width`` differs from the teacher's ``d_model`` no shape agrees and
the whole student is drawn fresh, as with ``init='fresh'``.

A distillation is a writer: it takes the store's lock, checks every input before
it loads or trains anything (unknown or unready version, a width that is not a
positive multiple of the head count, alpha outside [0, 1], steps < 1), trains,
evaluates the student on each corpus's held-out windows (the ones the version's
evaluations use), writes the student's safetensors file atomically under its
sha256 in ``students/`` and registers it in one transaction. A failure leaves no
row; a kill between the file and the row leaves an extra file that ``peer fsck``
reports and ``peer gc`` removes (as a killed ingest's files).
"""

from __future__ import annotations

import time
from typing import Any, NamedTuple

import torch
import torch.nn.functional as F
from torch import Tensor

from continual.config import ContinualConfig
from continual.distill_inputs import check_inputs, check_store
from continual.forgetting import learnt_corpora
from continual.inference import load_model
from continual.training import OnStep, ReplayMix, Say, evaluate_corpora, fit, quiet, train_windows
from continual.versions import backbone_state, open_registered, write_student
from peer_store.db import Store, StudentRecord
from peer_store.db.errors import VersionStateError
from peer_store.errors import ConfigError
from trainer.config import ModelConfig, OptimConfig
from trainer.data import Tokenizer
from trainer.model import LanguageModel
from trainer.module import LMModule

MAX_STUDENT_WEIGHTS = 2**31
"""A student is a dense model meant to be smaller than its teacher: wider ones are refused before anything is
built (8 GiB of float32 weights)."""


# -- the loss -----------------------------------------------------------------------------------
class DistillLoss(NamedTuple):
    loss: Tensor
    """``alpha * soft + (1 - alpha) * hard``: what the student's gradients come from."""
    soft: Tensor | None
    """Cross-entropy to the teacher's probabilities, nats/token (None when alpha is 0)."""
    hard: Tensor
    """Cross-entropy to the labels, nats/token."""


def distillation_loss(student: Tensor, teacher: Tensor | None, targets: Tensor, alpha: float) -> DistillLoss:
    """The loss of logits ``student [B, S, V]`` against the teacher's logits ``teacher [B, S, V]`` (None when
    ``alpha`` is 0) and the labels ``targets [B, S]``, every term a mean over tokens, in float32."""
    assert 0.0 <= alpha <= 1.0, alpha
    assert teacher is not None or alpha == 0.0, "a soft term needs the teacher's logits"
    log_q = F.log_softmax(student.float(), dim=-1)  # [B, S, V]
    hard = F.nll_loss(log_q.flatten(0, 1), targets.flatten())
    if alpha == 0.0:
        return DistillLoss(hard, None, hard)
    p = F.softmax(teacher.float(), dim=-1)  # [B, S, V]
    soft = -(p * log_q).sum(-1).mean()
    return DistillLoss(alpha * soft + (1.0 - alpha) * hard, soft, hard)


class DistillModule(LMModule):
    """An :class:`LMModule` (same optimizer, schedule and clipping) whose loss is :func:`distillation_loss`
    against ``teacher`` (kept in eval mode, never trained)."""

    teacher: torch.nn.Module | None
    alpha: float

    @classmethod
    def of(cls, student: LanguageModel, teacher: torch.nn.Module | None, alpha: float, optim: OptimConfig,
           steps: int, tokenizer: Tokenizer) -> DistillModule:
        # the teacher joins after construction: LMModule saves its constructor's arguments as hyper-parameters
        module = cls(student.config.to_dict(), vars(optim).copy(), steps, tokenizer.state(), module=student)
        module.teacher = None if alpha == 0.0 else teacher.requires_grad_(False)
        module.alpha = alpha
        return module

    def training_step(self, batch: Tensor, batch_idx: int) -> dict[str, Tensor]:
        inputs, targets = batch[:, :-1], batch[:, 1:]  # [B, S] each
        out = self.model(inputs)
        teacher = None
        if self.teacher is not None:
            self.teacher.eval()  # Lightning put every submodule in training mode
            with torch.no_grad():
                teacher = self.teacher(inputs).logits  # [B, S, V]
        parts = distillation_loss(out.logits, teacher, targets, self.alpha)
        log = dict(on_step=True, on_epoch=False)
        self.log("train/loss", parts.loss, prog_bar=True, **log)
        self.log("train/ce", parts.hard, **log)
        if parts.soft is not None:
            self.log("train/soft_ce", parts.soft, **log)
        return {"loss": parts.loss, "ce": parts.hard.detach()}


# -- the student --------------------------------------------------------------------------------
def student_config(teacher: ModelConfig, width: int) -> ModelConfig:
    """The dense student of a teacher config: its depth, heads, positions and vocabulary, model width
    ``width``, a dense FFN of ModelConfig's default width (4 x width) in every block."""
    if not isinstance(width, int) or isinstance(width, bool) or width < 1 or width % teacher.n_heads:
        raise ConfigError(f"--width must be a positive multiple of the teacher's {teacher.n_heads} attention heads, "
                          f"got {width!r}")
    weights = teacher.vocab_size * width + 12 * teacher.n_layers * width * width  # embedding, attention, 4x FFNs
    if weights > MAX_STUDENT_WEIGHTS:
        raise ConfigError(f"a student of width {width} would hold about {weights:.3g} weights (at most "
                          f"{MAX_STUDENT_WEIGHTS:.3g}); choose a smaller --width")
    data = {**teacher.to_dict(), "d_model": width, "d_ff": None, "ffn": "dense", "sparse_blocks": "all"}
    try:
        return ModelConfig.from_dict(data)
    except ConfigError as error:
        raise ConfigError(f"--width {width} makes no student: {error}") from None


def init_from_teacher(student: LanguageModel, teacher: LanguageModel) -> list[str]:
    """Copy into ``student`` every weight of ``teacher`` with the same name and shape (its expert segments
    never match: they are no weights of a dense model); the names copied."""
    source = backbone_state(teacher)
    copied = []
    with torch.no_grad():
        for name, tensor in student.state_dict().items():
            if name in source and source[name].shape == tensor.shape:
                tensor.copy_(source[name])
                copied.append(name)
    return copied


def parameter_count(model: torch.nn.Module) -> int:
    """Every weight once (a head tied to the embedding counts once)."""
    return sum(p.numel() for p in model.parameters())


# -- the procedure ------------------------------------------------------------------------------
def distill(
    store: Store,
    version: int | str,
    *,
    width: int,
    steps: int | None = None,
    alpha: float = 0.25,
    init: str = "teacher",
    progress: bool = False,
    say: Say = quiet,
    on_step: OnStep | None = None,
) -> StudentRecord:
    """Train, evaluate, write and register a dense student of ``version`` (module docstring); the record,
    with its id."""
    started = time.perf_counter()
    config = ContinualConfig.of_store(store.config)
    check_store(store.config)
    steps = config.steps if steps is None else steps
    check_inputs(width, steps, alpha, init)
    student_cfg = student_config(config.model, width)  # every version of a store has the store's model config
    alpha = float(alpha)
    with store.lock(purpose="peer distill"):
        teacher_info = store.version(version)
        if teacher_info.status != "ready":
            raise VersionStateError(f"version {teacher_info.number} is {teacher_info.status}; distill a ready version")
        number = teacher_info.number
        names = learnt_corpora(store, number)
        if not names:
            raise ConfigError(f"version {number} learnt no corpus; distill a version made by init or ingest")
        records = {c.name: c for c in store.corpora()}
        corpora = {name: open_registered(store, records[name], config.doc_bytes) for name in names}
        teacher = load_model(store, number)
        torch.manual_seed(config.seed)
        student = LanguageModel(student_cfg)
        copied = init_from_teacher(student, teacher.model.lm) if init == "teacher" else []
        start = "the teacher's non-expert weights" if copied else "fresh weights"
        say(f"a dense student of version {number}: width {width}, {student_cfg.n_layers} blocks, d_ff "
            f"{student_cfg.d_ff}, {parameter_count(student):,} weights, from {start}"
            + (f" ({len(copied)} tensors copied)" if copied else ""))
        tokenizer = teacher.tokenizer
        windows = ReplayMix(  # the first corpus's windows, each replaced by another corpus's with probability
            train_windows(corpora[names[0]], tokenizer, config, seed=config.seed),  # (n-1)/n: uniform over corpora
            [train_windows(corpora[n], tokenizer, config, seed=config.seed) for n in names[1:]],
            (len(names) - 1) / len(names),
            seed=config.seed,
        )
        say(f"training {steps} steps on {', '.join(names)} with alpha {alpha:g} (the teacher's share of the targets)")
        module = DistillModule.of(student, teacher.model, alpha, config.optim, steps, tokenizer)
        losses = fit(student, tokenizer, windows, config, steps, progress=progress, say=say, on_step=on_step,
                     module=module)
        say(f"evaluating held-out loss on {', '.join(names)}")
        evaluations = evaluate_corpora(student, tokenizer, corpora, config)
        tail = losses[-max(1, len(losses) // 10):]
        meta: dict[str, Any] = {"teacher": number, "alpha": alpha, "steps": steps, "init": init,
                                "copied": len(copied), "corpora": names}
        known = {s.file.file for s in store.students()}
        ref = store.put_student(lambda path: write_student(student, tokenizer, path, **meta))
        try:
            return store.add_student(StudentRecord(
                teacher=number, width=width, steps=steps, alpha=alpha, init="teacher" if copied else "fresh",
                params=parameter_count(student), file=ref, wall_seconds=time.perf_counter() - started,
                train_loss=sum(tail) / len(tail) if tail else None, evaluations=evaluations,
                settings={"d_ff": student_cfg.d_ff, "layers": student_cfg.n_layers, "heads": student_cfg.n_heads,
                          "asked_init": init, "copied": copied, "corpora": names, "seed": config.seed,
                          "tokens": steps * config.window_tokens},
            ))
        except BaseException:
            if ref.file not in known:  # the same bytes may already be another student's file
                store.file_path(ref).unlink(missing_ok=True)
            raise


__all__ = [
    "DistillLoss", "DistillModule", "distill",
    "distillation_loss", "init_from_teacher", "parameter_count", "student_config",
]
