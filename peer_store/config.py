"""Typed configuration of a PEER layer."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from peer_store.errors import ConfigError

QUERY_NORMS = ("batch", "layer", "none")


def check_known_fields(cls: type, data: dict[str, Any], label: str | None = None) -> None:
    """Refuse keys that are not fields of the dataclass ``cls``, naming the known ones."""
    known = {f.name for f in fields(cls)}
    unknown = set(data) - known
    if unknown:
        raise ConfigError(f"unknown {label or cls.__name__} fields {sorted(unknown)}; known fields are {sorted(known)}")


def check_positive_ints(obj: Any, *names: str) -> None:
    """Refuse a field of ``obj`` among ``names`` that is not a positive integer (bools are not), naming it."""
    for name in names:
        value = getattr(obj, name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ConfigError(f"{type(obj).__name__}.{name} must be a positive integer, got {value!r}")

SCORE_FNS = ("softmax", "sigmoid")
ACTIVATIONS = ("gelu", "relu")
KERNELS = ("auto", "gather", "dense")


@dataclass
class PEERConfig:
    """Shape and behaviour of one PEER layer (defaults follow He 2024 where it fits a CPU and is causal-safe)."""

    d_model: int
    """Width of the residual stream: input and output size, and size of each expert vector."""

    n_heads: int = 8
    """h: independent query networks; all heads share one expert pool and one set of product keys."""

    top_k: int = 16
    """k: experts retrieved per head per token."""

    n_keys: int = 1024
    """Sub-keys per half of the first grid, which holds n_keys**2 experts (``memory.grow`` adds shells)."""

    d_key: int | None = None
    """Query width (split in two halves of d_key/2). None means d_model."""

    query_norm: str = "layer"
    """'layer' (LayerNorm of each head's query, token by token: safe in a causal model), 'batch'
    (the paper: BatchNorm1d over the queries of every token of the batch, so in training mode a
    token's query depends on the other positions, later ones included; opt in for non-causal
    use) or 'none'."""

    score_fn: str = "softmax"
    """Router weights over the k retrieved experts of a head: 'softmax' (paper) or 'sigmoid'."""

    activation: str = "gelu"
    """Expert non-linearity: 'gelu' (paper) or 'relu'."""

    chunk_entries: int = 16384
    """Retrieved (token, head, expert) entries processed at once by the expert kernel; bounds the
    scratch memory to chunk_entries * d_model floats and never holds [tokens, h, k, d]."""

    kernel: str = "auto"
    """Expert mixture kernel: 'gather' (reads each retrieved expert's rows: time per entry,
    any N), 'dense' (matmuls over every expert, masked to the retrieved ones: fast for
    memories of a few thousand experts) or 'auto' (dense while N <= 32 * n_heads * top_k,
    re-decided as the memory grows). All give the same outputs and sparse table gradients."""

    def __post_init__(self) -> None:
        if self.d_key is None:
            self.d_key = self.d_model
        check_positive_ints(self, "d_model", "n_heads", "top_k", "n_keys", "d_key", "chunk_entries")
        if self.d_key % 2:
            raise ConfigError(
                f"PEERConfig.d_key must be even (it is split into two product-key halves), "
                f"got {self.d_key}; pass an even d_key or an even d_model"
            )
        for name, allowed in (
            ("query_norm", QUERY_NORMS),
            ("score_fn", SCORE_FNS),
            ("activation", ACTIVATIONS),
            ("kernel", KERNELS),
        ):
            if getattr(self, name) not in allowed:
                raise ConfigError(f"PEERConfig.{name} must be one of {allowed}, got {getattr(self, name)!r}")

    @property
    def d_half(self) -> int:
        """Width of one product-key half."""
        return self.d_key // 2

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PEERConfig:
        check_known_fields(cls, data)
        return cls(**data)
