"""The optional BPE tokenizer (trained locally with `tokenizers`) and its use in training."""

from __future__ import annotations

import math
import sys

import pytest
import torch

from peer_store.errors import ConfigError
from trainer.config import TrainConfig
from trainer.data import BPETokenizer, build_tokenizer, tokenizer_from_state
from trainer.fit import load_checkpoint, train

pytest.importorskip("tokenizers", reason="the BPE tokenizer needs the optional `tokenizers` package")


@pytest.fixture(scope="module")
def bpe(stdlib_files) -> BPETokenizer:
    return BPETokenizer.train((open(f, "rb").read() for f in stdlib_files[:3]), vocab_size=400)


def test_bpe_round_trips_utf8_and_counts_bytes(bpe, stdlib_files):
    text = open(stdlib_files[4], "rb").read()[:5000] + "é ∑ 😀\n".encode()
    ids = bpe.encode(text)
    assert ids.dtype.kind == "i" and len(ids) < 0.8 * len(text)  # 143 merges already compress code
    assert bpe.decode(ids) == text
    assert bpe.token_bytes()[torch.from_numpy(ids)].sum().item() == len(text)  # bits per byte stay comparable
    assert bpe.vocab_size == 400 and bpe.token_bytes()[bpe.eos_id] == 1


def test_bpe_state_round_trip(bpe):
    again = tokenizer_from_state(bpe.state())
    sample = b"def f(x):\n    return x + 1\n"
    assert again.encode(sample).tolist() == bpe.encode(sample).tolist()
    assert tokenizer_from_state({"name": "byte"}).vocab_size == 257
    with pytest.raises(ConfigError, match="unknown tokenizer"):
        tokenizer_from_state({"name": "sentencepiece"})


def test_bpe_replaces_invalid_utf8(bpe):
    assert bpe.decode(bpe.encode(b"a\xffb")) == "a\ufffdb".encode()


def test_bpe_needs_texts_and_the_package(monkeypatch):
    with pytest.raises(ConfigError, match="must be trained"):
        build_tokenizer("bpe")
    with pytest.raises(ConfigError, match="unknown tokenizer"):
        build_tokenizer("wordpiece")
    monkeypatch.setitem(sys.modules, "tokenizers", None)  # as if not installed
    with pytest.raises(ConfigError, match="pip install tokenizers"):
        build_tokenizer("bpe", texts=[b"x"])


def test_training_with_bpe_keeps_the_tokenizer_in_the_checkpoint(stdlib_files, tmp_path):
    cfg = TrainConfig(
        model=dict(vocab_size=512, d_model=32, n_layers=1, n_heads=2, max_seq_len=32),
        data=dict(sources=stdlib_files[:3], seq_len=32, tokenizer="bpe", bpe_vocab_size=512, heldout_fraction=0.1,
                  doc_bytes=4096),
        batch_size=4,
        max_steps=20,
        progress=False,
        eval_batches=4,
        out_dir=str(tmp_path),
    )
    result = train(cfg)
    assert result.tokenizer.name == "bpe" and result.tokenizer.vocab_size == 512
    held = result.heldout
    assert held.bits_per_byte < held.loss / math.log(2) / 2  # a token covers several bytes
    model, tokenizer = load_checkpoint(result.checkpoint)
    assert tokenizer.state() == result.tokenizer.state()
    with pytest.raises(ConfigError, match="model.vocab_size=300"):
        train(TrainConfig(**{**cfg.to_dict(), "model": {**cfg.model.to_dict(), "vocab_size": 300}, "out_dir": None}))
