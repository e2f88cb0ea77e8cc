"""Routing tokens to versions by which corpus the text so far looks like: n-gram profiles, not a learnt gate.

Learnt gates that close on a stored sample of old features generalised poorly in
the study (they sent a third of python-code's tokens to the python-docs version).
Language identification has long done this job differently: a small n-gram model
per language, and the text goes to the language under which it is most likely.

A :class:`NgramProfile` is such a model of one corpus: hashed counts of its
n-grams up to ``order`` (interpolated, Witten-Bell style), counted over the
windows that corpus trains on. It is statistics, not text: ``2 * order *
buckets`` counts per corpus, persisted with the version (:meth:`NgramProfile.state`).
A :class:`DomainRouter` holds one profile per route and sends token ``t`` of a
window to the route ``c`` that maximises

    L_c(t) = sum_{s <= t} log p_c(x_s | x_{s-order+1} .. x_{s-1})

(ties to the older route). That reads the window's tokens up to ``t``: causal.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import torch
from torch import Tensor

from peer_store.errors import ConfigError
from continual.lora import MASK31, mix31, shifted

_STEP = 1_000_003  # rolling-hash multiplier (a prime; products of 31-bit values stay below 2^51)


def ngram_hashes(tokens: Tensor, order: int, vocab: int) -> list[tuple[Tensor, Tensor]]:
    """For n = 1 .. ``order``: ``(context hash, n-gram hash)``, each ``[B, S]`` int64 in [0, 2^31), of the
    ``n - 1`` tokens before each position (a start symbol before the window) and of those and the token."""
    out = []
    context = torch.zeros_like(tokens)
    for n in range(1, order + 1):
        if n > 1:  # one more token of context
            context = mix31((context * _STEP + shifted(tokens, n - 1, vocab) + 1) & MASK31)
        salted = mix31((context * _STEP + n) & MASK31)  # contexts of different orders hash apart
        out.append((salted, mix31((salted * _STEP + tokens + 1) & MASK31)))
    return out


class NgramProfile:
    """Hashed counts of one corpus's n-grams up to ``order`` in ``buckets`` buckets per order, and the
    interpolated log-probability of each token given the ones before it (see :meth:`log_probs`)."""

    def __init__(self, vocab: int, *, order: int = 3, buckets: int = 1 << 18, smoothing: float = 2.0):
        self.check_settings(order=order, buckets=buckets, smoothing=smoothing)
        self.vocab, self.order, self.buckets, self.smoothing = vocab, order, buckets, smoothing
        self.contexts = torch.zeros(order, buckets)  # counts of (n - 1)-token contexts, per order n
        self.grams = torch.zeros(order, buckets)  # counts of n-grams
        self.tokens = 0

    @staticmethod
    def check_settings(*, order: int, buckets: int, smoothing: float = 2.0) -> None:
        """Refuse, in one line, settings no profile can have, before anything is allocated."""
        if order < 1:
            raise ConfigError(f"the n-gram order must be a positive integer, got {order}")
        if buckets < 1 or buckets & (buckets - 1) or buckets > 1 << 31:
            raise ConfigError(f"the n-gram buckets must be a power of two up to 2^31, got {buckets}")
        if smoothing <= 0:
            raise ConfigError(f"the n-gram smoothing must be positive, got {smoothing}")

    def add(self, tokens: Tensor) -> None:
        """Count the n-grams of windows ``[B, S]`` (each window starts a fresh context)."""
        if tokens.dim() != 2:
            raise ConfigError(f"count n-grams of windows [B, S], got {tuple(tokens.shape)}")
        tokens = tokens.to(self.contexts.device, torch.int64)
        ones = torch.ones(tokens.numel(), device=tokens.device)
        for n, (context, gram) in enumerate(ngram_hashes(tokens, self.order, self.vocab)):
            self.contexts[n].index_add_(0, (context & (self.buckets - 1)).flatten(), ones)
            self.grams[n].index_add_(0, (gram & (self.buckets - 1)).flatten(), ones)
        self.tokens += tokens.numel()

    def settings(self) -> dict[str, int | float]:
        """What :meth:`from_state` needs beside the counts (JSON-safe)."""
        return {"vocab": self.vocab, "order": self.order, "buckets": self.buckets, "smoothing": self.smoothing,
                "tokens": self.tokens}

    def tensors(self) -> dict[str, Tensor]:
        return {"contexts": self.contexts.cpu().contiguous(), "grams": self.grams.cpu().contiguous()}

    @classmethod
    def from_state(cls, settings: dict, tensors: dict[str, Tensor]) -> NgramProfile:
        """The profile whose :meth:`settings` and :meth:`tensors` these are."""
        profile = cls(int(settings["vocab"]), order=int(settings["order"]), buckets=int(settings["buckets"]),
                      smoothing=float(settings["smoothing"]))
        shape = (profile.order, profile.buckets)
        for name in ("contexts", "grams"):
            if tuple(tensors[name].shape) != shape:
                raise ConfigError(f"an n-gram profile's {name} are {tuple(tensors[name].shape)}, expected {shape}")
        profile.contexts, profile.grams = tensors["contexts"].float(), tensors["grams"].float()
        profile.tokens = int(settings["tokens"])
        return profile

    def log_probs(self, tokens: Tensor, hashes: list[tuple[Tensor, Tensor]] | None = None) -> Tensor:
        """``[B, S]``: log p(token | the ``order - 1`` before it), interpolating from order 1 up:
        ``p_n = lam c(ctx, x) / c(ctx) + (1 - lam) p_{n-1}`` with ``lam = c(ctx) / (c(ctx) + smoothing)`` and
        ``p_0 = 1 / vocab``. ``hashes``: :func:`ngram_hashes` of ``tokens`` up to at least this order, when the
        caller has them (a router scores every profile on the same tokens)."""
        if hashes is None:
            hashes = ngram_hashes(tokens.long(), self.order, self.vocab)
        device = tokens.device
        if self.contexts.device != device:  # moved once, with the model's inputs (not every forward)
            self.contexts, self.grams = self.contexts.to(device), self.grams.to(device)
        contexts, grams = self.contexts, self.grams
        p = torch.full(tokens.shape, 1.0 / self.vocab, device=device)
        for n, (context, gram) in enumerate(hashes[: self.order]):
            seen = contexts[n][context & (self.buckets - 1)]
            lam = seen / (seen + self.smoothing)
            p = lam * grams[n][gram & (self.buckets - 1)] / seen.clamp_min(1.0) + (1 - lam) * p
        return p.log()


def _inputs(windows, batch: int, count: int | None = None) -> Iterator[Tensor]:
    """The inputs ``[b, S]`` (each ``[S + 1]`` window less its last token) of the first ``count`` windows of
    ``windows`` (all by default), ``batch`` at a time."""
    it = iter(windows) if count is None else itertools.islice(windows, count)
    while chunk := list(itertools.islice(it, batch)):
        yield torch.stack(chunk)[:, :-1]


def profile_windows(windows, count: int, batch: int, vocab: int, **kw) -> NgramProfile:
    """An :class:`NgramProfile` of the first ``count`` windows of ``windows`` (their inputs), counted ``batch``
    at a time."""
    if count < 1:
        raise ConfigError(f"an n-gram profile needs at least one window, got {count}")
    profile = NgramProfile(vocab, **kw)
    for inputs in _inputs(windows, batch, count):
        profile.add(inputs)
    return profile


@torch.no_grad()
def divergence(a: NgramProfile, b: NgramProfile, order: int = 2) -> float:
    """Jensen-Shannon divergence (nats, in [0, log 2]) of two profiles' ``order``-gram distributions (their
    hashed counts, normalised): 0 for corpora with the same n-gram statistics, symmetric, and cheap (no text)."""
    if a.buckets != b.buckets or not 1 <= order <= min(a.order, b.order):
        raise ConfigError(f"profiles of {a.buckets} and {b.buckets} buckets, orders {a.order} and {b.order}, "
                          f"cannot be compared at order {order}")
    p, q = a.grams[order - 1].cpu(), b.grams[order - 1].cpu()
    if not p.sum() or not q.sum():
        raise ConfigError("an n-gram profile without counts cannot be compared; profile some text first")
    p, q = p / p.sum(), q / q.sum()
    m = (p + q) / 2

    def kl(x: Tensor) -> float:
        seen = x > 0
        return float((x[seen] * (x[seen] / m[seen]).log()).sum())

    return (kl(p) + kl(q)) / 2


def merged(old: NgramProfile, new: NgramProfile) -> NgramProfile:
    """One profile of both corpora: the counts of ``old`` and ``new`` added (same settings)."""
    if old.settings() | {"tokens": 0} != new.settings() | {"tokens": 0}:
        raise ConfigError(f"profiles of different settings cannot merge: {old.settings()} and {new.settings()}")
    out = NgramProfile(old.vocab, order=old.order, buckets=old.buckets, smoothing=old.smoothing)
    out.contexts = old.contexts.cpu() + new.contexts.cpu()
    out.grams = old.grams.cpu() + new.grams.cpu()
    out.tokens = old.tokens + new.tokens
    return out


class DomainRouter:
    """One :class:`NgramProfile` per corpus, oldest first; :meth:`route` sends each token to one of them."""

    def __init__(self):
        self.profiles: list[NgramProfile] = []

    def add(self, profile: NgramProfile) -> None:
        if self.profiles and profile.vocab != self.profiles[0].vocab:
            raise ConfigError(f"a profile of vocabulary {profile.vocab} cannot join a router of vocabulary "
                              f"{self.profiles[0].vocab}; profile every corpus with one tokenizer")
        self.profiles.append(profile)

    @torch.no_grad()
    def scores(self, tokens: Tensor, corpora: int | None = None) -> Tensor:
        """``[C, B, S]``: log-likelihood of each window's tokens up to each position under each of the first
        ``corpora`` profiles (all by default)."""
        profiles = self.profiles[: corpora]
        if not profiles:
            raise ConfigError("the router has no corpus profiles yet")
        hashes = ngram_hashes(tokens.long(), max(p.order for p in profiles), profiles[0].vocab)  # once for all
        return torch.stack([p.log_probs(tokens, hashes) for p in profiles]).cumsum(-1)

    def route(self, tokens: Tensor, corpora: int | None = None) -> Tensor:
        """``[B, S]`` int64: the corpus (index among the first ``corpora``) each token is routed to."""
        return self.scores(tokens, corpora).argmax(0)  # the first (older) corpus on ties


@torch.no_grad()
def routing_shares(router: DomainRouter, windows, batch: int) -> list[float]:
    """Share of the tokens of ``windows`` (inputs of ``[S + 1]`` windows, ``batch`` at a time) that ``router``
    sends to each of its corpora."""
    counts = torch.zeros(len(router.profiles))
    for inputs in _inputs(windows, batch):
        counts += torch.bincount(router.route(inputs).flatten(), minlength=len(router.profiles)).float()
    total = float(counts.sum())
    return (counts / total).tolist() if total else [0.0] * len(counts)


__all__ = [
    "DomainRouter", "NgramProfile", "divergence", "merged", "ngram_hashes", "profile_windows", "routing_shares",
]
