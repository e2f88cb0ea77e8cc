"""Version adapters behind a novelty gate: backbone capacity for a new corpus that old tokens never see.

With the backbone frozen, a grown PEER segment is all a new corpus can train, and
the new corpus's loss stays far above dense fine-tuning's (the capacity that
learns a new domain lives mostly in attention and the dense blocks). Training the
backbone brings that back but moves every old corpus's outputs (backbone drift).

A :class:`VersionAdapter` adds, for one version, a bottleneck MLP to the output of
every block from the first PEER block on, each scaled per token by a gate::

    f_t   = mean_{s <= t} x_s                       x_s: the input of the first PEER block
    g_t   = sigmoid(w . LN(f_t) + b)
    h'_b  = h_b + g_t * W2_b gelu(W1_b LN(h_b))      for blocks b >= that block (W2 starts at 0)

The gate reads a representation the frozen backbone fixes (embeddings and the blocks
before the first PEER block), so a sample of old corpora's ``f_t`` stored when they
were learnt stays exact. ``f_t`` is the running mean over the window so far (causal):
one position of a byte-level model says little about its domain, the text so far
says much more. It is trained with the language-model loss and a binary
cross-entropy: new tokens -> 1, the stored old samples -> 0. A token the gate finds
old gets (almost) nothing from the adapter; its output is the old model's.

Adapters of earlier versions are frozen with the rest when the next version grows;
their gates keep answering for their own corpora.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from peer_store.errors import ConfigError
from trainer.ffn.base import FFNAux
from trainer.model import LanguageModel


def gate_features(x: Tensor) -> Tensor:
    """Causal running means ``[B, S, d]`` of block inputs ``[B, S, d]``: position t averages 0..t."""
    count = torch.arange(1, x.shape[1] + 1, device=x.device, dtype=x.dtype)  # [S]
    return x.cumsum(1) / count[None, :, None]


class GatedVersion(nn.Module):
    """What every gated version has: a novelty gate ``sigmoid(w . LN(f) + b)`` over gate features ``f`` and the
    stored features of old corpora it is trained to close on (run state, not model state)."""

    def __init__(self, d_gate: int):
        nn.Module.__init__(self)  # not super(): VersionLoRA also inherits LoRADeltas, whose tensors come after the gate
        self.gate_norm = nn.LayerNorm(d_gate)
        self.gate = nn.Linear(d_gate, 1)
        self.negatives: Tensor | None = None
        """Stored gate features ``[M, d_gate]`` of old corpora."""
        self.weight = 1.0
        """Weight of :meth:`gate_loss` beside the language-model loss."""

    def open_gate(self, f: Tensor) -> Tensor:
        """Gate logits ``[...]`` for gate features ``[..., d]``."""
        return self.gate(self.gate_norm(f)).squeeze(-1)

    def gate_parameters(self) -> list[nn.Parameter]:
        return [*self.gate_norm.parameters(), *self.gate.parameters()]

    @property
    def gate_trainable(self) -> bool:
        """Whether this version's gate still trains (the newest version's does; earlier ones are frozen)."""
        return any(p.requires_grad for p in self.gate_parameters())

    def gate_loss(self, logits: Tensor) -> Tensor:
        """BCE: this version's tokens -> 1, the stored old features -> 0."""
        new = F.binary_cross_entropy_with_logits(logits, torch.ones_like(logits))
        if self.negatives is None:
            return new
        old_logits = self.open_gate(self.negatives)
        return new + F.binary_cross_entropy_with_logits(old_logits, torch.zeros_like(old_logits))

    def fit_gate(self, positives: Tensor, *, steps: int = 300, lr: float = 1e-2) -> list[float]:
        """Adam on the gate alone: ``positives`` ``[P, d]`` (the new corpus's gate features) -> 1, the stored
        negatives -> 0; the loss of every step. Run at growth, so training starts with a gate that already
        tells the corpora apart."""
        params = self.gate_parameters()
        opt = torch.optim.Adam(params, lr=lr)
        history = []
        for _ in range(steps):
            opt.zero_grad(set_to_none=True)
            loss = self.gate_loss(self.open_gate(positives))
            loss.backward()
            opt.step()
            history.append(float(loss.detach()))
        for p in params:
            p.grad = None
        return history


def enlist(model: nn.Module, versions: list, version: GatedVersion, name: str, negatives: Tensor,
           weight: float) -> GatedVersion:
    """Freeze the versions in ``versions``, register ``version`` on ``model`` as ``name`` (on the model's device)
    with its gate negatives and loss weight, and append it."""
    for old in versions:
        old.requires_grad_(False)
        old.negatives = None
    device = next(model.parameters()).device
    version.to(device)
    version.negatives, version.weight = negatives.detach().to(device), weight
    model.add_module(name, version)
    versions.append(version)
    return version


def gate_logits(versions: list[GatedVersion], f: Tensor) -> Tensor:
    """Gate logits ``[..., V]`` of every version for gate features ``[..., d]``."""
    return torch.stack([v.open_gate(f) for v in versions], -1)


@torch.no_grad()
def gate_values(versions: list[GatedVersion], f: Tensor) -> Tensor:
    """Gate values ``[..., V]`` of every version for gate features ``[..., d]``."""
    return torch.sigmoid(gate_logits(versions, f))


def with_gate_loss(versions: list[GatedVersion], logits: Tensor, aux: FFNAux, name: str) -> FFNAux:
    """``aux`` plus, under ``name``, the weighted gate losses of the versions whose gates still train, for this
    forward's gate logits ``[..., V]``; ``aux`` itself when none trains."""
    live = [v.weight * v.gate_loss(logits[..., i]) for i, v in enumerate(versions) if v.gate_trainable]
    return FFNAux({**aux.losses, name: sum(live)}, aux.stats) if live else aux


class VersionAdapter(GatedVersion):
    """One version's gate and bottleneck adapters (``rank`` wide) for blocks ``first .. n_layers-1``."""

    def __init__(self, d_model: int, n_adapted: int, rank: int):
        super().__init__(d_model)
        if rank < 1:
            raise ConfigError(f"the adapter rank must be a positive integer, got {rank}")
        self.norms = nn.ModuleList(nn.LayerNorm(d_model) for _ in range(n_adapted))
        self.down = nn.ModuleList(nn.Linear(d_model, rank, bias=False) for _ in range(n_adapted))
        self.up = nn.ModuleList(nn.Linear(rank, d_model, bias=False) for _ in range(n_adapted))
        for up in self.up:
            nn.init.zeros_(up.weight)  # a new version starts as the old model

    def adapt(self, j: int, h: Tensor) -> Tensor:
        return self.up[j](F.gelu(self.down[j](self.norms[j](h))))  # [..., d]


class GatedAdapters:
    """Attaches :class:`VersionAdapter` s to a model through forward hooks; the adapters are registered on
    the model (``adapter_{n}``), so they train, count as parameters and sit in its ``state_dict``."""

    def __init__(self, model: LanguageModel, first: int):
        if not 0 < first < len(model.blocks):
            raise ConfigError(f"the gate reads block {first}'s input; it must be in 1..{len(model.blocks) - 1}")
        self.model, self.first = model, first
        self.versions: list[VersionAdapter] = []
        self._logits: Tensor | None = None  # [B, S, V] gate logits of the current forward, per version
        self._hooks = [model.blocks[first].register_forward_pre_hook(self._gate)]
        self._hooks += [model.blocks[b].register_forward_hook(self._adapt(b - first))
                        for b in range(first, len(model.blocks))]

    def add(self, rank: int, negatives: Tensor, weight: float = 1.0) -> VersionAdapter:
        """A new version's adapter (trainable), gate negatives ``[M, d]``; earlier ones are frozen."""
        adapter = VersionAdapter(self.model.config.d_model, len(self.model.blocks) - self.first, rank)
        return enlist(self.model, self.versions, adapter, f"adapter_{len(self.versions)}", negatives, weight)

    def gates(self, x: Tensor) -> Tensor:
        """Gate values ``[..., V]`` of every version for gate features ``[..., d]``."""
        return gate_values(self.versions, x)

    def _gate(self, _block, args):
        x = gate_features(args[0])  # [B, S, d]
        self._logits = gate_logits(self.versions, x) if self.versions else None

    def _adapt(self, j: int):
        def hook(_block, _args, out):
            if self._logits is None:
                return out
            h, aux = out  # [B, S, d], FFNAux
            g = torch.sigmoid(self._logits)  # [B, S, V]
            for v, a in enumerate(self.versions):
                h = h + g[..., v : v + 1] * a.adapt(j, h)
            if j == 0 and self.model.training and torch.is_grad_enabled():
                aux = with_gate_loss(self.versions, self._logits, aux, "adapter_gate")
            return h, aux

        return hook

    def remove(self) -> None:
        for hook in self._hooks:
            hook.remove()
