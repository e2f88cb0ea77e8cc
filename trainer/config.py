"""Typed configuration of the decoder-only language model and its FFN layers.

Everything is a plain dataclass of ints, floats and strings (FFN kinds are
registry keys, not classes), so a config round-trips through ``to_dict`` /
``from_dict`` into checkpoints, JSON and the version registry.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from peer_store.errors import ConfigError

POSITIONS = ("rope", "learned")
SPARSE_BLOCKS = ("all", "every_other", "middle")
QUERY_NORMS = ("batch", "layer", "none")


def _positive_ints(obj: Any, *names: str) -> None:
    for name in names:
        value = getattr(obj, name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ConfigError(f"{type(obj).__name__}.{name} must be a positive integer, got {value!r}")


def _from_dict(cls: type, data: dict[str, Any]) -> Any:
    known = {f.name for f in fields(cls)}
    unknown = set(data) - known
    if unknown:
        raise ConfigError(f"unknown {cls.__name__} fields {sorted(unknown)}; known fields are {sorted(known)}")
    return cls(**data)


@dataclass
class MoEConfig:
    """Shape and losses of the classic mixtures (Switch, Soft MoE, noisy top-k)."""

    n_experts: int = 8
    """N: experts per sparse layer."""

    d_expert: int | None = None
    """Hidden width of each expert MLP. None means the model's d_ff (each expert as wide as the dense FFN)."""

    top_k: int = 2
    """Experts per token of the noisy top-k layer (Shazeer 2017 uses 2 or 4). Switch is always top-1."""

    capacity_factor_train: float = 1.25
    """Switch: expert capacity = tokens / N * this factor while training (Fedus 2021: 1.0-1.25)."""

    capacity_factor_eval: float = 2.0
    """Switch: the same factor in eval mode (Fedus 2021 evaluates with 2.0)."""

    balance_alpha: float = 0.01
    """Switch: weight alpha of the load-balancing loss alpha * N * sum_i f_i P_i."""

    z_loss: float = 1e-3
    """Switch: weight of the router z-loss mean(logsumexp(logits)^2) (ST-MoE)."""

    init_scale: float = 0.1
    """Switch: weights drawn from a truncated normal of std sqrt(init_scale / fan_in)."""

    expert_dropout: float = 0.0
    """Switch: dropout inside the experts (the paper raises it for fine-tuning)."""

    slots_per_expert: int = 1
    """Soft MoE: p slots per expert; a group has N * p slots."""

    importance_weight: float = 0.01
    """Noisy top-k: weight of CV(importance)^2 (Shazeer 2017 uses 0.1 on much larger batches)."""

    load_weight: float = 0.01
    """Noisy top-k: weight of CV(load)^2, the load estimated through the normal CDF."""

    noisy: bool = True
    """Noisy top-k: add the learned Gaussian noise in training mode (never in eval mode)."""

    def __post_init__(self) -> None:
        _positive_ints(self, "n_experts", "top_k", "slots_per_expert")
        if self.d_expert is not None:
            _positive_ints(self, "d_expert")
        if self.top_k > self.n_experts:
            raise ConfigError(f"MoEConfig.top_k={self.top_k} exceeds n_experts={self.n_experts}; lower top_k")
        for name in ("capacity_factor_train", "capacity_factor_eval", "init_scale"):
            if not getattr(self, name) > 0:
                raise ConfigError(f"MoEConfig.{name} must be > 0, got {getattr(self, name)!r}")
        for name in ("balance_alpha", "z_loss", "importance_weight", "load_weight"):
            if getattr(self, name) < 0:
                raise ConfigError(f"MoEConfig.{name} must be >= 0, got {getattr(self, name)!r}")
        if not 0.0 <= self.expert_dropout < 1.0:
            raise ConfigError(f"MoEConfig.expert_dropout must be in [0, 1), got {self.expert_dropout!r}")


@dataclass
class PEERFFNConfig:
    """The PEER layer inside the LM (see :class:`peer_store.PEERConfig` for the meaning)."""

    n_heads: int = 4
    top_k: int = 8
    n_keys: int = 32
    d_key: int | None = None
    query_norm: str = "layer"
    """'layer' by default: the paper's 'batch' mixes statistics across positions while
    training, so a token's output would depend on later tokens (not causal)."""
    score_fn: str = "softmax"
    activation: str = "gelu"

    def __post_init__(self) -> None:
        _positive_ints(self, "n_heads", "top_k", "n_keys")
        if self.query_norm not in QUERY_NORMS:
            raise ConfigError(f"PEERFFNConfig.query_norm must be one of {QUERY_NORMS}, got {self.query_norm!r}")
        if self.top_k > self.n_keys**2:
            raise ConfigError(
                f"PEERFFNConfig.top_k={self.top_k} exceeds the {self.n_keys**2} experts of n_keys={self.n_keys}"
            )


@dataclass
class ModelConfig:
    """A pre-norm decoder-only transformer whose FFNs come from a registry."""

    vocab_size: int = 257
    """Tokens; the byte tokenizer has 256 bytes + one end-of-document token."""

    d_model: int = 128
    n_layers: int = 4
    n_heads: int = 4
    max_seq_len: int = 256

    d_ff: int | None = None
    """Hidden width of the dense FFN. None means 4 * d_model."""

    positions: str = "rope"
    """'rope' (rotary, no parameters) or 'learned' (an embedding of max_seq_len rows)."""

    ffn: str = "dense"
    """FFN kind of the sparse blocks, a key of :data:`trainer.ffn.FFN_REGISTRY`."""

    sparse_blocks: str = "all"
    """Which blocks get ``ffn``: 'all', 'every_other' (blocks 1, 3, ... as in Switch), or
    'middle' (block n_layers // 2 only, as in the PEER paper). The others get a dense FFN."""

    dropout: float = 0.0
    tie_embeddings: bool = True
    rope_base: float = 10000.0
    init_std: float = 0.02

    moe: MoEConfig = field(default_factory=MoEConfig)
    peer: PEERFFNConfig = field(default_factory=PEERFFNConfig)

    def __post_init__(self) -> None:
        if isinstance(self.moe, dict):
            self.moe = _from_dict(MoEConfig, self.moe)
        if isinstance(self.peer, dict):
            self.peer = _from_dict(PEERFFNConfig, self.peer)
        _positive_ints(self, "vocab_size", "d_model", "n_layers", "n_heads", "max_seq_len")
        if self.d_ff is None:
            self.d_ff = 4 * self.d_model
        _positive_ints(self, "d_ff")
        if self.d_model % self.n_heads:
            raise ConfigError(f"d_model={self.d_model} must be divisible by n_heads={self.n_heads}")
        if self.positions == "rope" and (self.d_model // self.n_heads) % 2:
            raise ConfigError(f"rotary positions need an even head width, got {self.d_model // self.n_heads}")
        if self.positions not in POSITIONS:
            raise ConfigError(f"ModelConfig.positions must be one of {POSITIONS}, got {self.positions!r}")
        if self.sparse_blocks not in SPARSE_BLOCKS:
            raise ConfigError(f"ModelConfig.sparse_blocks must be one of {SPARSE_BLOCKS}, got {self.sparse_blocks!r}")
        if not 0.0 <= self.dropout < 1.0:
            raise ConfigError(f"ModelConfig.dropout must be in [0, 1), got {self.dropout!r}")
        from trainer.ffn import FFN_REGISTRY  # late: the registry imports this module

        if self.ffn not in FFN_REGISTRY:
            raise ConfigError(f"unknown FFN kind {self.ffn!r}; choose one of {sorted(FFN_REGISTRY)}")

    @property
    def d_expert(self) -> int:
        """Hidden width of one MoE expert."""
        return self.moe.d_expert if self.moe.d_expert is not None else self.d_ff

    def is_sparse(self, block: int) -> bool:
        """Whether block ``block`` gets the ``ffn`` kind (the others are dense)."""
        if self.sparse_blocks == "all":
            return True
        if self.sparse_blocks == "every_other":
            return block % 2 == 1 or self.n_layers == 1
        return block == self.n_layers // 2

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelConfig:
        return _from_dict(cls, dict(data))
