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
- each block's FFN by its kind, as the kind counts itself (``flops_per_token`` of each class of
  :data:`trainer.ffn.FFN_REGISTRY`: the formulas are in their docstrings).

A routed version's low-rank deltas cost nothing here: each token takes one version's deltas,
merged into the weights it uses (:mod:`continual.routed`). Not counted: norms, activations, softmaxes, rotary rotations, residual adds, top-k
selections and merges (comparisons), and the scalar gate products.
"""

from __future__ import annotations

from dataclasses import dataclass

from torch import nn

from peer_store.errors import ConfigError
from trainer.ffn import FFN
from trainer.model import LanguageModel


def ffn_flops(ffn: nn.Module, *, group_size: int) -> int:
    """Forward FLOPs per token of one FFN module: its kind's own count (:meth:`trainer.ffn.FFN.flops_per_token`)."""
    if not isinstance(ffn, FFN):
        raise ConfigError(f"no FLOPs count for FFN module {type(ffn).__name__}: an FFN kind subclasses "
                          "trainer.ffn.FFN and counts its own")
    return ffn.flops_per_token(group_size=group_size)


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


__all__ = ["ForwardFlops", "ffn_flops", "forward_flops", "forward_flops_per_token"]
