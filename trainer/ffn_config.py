"""Configs of the sparse FFN kinds inside the language model: the classic mixtures (:class:`MoEConfig`) and the
PEER layer (:class:`PEERFFNConfig`).

Both :mod:`trainer.config` (a model config holds them) and the FFN modules of :mod:`trainer.ffn` (each is built
from one) need them; they live here, below both, so neither imports the other to get them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from peer_store.config import PEERConfig, check_positive_ints
from peer_store.errors import ConfigError


@dataclass
class MoEConfig:
    """Shape and losses of the classic mixtures (Switch, Soft MoE, noisy top-k, hierarchical MoE)."""

    n_experts: int = 8
    """N: experts per sparse layer (the hierarchical MoE's: every group's together)."""

    d_expert: int | None = None
    """Hidden width of each expert MLP. None means the model's d_ff (each expert as wide as the dense FFN)."""

    top_k: int = 2
    """Experts per token of the noisy top-k layer (Shazeer 2017 uses 2 or 4), and per chosen group of the
    hierarchical MoE (its secondary gates' k). Switch is always top-1."""

    n_groups: int = 2
    """Hierarchical MoE: a, the groups of n_experts / n_groups experts (b) its primary gate chooses among."""

    group_top_k: int = 1
    """Hierarchical MoE: groups per token (the primary gate's k); a token runs group_top_k * top_k experts."""

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
    """Noisy top-k and hierarchical MoE: weight of CV(importance)^2 (Shazeer 2017 uses 0.1 on much larger batches)."""

    load_weight: float = 0.01
    """Noisy top-k and hierarchical MoE: weight of CV(load)^2, the load estimated through the normal CDF."""

    noisy: bool = True
    """Noisy top-k and hierarchical MoE: add the learned Gaussian noise in training mode (never in eval mode)."""

    def __post_init__(self) -> None:
        check_positive_ints(self, "n_experts", "top_k", "slots_per_expert", "n_groups", "group_top_k")
        if self.d_expert is not None:
            check_positive_ints(self, "d_expert")
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

    @property
    def experts_per_group(self) -> int:
        """b: experts in each group of the hierarchical MoE."""
        return self.n_experts // self.n_groups

    def check_groups(self) -> None:
        """The hierarchical MoE's rules (the other kinds ignore the groups, so only its layer and config call this)."""
        if self.n_experts % self.n_groups:
            raise ConfigError(f"MoEConfig.n_experts={self.n_experts} is not a multiple of n_groups={self.n_groups}; "
                              "each group holds n_experts / n_groups experts")
        if self.group_top_k > self.n_groups:
            raise ConfigError(f"MoEConfig.group_top_k={self.group_top_k} exceeds n_groups={self.n_groups}; "
                              "lower group_top_k")
        if self.top_k > self.experts_per_group:
            raise ConfigError(f"MoEConfig.top_k={self.top_k} exceeds the {self.experts_per_group} experts of a group "
                              "(n_experts / n_groups); lower top_k or n_groups")


@dataclass
class PEERFFNConfig:
    """The PEER layer inside the LM: every field of :class:`peer_store.PEERConfig` but ``d_model`` (the model's
    width), with defaults sized for the LM. Validation is PEERConfig's own (one set of rules), and a test checks
    that the two keep the same fields."""

    n_heads: int = 4
    top_k: int = 8
    n_keys: int = 32
    d_key: int | None = None
    query_norm: str = "layer"
    score_fn: str = "softmax"
    activation: str = "gelu"
    chunk_entries: int = 16384
    kernel: str = "auto"

    def __post_init__(self) -> None:
        self.layer_config(2 * (self.d_key or 1))  # PEERConfig's checks, whatever the model's width
        if self.top_k > self.n_keys**2:
            raise ConfigError(f"model.peer.top_k={self.top_k} exceeds the {self.n_keys**2} experts of "
                              f"n_keys={self.n_keys}; lower top_k or raise n_keys")

    def layer_config(self, d_model: int) -> PEERConfig:
        """The :class:`peer_store.PEERConfig` of this layer in a model of width ``d_model``."""
        try:
            return PEERConfig(d_model=d_model, **asdict(self))
        except ConfigError as error:
            raise ConfigError(str(error).replace("PEERConfig.", "model.peer.")) from None


__all__ = ["MoEConfig", "PEERFFNConfig"]
