"""Forward FLOPs per token of a :class:`~trainer.model.LanguageModel`, counted from its modules.

    from study.flops import forward_flops_per_token
    flops = forward_flops_per_token(model, seq_len=128, group_size=16)

Two FLOPs per multiply-add of one training-mode forward pass, per token, read from the
modules the model holds now (so a PEER memory that grew costs more: its new segment's
sub-keys are scored for every token). With ``d`` the model width, ``V`` the vocabulary
and ``S`` the window length:

- embeddings (and learned positions): lookups and one add, free;
- attention, per block: projections ``2 * d * 3d + 2 * d * d``; scores ``q . k`` and the
  weighted sum of values ``2 * 2 * d * c`` at a context of ``c`` keys: the average causal
  context ``(S + 1) / 2`` (what a causal kernel has to compute), or ``S`` with
  ``causal=False`` (what a dense ``S x S`` kernel computes, as ``FlopCounterMode`` counts it);
- LM head: ``2 * d * V``;
- each block's FFN by its kind (:data:`FFN_FLOPS`):

  - dense MLP of width ``f``: ``2 * 2 * d * f``;
  - PEER (``h`` heads, top-``k``, queries of ``d_key``, segments of ``n_s`` sub-keys a half):
    query net ``2 * d * h * d_key``; product-key scoring against every segment's two halves
    ``h * sum_s 2 * n_s * d_key``; candidate sums ``h * sum_s min(k, n_s)**2`` (one add each);
    experts ``h * k * 2 * 2 * d`` (a down dot product and a scaled up vector each);
  - Switch (``N`` experts of width ``e``): router ``2 * d * N`` + one expert ``2 * 2 * d * e``
    (tokens dropped by capacity are still counted: the bound, not the luck of a batch);
  - noisy top-k: router ``2 * d * N``, the noise net as much again when it exists, ``k`` experts;
  - hierarchical MoE (``a`` groups of ``b``, ``k_a`` groups and ``k_b`` experts a group per token): primary
    gate ``2 * d * a``, the chosen groups' secondary gates ``k_a * 2 * d * b``, each gate's noise net as much
    again when it exists, and ``k_a * k_b`` experts;
  - Soft MoE (``P`` slots, tokens grouped by position across a batch of ``group_size``):
    slot logits, dispatch and combine ``3 * 2 * d * P``, and the ``P`` slot experts once per
    group, ``P * 2 * 2 * d * e / group_size`` per token (rounded).

A routed version's low-rank deltas cost nothing here: each token takes one version's deltas,
merged into the weights it uses (:mod:`continual.routed`). Not counted: norms, activations, softmaxes, rotary rotations, residual adds, top-k
selections and merges (comparisons), and the scalar gate products.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from torch import nn

from peer_store.errors import ConfigError
from trainer.ffn import DenseFFN, HierarchicalMoEFFN, NoisyTopKFFN, PEERFFN, SoftMoEFFN, SwitchFFN
from trainer.ffn.base import ExpertMLPs
from trainer.model import LanguageModel


def _expert_flops(experts: ExpertMLPs) -> int:
    """One expert MLP ``d -> e -> d`` on one token."""
    _, d, e = experts.w_in.shape
    return 2 * 2 * d * e


def dense_flops(ffn: DenseFFN, *, group_size: int) -> int:
    f, d = ffn.w_in.weight.shape
    return 2 * 2 * d * f


def peer_flops(ffn: PEERFFN, *, group_size: int) -> int:
    layer = ffn.layer
    c, d = layer.config, layer.config.d_model
    h, k, d_key = c.n_heads, c.top_k, c.d_key
    query = 2 * d * h * d_key
    shells = layer.memory.segments
    scoring = h * sum(2 * s.n_keys * d_key for s in shells)  # 2 halves x n_s x d_key/2 MACs
    grids = [s.start + s.n_keys for i, s in enumerate(shells) if i + 1 == len(shells) or shells[i + 1].start == 0]
    candidates = h * sum(min(k, n) ** 2 for n in grids)  # k*k sums per grid (stores before shells: one per segment)
    experts = h * k * 2 * 2 * d
    return query + scoring + candidates + experts


def switch_flops(ffn: SwitchFFN, *, group_size: int) -> int:
    n, d = ffn.router.weight.shape
    return 2 * d * n + _expert_flops(ffn.experts)


def topk_flops(ffn: NoisyTopKFFN, *, group_size: int) -> int:
    n, d = ffn.w_gate.weight.shape
    nets = 2 if ffn.w_noise is not None else 1  # the noise net runs in training mode
    return nets * 2 * d * n + ffn.config.top_k * _expert_flops(ffn.experts)


def hmoe_flops(ffn: HierarchicalMoEFFN, *, group_size: int) -> int:
    c = ffn.config
    d = ffn.w_gate.weight.shape[1]
    nets = 2 if ffn.w_noise is not None else 1  # the noise nets run in training mode
    gates = nets * 2 * d * (c.n_groups + c.group_top_k * c.experts_per_group)
    return gates + c.group_top_k * c.top_k * _expert_flops(ffn.experts)


def soft_flops(ffn: SoftMoEFFN, *, group_size: int) -> int:
    d, slots = ffn.phi.shape
    mixing = 3 * 2 * d * slots  # logits, dispatch (D^T X), combine (C Ys)
    return mixing + round(slots * _expert_flops(ffn.experts) / group_size)


FFN_FLOPS: dict[type[nn.Module], Callable[..., int]] = {
    DenseFFN: dense_flops,
    PEERFFN: peer_flops,
    SwitchFFN: switch_flops,
    NoisyTopKFFN: topk_flops,
    HierarchicalMoEFFN: hmoe_flops,
    SoftMoEFFN: soft_flops,
}
"""FFN module type -> ``(module, *, group_size) -> forward FLOPs per token``."""


def ffn_flops(ffn: nn.Module, *, group_size: int) -> int:
    """Forward FLOPs per token of one FFN module."""
    try:
        count = FFN_FLOPS[type(ffn)]
    except KeyError:
        raise ConfigError(f"no FLOPs count for FFN module {type(ffn).__name__}; add one to "
                          "study.flops.FFN_FLOPS") from None
    return count(ffn, group_size=group_size)


@dataclass(frozen=True)
class ForwardFlops:
    """Forward FLOPs per token by part (see the module docstring for what each counts)."""

    attention: int
    """Every block's projections, scores and weighted sums."""
    ffn: tuple[int, ...]
    """Each block's FFN, in block order."""
    head: int

    @property
    def total(self) -> int:
        return self.attention + sum(self.ffn) + self.head


def forward_flops(model: LanguageModel, *, seq_len: int, group_size: int, causal: bool = True) -> ForwardFlops:
    """Forward FLOPs per token of ``model`` on windows of ``seq_len`` tokens in batches of ``group_size``
    (Soft MoE's group); attention at the average causal context unless ``causal=False``."""
    if seq_len < 1 or group_size < 1:
        raise ConfigError(f"seq_len and group_size must be positive, got {seq_len} and {group_size}")
    d = model.config.d_model
    projections = 2 * d * 3 * d + 2 * d * d
    # scores and weighted sum: 2 x 2 x d x context; the causal mean context is (S + 1) / 2
    mixing = 2 * d * (seq_len + 1) if causal else 2 * 2 * d * seq_len
    vocab, width = model.head.weight.shape
    assert width == d, (width, d)
    return ForwardFlops(
        attention=len(model.blocks) * (projections + mixing),
        ffn=tuple(ffn_flops(block.ffn, group_size=group_size) for block in model.blocks),
        head=2 * d * vocab,
    )


def forward_flops_per_token(model: LanguageModel, *, seq_len: int, group_size: int, causal: bool = True) -> int:
    """Total forward FLOPs per token (:func:`forward_flops`)."""
    return forward_flops(model, seq_len=seq_len, group_size=group_size, causal=causal).total


__all__ = ["FFN_FLOPS", "ForwardFlops", "ffn_flops", "forward_flops", "forward_flops_per_token"]
