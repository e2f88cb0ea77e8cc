"""Gated low-rank deltas per version on the frozen backbone: attention, embeddings and the LM head.

With the backbone frozen, a new corpus trains only its grown PEER segments, and its
loss stays far above dense fine-tuning's. Unfreezing parts of the backbone for one
new corpus (the CPU study, seed 0) shows where that plasticity lives: the embeddings
(tied with the LM head) or the attention weights alone bring most of it back, and
each costs the old corpora what the new one gains (backbone drift).

A :class:`VersionLoRA` gives one version that capacity behind a novelty gate::

    f_t  = mean_{s <= t} E[x_s]                      E: the frozen token embedding
    g_t  = sigmoid(w . LN(f_t) + b)
    e'_t = E[x_t] + g_t * D[x_t]                     D: this version's embedding delta (starts at 0)
    y'   = W x + g_t * B (A x)                       every attention qkv and output projection, the LM head

``A`` is ``rank x in`` and ``B`` is ``out x rank`` (``B`` starts at 0, so a new version
starts as the old model). The gate reads nothing but the frozen embedding of the text
so far, so the gate features of old corpora, stored when they were learnt, stay exact
whatever later versions train (they are running means of byte embeddings, not text).
With ``features='bigram'`` it also reads running means of a fixed hashed sign projection
of each token pair (:func:`pair_signs`): ``2d`` features, exact in the same way.
The gate is fitted at growth (new -> 1, stored old -> 0) and trained with that binary
cross-entropy beside the language-model loss, as in :mod:`trainer.gated_adapters`.

Routing is soft (every version adds ``g_t`` times its deltas) or **exclusive**: each
token takes the newest version whose gate is open (logit > 0) and the others not
at all (:func:`exclusive_gates`; the gate still trains through a
straight-through sigmoid). A token of version v then computes with ``W + B_v A_v`` and
``E + D_v``, which can be merged ahead of time: version deltas become experts of
the projections, and a token's active parameters are the base model's plus the gates.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from peer_store.errors import ConfigError
from trainer.gated_adapters import GatedVersion, enlist, gate_features, gate_logits, gate_values, with_gate_loss
from trainer.model import LanguageModel


def lora_targets(model: LanguageModel) -> dict[str, nn.Linear]:
    """The linear layers a version adapts, by name: every block's attention projections and the LM head."""
    out = {}
    for b, block in enumerate(model.blocks):
        for name, module in block.attn.named_children():
            if isinstance(module, nn.Linear):
                out[f"blocks.{b}.attn.{name}"] = module
    out["head"] = model.head
    return out


GATE_FEATURES = ("embedding", "bigram")
"""What a version's gate reads: 'embedding' (running means of the frozen token embedding, ``d`` wide) or
'bigram' (those and running means of :func:`pair_signs`, ``2d`` wide)."""



def check_gate_features(kind: str) -> str:
    """``kind`` if it is one of :data:`GATE_FEATURES`; else a ConfigError naming them."""
    if kind not in GATE_FEATURES:
        raise ConfigError(f"gate features must be one of {GATE_FEATURES}, got {kind!r}")
    return kind


MASK31 = (1 << 31) - 1


def mix31(x: Tensor) -> Tensor:
    """An integer hash of int64 values in [0, 2^31) (multiply-xorshift rounds; products stay below 2^62)."""
    for mult, shift in ((0x5BD1E995, 13), (0x27D4EB2D, 15), (0x5BD1E995, 13)):
        x = (x * mult) & MASK31
        x = x ^ (x >> shift)
    return x


def shifted(tokens: Tensor, j: int, fill: int) -> Tensor:
    """``tokens`` ``[B, S]`` moved ``j`` positions right, ``fill`` (a start symbol) before the window."""
    return torch.cat([torch.full_like(tokens[:, :j], fill), tokens[:, :-j]], 1)


def pair_signs(tokens: Tensor, width: int, vocab: int) -> Tensor:
    """``[B, S, width]`` of +-1: a fixed random sign projection of each (previous token, token) pair, the first
    position paired with a start symbol. Hashed, not stored, so any vocabulary costs no memory; running means
    of it sketch the text's pair histogram (which a running mean of token embeddings cannot see)."""
    prev = shifted(tokens, 1, vocab)  # [B, S]
    pair = prev * vocab + tokens  # [B, S] in [0, (vocab + 1) * vocab)
    j = torch.arange(width, device=tokens.device)
    bits = (mix31(pair.unsqueeze(-1) * width + j + 1) >> 7) & 1  # [B, S, width]
    return bits.to(torch.float32) * 2 - 1


def embedding_features(model: LanguageModel, tokens: Tensor, kind: str = "embedding") -> Tensor:
    """Gate features ``[B, S, d or 2d]`` of ``kind`` (:data:`GATE_FEATURES`) from the frozen token embedding and
    the tokens alone (no version deltas), causal running means."""
    embedded = F.embedding(tokens, model.embed.weight)  # [B, S, d]
    return _features(embedded, tokens, kind, model.config.vocab_size)


def _features(embedded: Tensor, tokens: Tensor, kind: str, vocab: int) -> Tensor:
    f = gate_features(embedded)  # [B, S, d]
    if kind == "embedding":
        return f
    assert kind == "bigram", kind
    signs = pair_signs(tokens, embedded.shape[-1], vocab).to(embedded.dtype)
    return torch.cat([f, gate_features(signs)], -1)  # [B, S, 2d]


class LoRADeltas(nn.Module):
    """One version's embedding delta and rank-``rank`` deltas of the linear layers ``shapes`` (``{name: (in,
    out)}``), without a gate (:class:`trainer.domain_router.RoutedLoRA` routes tokens to them)."""

    def __init__(self, d_model: int, vocab: int, shapes: dict[str, tuple[int, int]], rank: int):
        super().__init__()
        self.init_deltas(d_model, vocab, shapes, rank)

    def init_deltas(self, d_model: int, vocab: int, shapes: dict[str, tuple[int, int]], rank: int) -> None:
        if rank < 1:
            raise ConfigError(f"the LoRA rank must be a positive integer, got {rank}")
        self.embed = nn.Embedding(vocab, d_model)
        nn.init.zeros_(self.embed.weight)
        self.keys = {name: name.replace(".", "_") for name in shapes}
        self.a = nn.ParameterDict({self.keys[n]: nn.Parameter(torch.randn(rank, i) / i**0.5)
                                   for n, (i, _o) in shapes.items()})
        self.b = nn.ParameterDict({self.keys[n]: nn.Parameter(torch.zeros(o, rank)) for n, (_i, o) in shapes.items()})

    def delta(self, name: str, x: Tensor) -> Tensor:
        key = self.keys[name]
        return (x @ self.a[key].T) @ self.b[key].T  # [..., out]

    def delta_params(self) -> int:
        """Parameters a token computed with these deltas unmerged uses: one embedding-delta row, every A and B."""
        return self.embed.embedding_dim + sum(p.numel() for p in (*self.a.values(), *self.b.values()))

    def active_params(self) -> int:
        """Parameters one token is computed with beyond the base model: none, as each token takes one version's
        deltas at most, which can be merged into the weights it uses."""
        return 0


class VersionLoRA(GatedVersion, LoRADeltas):
    """One version's gate and :class:`LoRADeltas`."""

    def __init__(self, d_model: int, vocab: int, shapes: dict[str, tuple[int, int]], rank: int, *,
                 d_gate: int | None = None):
        GatedVersion.__init__(self, d_gate or d_model)  # the gate first: the random draws of earlier reports
        self.init_deltas(d_model, vocab, shapes, rank)

    exclusive = False
    """Set by :class:`GatedLoRA`: whether tokens are routed to one version at most (see the module docstring)."""

    def active_params(self) -> int:
        """Parameters one token is computed with beyond the base model. Soft: gate, one embedding-delta row,
        every A and B. Exclusive: the gate only (a token's version is merged into the weights it uses)."""
        gate = sum(p.numel() for p in self.gate_parameters())
        return gate if self.exclusive else gate + self.delta_params()


def exclusive_gates(logits: Tensor) -> Tensor:
    """Gates ``[..., V]`` for gate logits ``[..., V]`` (oldest version first): 1 for the newest version whose
    gate is open (logit > 0), 0 for the others; all 0 where none is open. The newest open gate decides because
    each version's gate was trained against the stored features of every corpus before it, and knows nothing
    of the ones after it. Forward values are exactly 0 or 1; gradients are the sigmoid's (straight-through)."""
    soft = torch.sigmoid(logits)
    is_open = logits > 0
    rank = torch.arange(1, logits.shape[-1] + 1, device=logits.device, dtype=logits.dtype)  # newer ranks higher
    newest = (is_open * rank).argmax(-1, keepdim=True)  # [..., 1]
    hard = torch.zeros_like(logits).scatter_(-1, newest, 1.0) * is_open.any(-1, keepdim=True)
    return hard + (soft - soft.detach())


class VersionHooks:
    """Forward hooks that add per-token weighted :class:`LoRADeltas` of ``versions`` to ``model``'s embedding and
    its :func:`lora_targets`. Subclasses say how tokens weigh the versions (:meth:`weights`)."""

    def __init__(self, model: LanguageModel):
        self.model = model
        self.targets = lora_targets(model)
        self.versions: list[LoRADeltas] = []
        self._gates: Tensor | None = None  # [B, S, V] weights of each version in the current forward
        self._hooks = [model.embed.register_forward_hook(self._embed)]
        self._hooks += [m.register_forward_hook(self._linear(n)) for n, m in self.targets.items()]

    def weights(self, tokens: Tensor, embedded: Tensor) -> Tensor | None:
        """``[B, S, V]``: how much of each version's deltas each token takes (None: none at all), from the tokens
        and their frozen embedding."""
        raise TypeError(f"{type(self).__name__} must say how tokens weigh the versions")

    def shapes(self) -> dict[str, tuple[int, int]]:
        return {n: (m.in_features, m.out_features) for n, m in self.targets.items()}

    def _embed(self, _module, args, out):
        tokens = args[0]
        self._gates = self.weights(tokens, out)
        if self._gates is None:
            return out
        for i, v in enumerate(self.versions):
            out = out + self._gates[..., i : i + 1] * v.embed(tokens)
        return out

    def _linear(self, name: str):
        def hook(_module, args, out):
            if self._gates is None:
                return out
            x = args[0]
            for i, v in enumerate(self.versions):
                out = out + self._gates[..., i : i + 1] * v.delta(name, x)
            return out

        return hook

    def remove(self) -> None:
        for hook in self._hooks:
            hook.remove()


class GatedLoRA(VersionHooks):
    """Attaches :class:`VersionLoRA` s to a model through forward hooks; they are registered on the model
    (``lora_{n}``), so they train, count as parameters and sit in its ``state_dict``. ``exclusive`` routes each
    token to one version at most (:func:`exclusive_gates`) instead of adding every version's gated deltas."""

    def __init__(self, model: LanguageModel, *, exclusive: bool = False, features: str = "embedding"):
        super().__init__(model)
        self.exclusive, self.features = exclusive, check_gate_features(features)
        self._logits: Tensor | None = None
        self._hooks.append(model.blocks[0].register_forward_hook(self._gate_loss))

    def add(self, rank: int, negatives: Tensor, weight: float = 1.0) -> VersionLoRA:
        """A new version (trainable) with gate negatives ``[M, d]`` (``[M, 2d]`` for 'bigram' features); earlier
        versions are frozen."""
        d = self.model.config.d_model
        version = VersionLoRA(d, self.model.config.vocab_size, self.shapes(), rank,
                              d_gate=2 * d if self.features == "bigram" else d)
        version.exclusive = self.exclusive
        return enlist(self.model, self.versions, version, f"lora_{len(self.versions)}", negatives, weight)

    def gates(self, f: Tensor) -> Tensor:
        """Gate values ``[..., V]`` of every version for gate features ``[..., d]`` (what the deltas are scaled by)."""
        if self.exclusive:
            with torch.no_grad():
                return exclusive_gates(gate_logits(self.versions, f))
        return gate_values(self.versions, f)

    def weights(self, tokens: Tensor, embedded: Tensor) -> Tensor | None:
        if not self.versions:
            self._logits = None
            return None
        f = _features(embedded, tokens, self.features, self.model.config.vocab_size)  # the frozen embedding's
        self._logits = gate_logits(self.versions, f)  # [B, S, V]
        return exclusive_gates(self._logits) if self.exclusive else torch.sigmoid(self._logits)

    def _gate_loss(self, _block, _args, out):
        if self._logits is None or not (self.model.training and torch.is_grad_enabled()):
            return out
        h, aux = out
        return h, with_gate_loss(self.versions, self._logits, aux, "lora_gate")


__all__ = [
    "GATE_FEATURES", "MASK31", "GatedLoRA", "LoRADeltas", "VersionHooks", "VersionLoRA", "check_gate_features",
    "embedding_features", "exclusive_gates", "lora_targets", "mix31", "pair_signs", "shifted",
]
