"""Tokenizers: byte-level by default (no vocabulary, no download, any encoding), or a
byte-level BPE trained locally on the corpus with the optional ``tokenizers`` library.

A tokenizer's ``state()`` is a small JSON-able dict kept in checkpoints;
:func:`tokenizer_from_state` rebuilds it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, Protocol

import numpy as np
import torch

from peer_store.errors import ConfigError

EOS = "<eos>"


class Tokenizer(Protocol):
    name: str
    vocab_size: int
    eos_id: int

    def encode(self, data: bytes) -> np.ndarray: ...

    def decode(self, ids: Iterable[int]) -> bytes: ...

    def token_bytes(self) -> torch.Tensor:
        """Bytes of text each token id stands for, ``[vocab_size]`` (for bits per byte)."""
        ...

    def state(self) -> dict[str, Any]: ...


class ByteTokenizer:
    """Token = byte value (0..255); 256 marks the end of a document.

    For bits per byte every token counts as one byte (the end-of-document token
    stands in for a separator byte), so bits/byte = loss (nats) / ln 2.
    """

    name = "byte"
    vocab_size = 257
    eos_id = 256

    def encode(self, data: bytes) -> np.ndarray:
        return np.frombuffer(data, dtype=np.uint8).astype(np.int64)

    def decode(self, ids: Iterable[int]) -> bytes:
        return bytes(int(i) for i in ids if int(i) < 256)

    def token_bytes(self) -> torch.Tensor:
        return torch.ones(self.vocab_size)

    def state(self) -> dict[str, Any]:
        return {"name": "byte"}


def _tokenizers():
    try:
        import tokenizers
    except ImportError:
        raise ConfigError(
            "the 'bpe' tokenizer needs the optional package `tokenizers` (pip install tokenizers); "
            "or use tokenizer='byte'"
        ) from None
    return tokenizers


class _TokenizersText:
    """Text through a ``tokenizers.Tokenizer`` (``self.tokenizer``): bytes decoded as UTF-8 (invalid bytes
    replaced) before encoding, no special tokens added, the end-of-document token dropped when decoding."""

    tokenizer: Any
    eos_id: int

    def encode(self, data: bytes) -> np.ndarray:
        ids = self.tokenizer.encode(data.decode("utf-8", errors="replace"), add_special_tokens=False).ids
        return np.asarray(ids, dtype=np.int64)

    def decode(self, ids: Iterable[int]) -> bytes:
        return self.tokenizer.decode([int(i) for i in ids if int(i) != self.eos_id]).encode("utf-8")


class BPETokenizer(_TokenizersText):
    """Byte-level BPE (GPT-2 style pre-tokenization) trained on the corpus's train split.

    Text is decoded as UTF-8 with invalid bytes replaced by U+FFFD before encoding,
    so unlike the byte tokenizer it is lossy on non-UTF-8 input. ``token_bytes`` counts
    the UTF-8 bytes each token decodes to (the end-of-document token counts as one),
    so bits per byte stay comparable with the byte tokenizer.
    """

    name = "bpe"

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer
        self.vocab_size = tokenizer.get_vocab_size()
        self.eos_id = tokenizer.token_to_id(EOS)
        assert self.eos_id is not None, "a BPE tokenizer without the end-of-document token"

    @classmethod
    def train(cls, texts: Iterable[bytes], vocab_size: int) -> BPETokenizer:
        tk = _tokenizers()
        tokenizer = tk.Tokenizer(tk.models.BPE())
        tokenizer.pre_tokenizer = tk.pre_tokenizers.ByteLevel(add_prefix_space=False)
        tokenizer.decoder = tk.decoders.ByteLevel()
        trainer = tk.trainers.BpeTrainer(
            vocab_size=vocab_size,
            special_tokens=[EOS],
            initial_alphabet=tk.pre_tokenizers.ByteLevel.alphabet(),
            show_progress=False,
        )
        tokenizer.train_from_iterator((t.decode("utf-8", errors="replace") for t in texts), trainer)
        return cls(tokenizer)

    @classmethod
    def from_json(cls, text: str) -> BPETokenizer:
        return cls(_tokenizers().Tokenizer.from_str(text))

    def token_bytes(self) -> torch.Tensor:
        # byte-level tokens are strings of one printable stand-in character per byte
        lengths = [len(self.tokenizer.id_to_token(i)) for i in range(self.vocab_size)]
        lengths[self.eos_id] = 1
        return torch.tensor(lengths, dtype=torch.float32)

    def state(self) -> dict[str, Any]:
        return {"name": "bpe", "json": self.tokenizer.to_str()}


class PretrainedTokenizer(_TokenizersText):
    """The tokenizer of a pretrained model (its ``tokenizer.json``, as Hugging Face fast tokenizers save it), so
    that training windows, profiles, scores and samples use the token ids the model was trained on.

    Text is decoded as UTF-8 (invalid bytes replaced) before encoding, like :class:`BPETokenizer`; no special
    tokens are added (documents are joined by ``eos_id``). ``token_bytes`` counts the bytes of text a token
    stands for: one per character of a byte-level token (GPT-2, GPT-NeoX, Qwen2), one for a byte-fallback
    token ``<0xNN>``, else the UTF-8 length of the piece with ``▁`` read as a space (SentencePiece-style
    Llama tokenizers); special tokens count as one.
    """

    name = "pretrained"

    def __init__(self, tokenizer, eos_id: int):
        self.tokenizer = tokenizer
        self.vocab_size = tokenizer.get_vocab_size()
        if not 0 <= eos_id < self.vocab_size:
            raise ConfigError(f"the end-of-document token id {eos_id} is outside the vocabulary of {self.vocab_size}")
        self.eos_id = eos_id

    @classmethod
    def from_json(cls, text: str, eos_id: int) -> PretrainedTokenizer:
        return cls(_tokenizers().Tokenizer.from_str(text), eos_id)

    def token_bytes(self) -> torch.Tensor:
        byte_level = _is_byte_level(self.tokenizer)
        special = {t.content for t in self.tokenizer.get_added_tokens_decoder().values() if t.special}
        lengths = []
        for i in range(self.vocab_size):
            piece = self.tokenizer.id_to_token(i)
            if piece is None or piece in special or i == self.eos_id:
                lengths.append(1)
            elif byte_level:
                lengths.append(len(piece))
            elif len(piece) == 6 and piece.startswith("<0x") and piece.endswith(">"):
                lengths.append(1)
            else:
                lengths.append(max(1, len(piece.replace("\u2581", " ").encode("utf-8"))))
        return torch.tensor(lengths, dtype=torch.float32)

    def state(self) -> dict[str, Any]:
        return {"name": "pretrained", "json": self.tokenizer.to_str(), "eos_id": self.eos_id}


def _is_byte_level(tokenizer) -> bool:
    """Whether the tokenizer's pre-tokenizer (or decoder) maps bytes to printable stand-in characters."""
    spec = json.loads(tokenizer.to_str())
    parts = [spec.get("pre_tokenizer") or {}, spec.get("decoder") or {}]
    for part in list(parts):
        parts += part.get("pretokenizers", []) + part.get("decoders", [])
    return any(p.get("type") == "ByteLevel" for p in parts)


TOKENIZERS = ("byte", "bpe")


def build_tokenizer(name: str, *, texts: Iterable[bytes] | None = None, vocab_size: int = 4096) -> Tokenizer:
    """A tokenizer by name; 'bpe' is trained on ``texts`` to at most ``vocab_size`` tokens."""
    if name == "byte":
        return ByteTokenizer()
    if name == "bpe":
        if texts is None:
            raise ConfigError("the 'bpe' tokenizer must be trained: pass the training texts")
        return BPETokenizer.train(texts, vocab_size)
    raise ConfigError(f"unknown tokenizer {name!r}; choose one of {list(TOKENIZERS)}")


def tokenizer_from_state(state: dict[str, Any]) -> Tokenizer:
    """Rebuild a tokenizer from its ``state()`` (as stored in a checkpoint)."""
    if state.get("name") == "byte":
        return ByteTokenizer()
    if state.get("name") == "bpe":
        return BPETokenizer.from_json(state["json"])
    if state.get("name") == "pretrained":
        return PretrainedTokenizer.from_json(state["json"], int(state["eos_id"]))
    raise ConfigError(f"unknown tokenizer state {state.get('name')!r}; the checkpoint may be from a newer version")
