"""Corpus sources, tokenizers and the packed, sharded training stream.

Reading a corpus needs no torch: the stream and the tokenizers (which do) are imported on first use, so a
command can refuse bad input before it pays for them.
"""

from importlib import import_module

from trainer.data.reading import DEFAULT_MAX_CORPUS_BYTES, ReadLimits, source_path, source_text
from trainer.data.sources import Corpus, Document, MemoryCorpus, is_heldout, resolve_sources

_LAZY = {
    "PackedStream": "trainer.data.stream",
    "make_loader": "trainer.data.stream",
    "unigram_bits_per_token": "trainer.data.stream",
    "BPETokenizer": "trainer.data.tokenizer",
    "ByteTokenizer": "trainer.data.tokenizer",
    "PretrainedTokenizer": "trainer.data.tokenizer",
    "Tokenizer": "trainer.data.tokenizer",
    "build_tokenizer": "trainer.data.tokenizer",
    "tokenizer_from_state": "trainer.data.tokenizer",
}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'trainer.data' has no attribute {name!r}")


__all__ = [
    "DEFAULT_MAX_CORPUS_BYTES",
    "BPETokenizer",
    "ByteTokenizer",
    "Corpus",
    "Document",
    "MemoryCorpus",
    "PackedStream",
    "PretrainedTokenizer",
    "ReadLimits",
    "build_tokenizer",
    "is_heldout",
    "make_loader",
    "resolve_sources",
    "source_path",
    "source_text",
    "Tokenizer",
    "tokenizer_from_state",
    "unigram_bits_per_token",
]
