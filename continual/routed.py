"""A store version as one ``nn.Module``: the language model, and the routes its versions learnt.

A *route* is what one ingest of the routed method learnt: its corpus's n-gram
profile, its low-rank deltas on the frozen backbone (none for the first
version, which trained the backbone itself) and how many PEER shells per
layer existed when it was learnt (the square of the grid it searches). :class:`RoutedModel` sends every token to one
route (:class:`continual.router.DomainRouter`: the route whose profile makes the
window so far likeliest), and that token then computes with the base weights
plus that route's deltas only, and retrieves only from that route's square.
A token the router sends home meets nothing trained after its corpus.

Methods that do not route (``grow``, ``finetune``) have one route without a
profile or deltas and no segment limit: the model is the language model.

How a batch with mixed routes is computed: the base projections run once over
every token; then, per route present in the batch, one low-rank matmul over the
tokens of that route adds its deltas (``index_add`` into the base output), and
each PEER memory limits each token's retrieval to its route's segments. That is
a token computed with one version's merged weights ``W + B_r A_r``, so active
parameters per token are the base model's; the cost grows with the number of
routes present, not with the number of versions (``benchmarks/routed.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor, nn

from continual.lora import LoRADeltas
from continual.router import DomainRouter, NgramProfile
from peer_store.errors import ConfigError
from peer_store import PEERLayer
from trainer.model import LanguageModel, LMOutput


def peer_layers(model: nn.Module) -> list[tuple[int, PEERLayer]]:
    """``(block index, PEERLayer)`` of every PEER memory of a language model (the built-in one's PEER FFNs, or
    the memories beside a Hugging Face base's MLPs), in order; the block index is the segment's layer."""
    return model.memory_layers()


def peer_blocks(model: nn.Module) -> list[int]:
    """Indices of the blocks with a PEER memory."""
    return [i for i, _ in peer_layers(model)]


def segment_counts(model: nn.Module) -> dict[int, int]:
    """``{block: segments}`` of every PEER memory now."""
    return {i: len(layer.memory.segments) for i, layer in peer_layers(model)}


@dataclass
class Route:
    """What one version learnt, as a token routed to it sees the model."""

    name: str
    """The corpus it learnt."""
    profile: NgramProfile | None
    """Its corpus's n-gram profile (None for a model that does not route)."""
    segments: dict[int, int]
    """``{block: segments}``: the leading segments of each PEER memory it retrieves from."""
    learnt_by: int | None = None
    """The store version that learnt it (None until it is stored)."""
    corpora: tuple[str, ...] = ()
    """Every corpus the route has learnt, oldest first, ``name`` last (a route that was continued learnt
    several; empty means ``(name,)``)."""

    def learnt(self) -> tuple[str, ...]:
        """The corpora this route learnt, oldest first."""
        return self.corpora or (self.name,)


class GroupedRouting:
    """A :class:`trainer.model.TokenRouting` for tokens routed ``route [B, S]``: per route present, its deltas
    over its tokens (one low-rank matmul per route and layer) and its segment limits."""

    def __init__(self, route: Tensor, deltas: dict[int, LoRADeltas], limits: dict[int, Tensor] | None):
        flat = route.flatten()  # [B*S]
        self.route = route
        self.groups = [(r, (flat == r).nonzero().squeeze(1), d) for r, d in deltas.items()]  # (route, idx [n_r], deltas)
        self.groups = [(r, idx, d) for r, idx, d in self.groups if idx.numel() > 0]
        self.limits = limits

    def embed(self, tokens: Tensor, x: Tensor) -> Tensor:
        if not self.groups:
            return x
        flat_tokens, out = tokens.flatten(), x.reshape(-1, x.shape[-1])  # [B*S], [B*S, d]
        for _r, idx, d in self.groups:
            out = out.index_add(0, idx, d.embed(flat_tokens[idx]).to(out.dtype))  # [B*S, d]
        return out.view_as(x)

    def linear(self, name: str, x: Tensor, y: Tensor) -> Tensor:
        if not self.groups:
            return y
        xf, out = x.reshape(-1, x.shape[-1]), y.reshape(-1, y.shape[-1])  # [T, in], [T, out]
        for _r, idx, d in self.groups:
            out = out.index_add(0, idx, d.delta(name, xf[idx]).to(out.dtype))  # [T, out]
        return out.view_as(y)

    def segments(self, block: int) -> Tensor | None:
        return None if self.limits is None else self.limits[block][self.route]  # [B, S]


class RoutedModel(nn.Module):
    """The language model ``lm`` and its routes, oldest first; ``forward(tokens)`` routes and computes.

    ``deltas[str(r)]`` are route ``r``'s :class:`LoRADeltas` (routes without deltas use the base weights).
    Parameters are the language model's and the deltas', so one optimizer trains both."""

    def __init__(self, lm: LanguageModel, routes: list[Route] | None = None):
        super().__init__()
        self.lm = lm
        self.routes: list[Route] = list(routes or [])
        self.deltas = nn.ModuleDict()

    @property
    def config(self):
        return self.lm.config

    # -- building ---------------------------------------------------------------------------------
    def add_route(self, name: str, profile: NgramProfile | None, deltas: LoRADeltas | None = None) -> int:
        """A new route learning ``name`` with the segments the memories hold now; its index."""
        if self.routes and (profile is None) != (self.routes[0].profile is None):
            raise ConfigError("every route of a routed model needs an n-gram profile (or none of them has one)")
        if self.routes and profile is not None and profile.vocab != self.routes[0].profile.vocab:
            raise ConfigError(f"a profile of vocabulary {profile.vocab} cannot join routes of vocabulary "
                              f"{self.routes[0].profile.vocab}; profile every corpus with one tokenizer")
        self.routes.append(Route(name, profile, segment_counts(self.lm)))
        r = len(self.routes) - 1
        if deltas is not None:
            self.deltas[str(r)] = deltas.to(next(self.lm.parameters()).device)
        return r

    def continue_route(self, r: int, name: str, profile: NgramProfile, deltas: LoRADeltas) -> None:
        """Route ``r`` goes on learning ``name``: it takes ``profile`` (its corpora's and the new one's),
        ``deltas`` and every segment the memories hold now; its tokens are the new version's."""
        old = self.routes[r]
        self.routes[r] = Route(name, profile, segment_counts(self.lm), corpora=(*old.learnt(), name))
        self.deltas[str(r)] = deltas.to(next(self.lm.parameters()).device)

    def route_deltas(self, r: int) -> LoRADeltas | None:
        return self.deltas[str(r)] if str(r) in self.deltas else None

    # -- routing ----------------------------------------------------------------------------------
    def router(self) -> DomainRouter | None:
        """A router over every route's profile (None when the model does not route)."""
        if len(self.routes) < 2 or self.routes[0].profile is None:
            return None
        router = DomainRouter()
        for route in self.routes:
            router.add(route.profile)
        return router

    @torch.no_grad()
    def route(self, tokens: Tensor) -> Tensor:
        """``[B, S]`` int64: the route of every token (all 0 for a model that does not route)."""
        router = self.router()
        return torch.zeros_like(tokens, dtype=torch.int64) if router is None else router.route(tokens)

    def _limits(self) -> dict[int, Tensor] | None:
        now = segment_counts(self.lm)
        if all(route.segments == now for route in self.routes):
            return None  # every route sees every segment
        device = next(self.lm.parameters()).device
        return {i: torch.tensor([route.segments[i] for route in self.routes], device=device) for i in now}

    def forward(self, tokens: Tensor, route: Tensor | None = None) -> LMOutput:
        """Logits of ``tokens [B, S]``, each token computed with its route (``route [B, S]``, or routed here)."""
        limits = self._limits()
        if not self.deltas and limits is None:
            return self.lm(tokens)
        route = self.route(tokens) if route is None else route
        deltas = {int(r): d for r, d in self.deltas.items()}
        return self.lm(tokens, routing=GroupedRouting(route, deltas, limits))


__all__ = ["GroupedRouting", "Route", "RoutedModel", "peer_blocks", "peer_layers", "segment_counts"]
