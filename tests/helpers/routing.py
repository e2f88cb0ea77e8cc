"""A tiny routed model of two routes (bytes 0..9 and bytes 100..109) and what a method reads of a tokenizer,
shared by the routing and accumulation tests."""

from __future__ import annotations

import torch

from continual.lora import LoRADeltas
from continual.routed import RoutedModel
from continual.router import DomainRouter, profile_windows
from continual.versions import peer_layers
from tests.conftest import tiny_continual_config
from trainer.model import LanguageModel


def routing_config():
    """Three blocks, PEER every other one, small grids: a routed model that trains in seconds."""
    return tiny_continual_config(model=dict(
        d_model=32, n_layers=3, n_heads=2, max_seq_len=32, ffn="peer", sparse_blocks="every_other",
        peer=dict(n_heads=2, top_k=4, n_keys=8),
    ))


def two_route_router(vocab: int = 257) -> DomainRouter:
    """Corpus 0 writes bytes 0..9, corpus 1 bytes 100..109."""
    g = torch.Generator().manual_seed(0)
    router = DomainRouter()
    for low in (0, 100):
        windows = [torch.randint(low, low + 10, (17,), generator=g) for _ in range(40)]
        router.add(profile_windows(windows, 30, 8, vocab, order=2, buckets=1 << 16))  # the first 30, 8 at a time
        assert router.profiles[-1].tokens == 30 * 16  # each window's inputs: all but its last token
    return router


def routed_model(config) -> RoutedModel:
    torch.manual_seed(0)
    router = two_route_router()
    model = RoutedModel(LanguageModel(config.model)).eval()
    model.add_route("low", router.profiles[0])
    for _i, layer in peer_layers(model.lm):
        layer.memory.freeze()
        layer.memory.grow(4)
    deltas = LoRADeltas.for_model(model.lm, 3)
    with torch.no_grad():
        deltas.embed.weight.normal_()
        for b in deltas.b.values():
            b.normal_()
    model.add_route("high", router.profiles[1], deltas)
    return model


class Bytes:
    """What a method reads of a tokenizer."""

    vocab_size = 257
