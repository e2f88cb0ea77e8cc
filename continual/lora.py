"""Low-rank deltas of one version on a frozen backbone: the embedding, every attention projection, both layers of
every dense FFN, the LM head.

With the backbone frozen, a new corpus trains only its grown PEER segments, which
cannot change how tokens are embedded or attended to: the plasticity a new corpus
needs is in the embeddings and the attention weights too. A version of the routed
method therefore owns :class:`LoRADeltas`::

    e'_t = E[x_t] + D[x_t]          D: the version's embedding delta (starts at 0)
    y'   = W x + B (A x)            every attention qkv and output projection, every dense FFN layer, the LM head

``A`` is ``rank x in`` and ``B`` is ``out x rank`` (``B`` starts at 0, so a new
version starts as the old model). A token takes one version's deltas at most
(:mod:`continual.routed`), so they can be merged into the weights it uses: a
token's active parameters are the base model's.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from peer_store.errors import ConfigError

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


def lora_shapes(model: nn.Module) -> dict[str, tuple[int, int]]:
    """``{name: (in, out)}`` of the linear layers a version adapts (the model's ``linear_names()``): ``nn.Linear``,
    or GPT-2's ``Conv1D`` (a linear layer whose weight is stored ``[in, out]``)."""
    modules = dict(model.named_modules())
    out = {}
    for name in model.linear_names():
        layer = modules[name]
        if isinstance(layer, nn.Linear):
            out[name] = (layer.in_features, layer.out_features)
        else:
            assert type(layer).__name__ == "Conv1D", f"{name} is a {type(layer).__name__}, not a linear layer"
            out[name] = (layer.weight.shape[0], layer.nf)
    return out


class LoRADeltas(nn.Module):
    """One version's embedding delta and rank-``rank`` deltas of the linear layers ``shapes`` (``{name: (in,
    out)}``)."""

    def __init__(self, d_model: int, vocab: int, shapes: dict[str, tuple[int, int]], rank: int):
        super().__init__()
        if not isinstance(rank, int) or rank < 1:
            raise ConfigError(f"the LoRA rank must be a positive integer, got {rank!r}")
        self.rank = rank
        self.embed = nn.Embedding(vocab, d_model)
        nn.init.zeros_(self.embed.weight)
        self.keys = {name: name.replace(".", "_") for name in shapes}
        self.a = nn.ParameterDict({self.keys[n]: nn.Parameter(torch.randn(rank, i) / i**0.5)
                                   for n, (i, _o) in shapes.items()})
        self.b = nn.ParameterDict({self.keys[n]: nn.Parameter(torch.zeros(o, rank)) for n, (_i, o) in shapes.items()})

    @classmethod
    def for_model(cls, model: nn.Module, rank: int) -> LoRADeltas:
        c = model.config
        return cls(c.d_model, c.vocab_size, lora_shapes(model), rank)

    def shapes(self) -> dict[str, tuple[int, int]]:
        return {n: (self.a[k].shape[1], self.b[k].shape[0]) for n, k in self.keys.items()}

    def delta(self, name: str, x: Tensor) -> Tensor:
        """``B (A x)`` of layer ``name`` for inputs ``x [..., in]``."""
        key = self.keys[name]
        return (x @ self.a[key].T) @ self.b[key].T  # [..., out]

    def merged(self, name: str, weight: Tensor) -> Tensor:
        """``W + B A``: layer ``name``'s weight ``[out, in]`` with these deltas merged in."""
        key = self.keys[name]
        return weight + self.b[key] @ self.a[key]


__all__ = ["MASK31", "LoRADeltas", "lora_shapes", "mix31", "shifted"]
