"""Routing tokens to versions by which corpus the text so far looks like: n-gram profiles, not a learnt gate.

The learnt gates of :mod:`trainer.version_lora` close on a stored sample of old
gate features, and on the CPU study they still sent a third of python-code's
tokens to the python-docs version (and more with richer features): a linear gate
over running means generalises poorly from a sample. Language identification has
long done this job differently: a small n-gram model per language, and the text
goes to the language under which it is most likely.

A :class:`NgramProfile` is such a model of one corpus: hashed counts of its
n-grams up to ``order`` (interpolated, Witten-Bell style), counted over the
windows that corpus trains on. It is statistics, not text: ``2 * order *
buckets`` counts per corpus. A :class:`DomainRouter` holds one profile per corpus
learnt and sends token ``t`` of a window to the corpus ``c`` that maximises

    L_c(t) = sum_{s <= t} log p_c(x_s | x_{s-order+1} .. x_{s-1})

(ties to the older corpus). That reads the window's tokens up to ``t``: causal.

:class:`RoutedLoRA` gives each corpus after the first a version of
:class:`trainer.version_lora.LoRADeltas` (rank-r deltas of every attention
projection and the LM head, an embedding delta). A token routed to corpus ``c``
computes with corpus ``c``'s deltas (none for the first corpus) and retrieves only
from the PEER segments that existed when corpus ``c`` was learnt, so a token the
router gets right meets no expert and no delta trained after its corpus. One
version per token: its deltas can be merged into the weights it uses, and a
token's active parameters are the base model's. What is left of forgetting is
the tokens the router gets wrong, and the attention context: earlier tokens of
the window routed elsewhere.

:class:`RoutedGrowth` is the stage policy of ``peer-grow-routed``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import torch
import torch.nn.functional as F
from torch import Tensor

from peer_store.errors import ConfigError
from trainer.compare_policies import GrowSegments, Stage
from trainer.continual import kmeans_keys
from trainer.model import LanguageModel
from trainer.version_lora import MASK31, LoRADeltas, VersionHooks, mix31, shifted
from trainer.versioned import peer_layers

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
        if order < 1:
            raise ConfigError(f"the n-gram order must be a positive integer, got {order}")
        if buckets < 1 or buckets & (buckets - 1) or buckets > 1 << 31:
            raise ConfigError(f"the n-gram buckets must be a power of two up to 2^31, got {buckets}")
        if smoothing <= 0:
            raise ConfigError(f"the n-gram smoothing must be positive, got {smoothing}")
        self.vocab, self.order, self.buckets, self.smoothing = vocab, order, buckets, smoothing
        self.contexts = torch.zeros(order, buckets)  # counts of (n - 1)-token contexts, per order n
        self.grams = torch.zeros(order, buckets)  # counts of n-grams
        self.tokens = 0

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


class RoutedLoRA(VersionHooks):
    """Per corpus after the first, :class:`LoRADeltas` on ``model`` (registered as ``lora_{n}``, so they train,
    count and sit in its ``state_dict``); forward hooks route each token with ``router`` to one corpus, add that
    corpus's deltas, and limit its PEER retrievals to that corpus's segments (:attr:`PEERFFN.segments`).

    ``versions`` lists the deltas, oldest first; ``segments[c]`` is ``{block: segments}`` of corpus ``c``.
    Truncating ``versions`` (as :func:`trainer.compare.without_newer` does) routes among the first corpora only."""

    def __init__(self, model: LanguageModel, router: DomainRouter, first_segments: dict[int, int]):
        super().__init__(model)
        self.router = router
        self.segments: list[dict[int, int]] = [dict(first_segments)]

    def add(self, rank: int) -> LoRADeltas:
        """A trainable version for the next corpus (earlier ones are frozen), routed to with the router's next
        profile and limited to the PEER segments the model has now."""
        if len(self.router.profiles) < len(self.versions) + 2:
            raise ConfigError(f"add the new corpus's profile to the router first: it has {len(self.router.profiles)} "
                              f"profiles for {len(self.versions) + 2} corpora")
        for old in self.versions:
            old.requires_grad_(False)
        c = self.model.config
        version = LoRADeltas(c.d_model, c.vocab_size, self.shapes(), rank).to(next(self.model.parameters()).device)
        self.model.add_module(f"lora_{len(self.versions)}", version)
        self.versions.append(version)
        self.segments.append({i: len(layer.memory.segments) for i, layer in peer_layers(self.model)})
        return version

    def weights(self, tokens: Tensor, embedded: Tensor) -> Tensor | None:
        corpora = len(self.versions) + 1
        route = self.router.route(tokens, corpora) if corpora > 1 else torch.zeros_like(tokens)  # [B, S]
        for i, _layer in peer_layers(self.model):
            limits = torch.tensor([s[i] for s in self.segments[:corpora]], device=tokens.device)
            self.model.blocks[i].ffn.segments = limits[route]  # [B, S]
        if corpora == 1:
            return None
        return F.one_hot(route, corpora)[..., 1:].to(embedded.dtype)  # [B, S, V]; all 0: the first corpus

    def remove(self) -> None:
        super().remove()
        for i, _layer in peer_layers(self.model):
            self.model.blocks[i].ffn.segments = None


class RoutedGrowth(GrowSegments):
    """Grow-and-freeze (k-means keys, backbone frozen after the first corpus) with per-corpus LoRA deltas of
    rank ``rank`` and :class:`RoutedLoRA` routing: before each corpus trains, an :class:`NgramProfile` of its
    first ``profile_windows`` training windows joins the router (``order``, ``buckets``: the profile's)."""

    def __init__(self, *, rank: int = 128, order: int = 3, buckets: int = 1 << 18, profile_windows: int = 2048,
                 init_keys=kmeans_keys):
        super().__init__(freeze_backbone=True, init_keys=init_keys)
        NgramProfile(2, order=order, buckets=buckets)  # checks the profile's settings now, not a corpus later
        if rank < 1:
            raise ConfigError(f"the LoRA rank must be a positive integer, got {rank}")
        if profile_windows < 1:
            raise ConfigError(f"an n-gram profile needs at least one window, got {profile_windows}")
        self.rank, self.order, self.buckets, self.profile_windows = rank, order, buckets, profile_windows
        self.router: DomainRouter | None = None
        self.holder: RoutedLoRA | None = None

    def profile(self, stage: Stage) -> NgramProfile:
        c = stage.config
        return profile_windows(stage.streams[stage.index], self.profile_windows, c.batch_size,
                               stage.tokenizer.vocab_size, order=self.order, buckets=self.buckets)

    def prepare(self, model: LanguageModel, stage: Stage) -> None:
        if stage.index == 0:  # one policy serves every run of the registry: start clean
            self.router, self.holder = DomainRouter(), None
            self.router.add(self.profile(stage))
            return
        first = {i: len(layer.memory.segments) for i, layer in peer_layers(model)}
        super().prepare(model, stage)  # freezes everything, grows one segment per PEER layer
        if self.holder is None:
            self.holder = RoutedLoRA(model, self.router, first)
        self.router.add(self.profile(stage))
        self.holder.add(self.rank)


__all__ = ["DomainRouter", "NgramProfile", "RoutedGrowth", "RoutedLoRA", "ngram_hashes", "profile_windows",
           "routing_shares"]
