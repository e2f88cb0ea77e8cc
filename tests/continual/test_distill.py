"""Sparse-to-dense distillation: the loss against a hand computation, alpha 0 as plain cross-entropy, the
student's start from the teacher's non-expert weights, and a distillation that fails registering nothing."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F

from continual.distill import (
    DistillModule, distill, distillation_loss, init_from_teacher, student_config,
)
from continual.forgetting import learnt_corpora
from continual.training import fit, train_windows
from continual.versions import backbone_state
from peer_store.db import Store
from peer_store.errors import ConfigError
from tests.conftest import tiny_continual_config
from trainer.data import ByteTokenizer, Corpus
from trainer.model import LanguageModel


def test_distillation_loss_equals_a_hand_computation():
    student = torch.tensor([[[1.0, 0.0, -1.0], [0.0, 2.0, 0.0]]])  # [B=1, S=2, V=3]
    teacher = torch.tensor([[[0.0, 0.0, 0.0], [math.log(3.0), 0.0, 0.0]]])  # p = (1/3, 1/3, 1/3), (3/5, 1/5, 1/5)
    targets = torch.tensor([[0, 1]])
    z1 = math.log(math.e + 1 + math.exp(-1))
    z2 = math.log(2 + math.exp(2))
    log_q = [[1 - z1, -z1, -1 - z1], [-z2, 2 - z2, -z2]]
    hard = -(log_q[0][0] + log_q[1][1]) / 2
    soft = -(sum(lq / 3 for lq in log_q[0]) + (0.6 * log_q[1][0] + 0.2 * log_q[1][1] + 0.2 * log_q[1][2])) / 2
    parts = distillation_loss(student, teacher, targets, 0.25)
    assert parts.hard.item() == pytest.approx(hard, abs=1e-6)
    assert parts.soft.item() == pytest.approx(soft, abs=1e-6)
    assert parts.loss.item() == pytest.approx(0.25 * soft + 0.75 * hard, abs=1e-6)
    # the same thing said the paper's way: cross-entropy to the mixed target 0.25 * p + 0.75 * onehot(y)
    p = F.softmax(teacher, -1)
    mixed = 0.25 * p + 0.75 * F.one_hot(targets, 3).float()
    assert parts.loss.item() == pytest.approx(-(mixed * F.log_softmax(student, -1)).sum(-1).mean().item(), abs=1e-6)
    # alpha 1: the teacher alone (its own probabilities give the least soft loss: its entropy)
    assert distillation_loss(teacher, teacher, targets, 1.0).loss <= distillation_loss(student, teacher, targets, 1.0).loss


def test_alpha_zero_is_plain_cross_entropy():
    g = torch.Generator().manual_seed(0)
    student, teacher = torch.randn(2, 5, 11, generator=g), torch.randn(2, 5, 11, generator=g)
    targets = torch.randint(0, 11, (2, 5), generator=g)
    ce = F.cross_entropy(student.flatten(0, 1), targets.flatten())
    assert torch.equal(distillation_loss(student, None, targets, 0.0).loss, ce)
    assert distillation_loss(student, teacher, targets, 0.0).loss.item() == pytest.approx(ce.item(), abs=1e-7)
    with pytest.raises(AssertionError):
        distillation_loss(student, None, targets, 0.5)


def test_alpha_zero_trains_as_the_plain_fit(text_corpora):
    """A student at alpha 0 ends with the weights the ordinary cross-entropy fit gives (same seed, same windows)."""
    config = tiny_continual_config()
    cfg = student_config(config.model, 16)
    tokenizer = ByteTokenizer()
    corpus = Corpus([str(text_corpora["code"])], doc_bytes=config.doc_bytes)
    models = []
    for distilling in (False, True):
        torch.manual_seed(0)
        model = LanguageModel(cfg)
        module = DistillModule.of(model, None, 0.0, config.optim, 3, tokenizer) if distilling else None
        fit(model, tokenizer, train_windows(corpus, tokenizer, config, seed=0), config, 3, module=module)
        models.append(model)
    plain, distilled = (m.state_dict() for m in models)
    assert all(torch.equal(plain[k], distilled[k]) for k in plain)
    assert not torch.equal(plain["blocks.0.attn.qkv.weight"], LanguageModel(cfg).state_dict()["blocks.0.attn.qkv.weight"])


def test_a_student_starts_from_the_teachers_non_expert_weights():
    config = tiny_continual_config()
    torch.manual_seed(1)
    teacher = LanguageModel(config.model)  # block 0 dense, block 1 PEER
    torch.manual_seed(2)
    student = LanguageModel(student_config(config.model, config.model.d_model))
    copied = init_from_teacher(student, teacher)
    expected = {"embed.weight", "head.weight", "ln_out.weight", "ln_out.bias", "blocks.0.ffn.w_in.weight",
                "blocks.0.ffn.w_out.weight"}
    for i in range(config.model.n_layers):
        expected |= {f"blocks.{i}.{name}" for name in ("ln_attn.weight", "ln_attn.bias", "attn.qkv.weight",
                                                        "attn.proj.weight", "ln_ffn.weight", "ln_ffn.bias")}
    assert set(copied) == expected
    theirs, mine = backbone_state(teacher), student.state_dict()
    assert all(torch.equal(mine[name], theirs[name]) for name in expected)  # bit-equal
    assert student.head.weight is student.embed.weight  # still tied
    assert "blocks.1.ffn.w_in.weight" not in theirs  # the PEER block's FFN is the student's own, fresh
    assert mine["blocks.1.ffn.w_in.weight"].shape == (4 * config.model.d_model, config.model.d_model)
    # another width: no shape agrees, the whole student is fresh
    torch.manual_seed(2)
    narrow = LanguageModel(student_config(config.model, 16))
    before = {k: v.clone() for k, v in narrow.state_dict().items()}
    assert init_from_teacher(narrow, teacher) == []
    assert all(torch.equal(before[k], v) for k, v in narrow.state_dict().items())


@pytest.mark.parametrize("width", [0, -2, 3, 2])
def test_widths_that_make_no_student_are_one_line(width):
    config = tiny_continual_config()  # 2 heads: 3 is no multiple, 2 gives heads of width 1 (rotary needs even)
    with pytest.raises(ConfigError, match="width") as info:
        student_config(config.model, width)
    assert "\n" not in str(info.value)


def test_a_failed_distillation_registers_nothing(tmp_path, text_corpora, monkeypatch):
    from continual.ingest import create_store

    store, _ = create_store(tmp_path / "store", config=tiny_continual_config(steps=2), base_corpus=text_corpora["code"])
    with store:
        assert learnt_corpora(store, 1) == ["code"]

        def stop(step, steps, loss):
            raise RuntimeError("stopped")

        with pytest.raises(RuntimeError, match="stopped"):
            distill(store, 1, width=16, steps=3, on_step=stop)
        assert store.students() == [] and not (store.path / "students").exists()

        def refuse(record):
            raise RuntimeError("registry gone")

        monkeypatch.setattr(Store, "add_student", lambda self, record: refuse(record))
        with pytest.raises(RuntimeError, match="registry gone"):
            distill(store, 1, width=16, steps=2)
        assert list((store.path / "students").iterdir()) == []  # the file written before the row went again
        monkeypatch.undo()
        made = distill(store, 1, width=16, steps=2)
        assert [s.id for s in store.students(1)] == [made.id]
        assert [e.corpus for e in made.evaluations] == ["code"]
