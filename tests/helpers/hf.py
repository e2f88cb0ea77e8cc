"""Tiny random Hugging Face causal LMs of each supported family, saved with save_pretrained into a folder with a
byte-level BPE tokenizer (seconds; nothing downloads): the bases of the HF-base tests."""

from __future__ import annotations

from pathlib import Path

import torch

FAMILIES = ("gpt2", "llama", "gpt_neox")
IDS = 290
"""Random token ids in the tests are below this (every tiny tokenizer has more)."""


def tiny_tokenizer(vocab: int = 320):
    """A byte-level BPE of at most ``vocab`` tokens with an end-of-text token, as a transformers fast tokenizer."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    text = ["def f(x):\n    return x + 1\n", "To be, or not to be, that is the question.\n"] * 20
    tok.train_from_iterator(text, trainers.BpeTrainer(
        vocab_size=vocab, special_tokens=["<|endoftext|>"], initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False))
    return PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|endoftext|>")


def tiny_config(family: str, vocab: int, eos: int = 0):
    from transformers import GPT2Config, GPTNeoXConfig, LlamaConfig

    ids = dict(vocab_size=vocab, bos_token_id=eos, eos_token_id=eos)
    if family == "gpt2":
        return GPT2Config(n_embd=32, n_layer=3, n_head=2, n_positions=64, **ids)
    if family == "llama":
        return LlamaConfig(hidden_size=32, intermediate_size=64, num_hidden_layers=3, num_attention_heads=2,
                           num_key_value_heads=1, max_position_embeddings=64, **ids)
    return GPTNeoXConfig(hidden_size=32, intermediate_size=64, num_hidden_layers=3, num_attention_heads=2,
                         max_position_embeddings=64, **ids)


def save_tiny_base(folder: Path, family: str, *, vocab: int | None = None) -> Path:
    """A random tiny causal LM of ``family`` and its tokenizer in ``folder`` (``vocab``: the model's embedding
    rows, default the tokenizer's size)."""
    from transformers import AutoModelForCausalLM

    tokenizer = tiny_tokenizer()
    config = tiny_config(family, vocab or len(tokenizer), tokenizer.eos_token_id)
    torch.manual_seed(0)
    AutoModelForCausalLM.from_config(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder
