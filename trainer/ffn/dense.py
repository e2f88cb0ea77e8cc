"""The dense baseline: a GELU MLP."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from torch import Tensor, nn

from trainer.ffn.base import FFN, FFNAux

if TYPE_CHECKING:
    from trainer.config import ModelConfig


class DenseFFN(FFN):
    """``y = W_out gelu(W_in x)`` (no biases, so a one-expert MoE can equal it exactly)."""

    def __init__(self, d_model: int, d_ff: int, *, dropout: float = 0.0):
        super().__init__()
        self.w_in = nn.Linear(d_model, d_ff, bias=False)
        self.w_out = nn.Linear(d_ff, d_model, bias=False)
        self.dropout = nn.Dropout(dropout)

    @classmethod
    def from_config(cls, config: ModelConfig) -> DenseFFN:
        return cls(config.d_model, config.d_ff, dropout=config.dropout)

    @classmethod
    def active_params(cls, config: ModelConfig, *, group_size: int | None = None) -> int:
        """``2 d d_ff``."""
        return 2 * config.d_model * config.d_ff

    def flops_per_token(self, *, group_size: int) -> int:
        """``2 * 2 d f`` for width ``f``."""
        f, d = self.w_in.weight.shape
        return 2 * 2 * d * f

    def forward(
        self, x: Tensor, linear: Callable[[str, nn.Linear, Tensor], Tensor] | None = None
    ) -> tuple[Tensor, FFNAux]:
        """``linear(name, layer, input)``, if given, computes each of ``w_in`` and ``w_out`` (a router's per-token
        corrections, :class:`trainer.model.TokenRouting`)."""
        if linear is None:
            h = nn.functional.gelu(self.w_in(x))  # [..., d_ff]
            return self.dropout(self.w_out(h)), FFNAux()  # [..., d]
        h = nn.functional.gelu(linear("w_in", self.w_in, x))  # [..., d_ff]
        return self.dropout(linear("w_out", self.w_out, h)), FFNAux()  # [..., d]
