"""Training: each FFN kind learns real text, checkpoints resume exactly, evaluation is exact."""

from __future__ import annotations

import hashlib
import math

import pytest
import torch

from peer_store.errors import ConfigError
from trainer.config import OptimConfig, TrainConfig
from trainer.data import ByteTokenizer, PackedStream, unigram_bits_per_token
from trainer.fit import evaluate, heldout_stream, load_checkpoint, open_corpus, train
from trainer.model import LanguageModel
from trainer.module import LMModule, warmup_cosine
from tests.helpers.trainer import tiny_config

KINDS = ["dense", "peer", "switch", "soft", "topk", "hmoe"]


@pytest.fixture(scope="module")
def unigram_bits(stdlib_files) -> float:
    cfg = tiny_config(stdlib_files, "dense").data
    corpus, tok = open_corpus(cfg), ByteTokenizer()
    kw = dict(seq_len=cfg.seq_len, heldout_fraction=cfg.heldout_fraction)
    return unigram_bits_per_token(PackedStream(corpus, tok, split="train", **kw), PackedStream(corpus, tok, split="heldout", **kw))


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_each_ffn_kind_learns_python_source(stdlib_files, unigram_bits, kind):
    """200 steps of a 2-layer d=64 model: held-out bits/byte well below the unigram baseline
    (4.39 bits on this text; the kinds reach 3.3-3.6 bits, so the bound leaves a 0.2-bit margin)."""
    assert 4.0 < unigram_bits < 5.0
    result = train(tiny_config(stdlib_files, kind))
    assert result.steps == 200 and len(result.losses) == 200
    assert result.losses[0] > math.log(257) - 0.3  # starts near uniform
    assert result.heldout.bits_per_byte < unigram_bits - 0.6, (result.heldout, unigram_bits)
    assert result.heldout.bits_per_byte == pytest.approx(result.heldout.loss / math.log(2))
    assert len(result.fingerprint) == 64


@pytest.mark.slow
def test_checkpoint_resume_reproduces_an_uninterrupted_run(stdlib_files, tmp_path):
    """Run to 16 steps saving at 8; a second run resumed from step 8 ends with the same weights
    (optimizer state incl. the sparse table state, schedule, and data position all restored)."""
    cfg = dict(max_steps=16, checkpoint_every=8, batch_size=4, eval_batches=2)
    full = train(tiny_config(stdlib_files, "peer", out_dir=str(tmp_path / "a"), **cfg))
    middle = tmp_path / "a" / "checkpoints" / "epoch=0-step=8.ckpt"
    assert middle.is_file()
    resumed = train(tiny_config(stdlib_files, "peer", out_dir=str(tmp_path / "b"), resume=str(middle), **cfg))
    assert resumed.steps == 16 and len(resumed.losses) == 8
    torch.testing.assert_close(resumed.losses, full.losses[8:], rtol=1e-4, atol=1e-5)
    a, b = full.model.state_dict(), resumed.model.state_dict()
    for name in a:
        if isinstance(a[name], torch.Tensor):
            torch.testing.assert_close(a[name], b[name], rtol=1e-4, atol=1e-5, msg=name)
    loaded, tokenizer = load_checkpoint(full.checkpoint)
    assert tokenizer.name == "byte"
    tokens = torch.randint(0, 257, (2, 32))
    torch.testing.assert_close(loaded(tokens).logits, full.model.eval()(tokens).logits)


def test_evaluate_matches_a_direct_computation(stdlib_files):
    torch.manual_seed(0)
    cfg = tiny_config(stdlib_files, "dense")
    model = LanguageModel(cfg.model)
    stream = heldout_stream(open_corpus(cfg.data), cfg.data, ByteTokenizer())
    windows = list(stream)[:7]
    result = evaluate(model, _Fixed(windows, stream.tokenizer), batch_size=3)  # batches of 3, 3, 1
    x = torch.stack(windows)
    logits = model(x[:, :-1]).logits
    expected = torch.nn.functional.cross_entropy(logits.flatten(0, 1), x[:, 1:].flatten()).item()
    assert result.tokens == 7 * 64
    assert result.loss == pytest.approx(expected, rel=1e-5)
    assert result.bits_per_byte == pytest.approx(expected / math.log(2), rel=1e-5)
    assert model.training  # restored


class _Fixed:
    def __init__(self, windows, tokenizer):
        self.windows, self.tokenizer = windows, tokenizer

    def __iter__(self):
        return iter(self.windows)


def test_warmup_cosine_schedule():
    f = lambda s: warmup_cosine(s, warmup=10, total=110, min_ratio=0.1)  # noqa: E731
    assert f(0) == pytest.approx(0.1) and f(9) == pytest.approx(1.0)
    assert f(10) == pytest.approx(1.0)
    assert f(60) == pytest.approx(0.55)
    assert f(110) == pytest.approx(0.1) and f(500) == pytest.approx(0.1)


def test_clipping_touches_dense_gradients_only():
    module = LMModule(
        dict(d_model=32, n_layers=1, n_heads=2, max_seq_len=16, ffn="peer", peer=dict(n_heads=2, top_k=2, n_keys=4)),
        vars(OptimConfig(grad_clip=1e-3)),
        max_steps=10,
    )
    x = torch.randint(0, 257, (2, 17))
    out = module(x[:, :-1])
    (torch.nn.functional.cross_entropy(out.logits.flatten(0, 1), x[:, 1:].flatten()) * 100).backward()
    table = module.model.blocks[0].ffn.layer.memory.segments[0].down.weight
    before = table.grad.coalesce().values().clone()
    module.configure_gradient_clipping(None)
    from peer_store import split_parameters

    dense, tables = split_parameters(module.model)
    norm = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(p.grad) for p in dense]))
    assert norm.item() == pytest.approx(1e-3, rel=1e-3)
    assert table.grad.is_sparse and torch.equal(table.grad.coalesce().values(), before)


def test_train_rejects_bad_configs(stdlib_files, tmp_path):
    with pytest.raises(ConfigError, match="vocab_size"):
        train(tiny_config(stdlib_files, "dense", model=dict(vocab_size=200, max_seq_len=64)))
    with pytest.raises(ConfigError, match="exceeds model.max_seq_len"):
        tiny_config(stdlib_files, "dense", model=dict(max_seq_len=32))
    with pytest.raises(ConfigError, match="does not exist"):
        train(tiny_config(stdlib_files, "dense", resume=str(tmp_path / "nope.ckpt")))
    with pytest.raises(ConfigError, match="standard input"):
        train(tiny_config(["-"], "dense", devices=2, strategy="ddp"))


def test_train_from_stdin(stdlib_files, monkeypatch):
    import io
    import sys

    text = open(stdlib_files[0], "rb").read()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text)))
    result = train(tiny_config(["-"], "dense", max_steps=3, batch_size=2, eval_batches=1,
                               data=dict(sources=["-"], seq_len=64, doc_bytes=1024, heldout_fraction=0.2)))
    assert result.steps == 3 and result.heldout.tokens > 0
    assert result.fingerprint == hashlib.sha256(hashlib.sha256(text).digest()).hexdigest()


def test_metrics_are_logged(stdlib_files, tmp_path):
    """Loss, bits per byte, tokens/s, auxiliary losses and expert utilisation reach the CSV log;
    the Rich progress bar runs."""
    import csv

    cfg = tiny_config(stdlib_files, "switch", max_steps=6, log_every=1, batch_size=4, eval_batches=1,
                      out_dir=str(tmp_path), progress=True)
    train(cfg)
    rows = list(csv.DictReader(open(next(tmp_path.glob("logs/version_*/metrics.csv")))))
    columns = set(rows[0])
    for name in ("train/loss", "train/bits_per_byte", "train/tokens_per_s", "train/aux/switch_balance",
                 "train/aux/switch_z", "train/block0/used_fraction", "train/block1/dropped_fraction",
                 "train/block0/router_entropy", "train/grad_norm"):
        assert name in columns, name
    last = rows[-1]
    assert float(last["train/bits_per_byte"]) == pytest.approx(float(last["train/loss"]) / math.log(2), rel=1e-5)
    assert float(last["train/tokens_per_s"]) > 0


def test_precision_is_bf16_on_gpu_only():
    from trainer.fit import _precision

    assert _precision(TrainConfig(accelerator="cpu")) == "32-true"
    assert _precision(TrainConfig(accelerator="gpu")) == "bf16-mixed"
    assert _precision(TrainConfig(accelerator="gpu", precision="32-true")) == "32-true"
    assert _precision(TrainConfig()) == ("bf16-mixed" if torch.cuda.is_available() else "32-true")


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_runs_under_bf16_autocast(kind):
    """The mixed-precision path (CPU autocast stands in for the GPU's): finite, close to fp32, and
    gradients reach every trainable parameter."""
    torch.manual_seed(0)
    cfg = tiny_config([], kind).model
    model = LanguageModel(cfg)
    tokens = torch.randint(0, 257, (4, 32))
    torch.manual_seed(1)  # the same noise draw for noisy top-k
    reference = model(tokens).logits
    torch.manual_seed(1)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        out = model(tokens)
        loss = torch.nn.functional.cross_entropy(out.logits.float().flatten(0, 1), tokens.flatten()) + out.aux_loss
    loss.backward()
    assert torch.isfinite(out.logits).all()
    # mean, not max: a bf16 query may retrieve a different top-k expert for a few tokens
    assert (out.logits.float() - reference).abs().mean() < 0.01
    missing = [n for n, p in model.named_parameters() if p.requires_grad and p.grad is None]
    assert not missing


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
@pytest.mark.parametrize("kind", KINDS)
def test_trains_on_gpu_in_bf16(stdlib_files, kind):
    result = train(tiny_config(stdlib_files, kind, max_steps=20, accelerator="gpu", eval_batches=2))
    assert all(math.isfinite(x) for x in result.losses)
    assert result.losses[-1] < result.losses[0]
