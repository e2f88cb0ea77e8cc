"""Routed serving: a batch whose tokens go to several versions against a batch that goes to one.

The demo's model (d = 128, 4 blocks, PEER in blocks 1 and 3) grown to ``--routes``
routes as the ``routed`` method grows it: a 16x16 first grid per PEER layer, grown by a shell of
16 sub-keys per half (the default) per route after the first, rank-128 deltas of every attention projection, the LM head and
the embedding per route after the first, and one n-gram profile per route, counted
on synthetic "languages" (each route's own 32 byte values) so the router sends
each window where the test wants it. Scoring (forward, no autograd, routing
included) of:

- **single**: every window in the newest route's language (one route present,
  with deltas: the dearest single route);
- **mixed**: windows spread evenly over every route's language (all routes present).

Median tokens/s over interleaved repeats, and the ratio (target: mixed at least
0.8x single for 4 routes).

    .venv/bin/python benchmarks/routed.py [--routes 4] [--batch 16] [--seq 128] [--repeat 7]
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch

from continual.config import default_model
from continual.lora import LoRADeltas
from continual.routed import RoutedModel
from continual.router import NgramProfile
from continual.versions import peer_layers
from trainer.model import LanguageModel


def language(route: int, batch: int, seq: int, gen: torch.Generator) -> torch.Tensor:
    """Windows ``[batch, seq]`` of route ``route``'s language: bytes 32*route .. 32*route + 31."""
    return torch.randint(32 * route, 32 * route + 32, (batch, seq), generator=gen)


def build(routes: int, rank: int, seq: int) -> RoutedModel:
    torch.manual_seed(0)
    lm = LanguageModel(default_model())
    model = RoutedModel(lm).eval()
    gen = torch.Generator().manual_seed(1)
    for r in range(routes):
        if r > 0:
            for _, layer in peer_layers(lm):
                layer.memory.freeze()
                layer.memory.grow(lm.config.peer.n_keys)
        profile = NgramProfile(lm.config.vocab_size)
        profile.add(language(r, 64, seq, gen))
        deltas = None
        if r > 0:
            deltas = LoRADeltas.for_model(lm, rank)
            with torch.no_grad():
                for b in deltas.b.values():
                    b.normal_(0, 0.02)  # trained deltas are not zero
        model.add_route(f"language-{r}", profile, deltas)
    return model.requires_grad_(False)


@torch.no_grad()
def tokens_per_second(model: RoutedModel, batch: torch.Tensor) -> float:
    start = time.perf_counter()
    model(batch)
    return batch.numel() / (time.perf_counter() - start)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--routes", type=int, default=4)
    p.add_argument("--rank", type=int, default=128)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--seq", type=int, default=128)
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    model = build(args.routes, args.rank, args.seq)
    gen = torch.Generator().manual_seed(2)
    single = language(args.routes - 1, args.batch, args.seq, gen)
    per = [language(r, -(-args.batch // args.routes), args.seq, gen) for r in range(args.routes)]
    mixed = torch.cat(per)[: args.batch]
    assert model.route(single).eq(args.routes - 1).all(), "the single batch must go to the newest route"
    present = model.route(mixed).unique().tolist()
    assert present == list(range(args.routes)), f"the mixed batch reaches routes {present}"
    plain = RoutedModel(model.lm)  # the language model alone, every shell, no deltas: the floor
    for m in (model, plain):  # warm up
        tokens_per_second(m, mixed)
    runs = {"single": [], "mixed": [], "no routing": []}
    for _ in range(args.repeat):
        runs["single"].append(tokens_per_second(model, single))
        runs["mixed"].append(tokens_per_second(model, mixed))
        runs["no routing"].append(tokens_per_second(plain, single))
    med = {k: statistics.median(v) for k, v in runs.items()}
    print(f"{args.routes} routes (rank {args.rank}), batch {args.batch} x {args.seq} tokens, "
          f"{args.threads} threads, median of {args.repeat}")
    for name, value in med.items():
        print(f"  {name:10s} {value:10,.0f} tokens/s   (runs: {', '.join(f'{v:,.0f}' for v in runs[name])})")
    print(f"mixed / single: {med['mixed'] / med['single']:.2f}x (target: at least 0.8x); "
          f"single / no routing: {med['single'] / med['no routing']:.2f}x")


if __name__ == "__main__":
    main()
