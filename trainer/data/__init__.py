"""Corpus sources, tokenizers and the packed, sharded training stream."""

from trainer.data.sources import Corpus, Document, MemoryCorpus, is_heldout, resolve_sources
from trainer.data.stream import PackedStream, make_loader, unigram_bits_per_token
from trainer.data.tokenizer import (
    BPETokenizer, ByteTokenizer, PretrainedTokenizer, Tokenizer, build_tokenizer, tokenizer_from_state,
)

__all__ = [
    "BPETokenizer",
    "ByteTokenizer",
    "Corpus",
    "Document",
    "MemoryCorpus",
    "PackedStream",
    "PretrainedTokenizer",
    "build_tokenizer",
    "is_heldout",
    "make_loader",
    "resolve_sources",
    "Tokenizer",
    "tokenizer_from_state",
    "unigram_bits_per_token",
]
