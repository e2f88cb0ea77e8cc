"""Typed configuration of the decoder-only language model and its FFN layers.

Everything is a plain dataclass of ints, floats and strings (FFN kinds are
registry keys, not classes), so a config round-trips through ``to_dict`` /
``from_dict`` into checkpoints, JSON and the version registry.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from peer_store.config import check_known_fields, check_positive_ints
from peer_store.errors import ConfigError
from trainer.ffn_config import MoEConfig, PEERFFNConfig

POSITIONS = ("rope", "learned")
SPARSE_BLOCKS = ("all", "every_other", "middle")


def _from_dict(cls: type, data: dict[str, Any]) -> Any:
    check_known_fields(cls, data)
    return cls(**data)


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
    """Which blocks get ``ffn``: 'all', 'every_other' (blocks 1, 3, ... as in Switch; block 0 of a
    one-block model), or 'middle' (block n_layers // 2 only, as in the PEER paper). The others
    get a dense FFN of width d_ff."""

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
        check_positive_ints(self, "vocab_size", "d_model", "n_layers", "n_heads", "max_seq_len")
        if self.d_ff is None:
            self.d_ff = 4 * self.d_model
        check_positive_ints(self, "d_ff")
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
        from trainer.ffn import ffn_kind  # late: the FFN kinds import torch, a config does not need it

        ffn_kind(self.ffn).check_config(self)

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


@dataclass
class DataConfig:
    """Where the text comes from and how it is cut (see :mod:`trainer.data`)."""

    sources: list[str] = field(default_factory=list)
    """Files, directories, globs, JSONL (optionally .gz), or '-' for standard input."""
    include: list[str] = field(default_factory=lambda: ["*"])
    """Globs a file under a directory source must match (relative path or file name)."""
    exclude: list[str] = field(default_factory=list)
    format: str = "auto"
    """'auto' (JSONL by the .jsonl extension, text otherwise), 'text' or 'jsonl'."""
    text_field: str = "text"
    doc_bytes: int = 65536
    """Records are cut into documents of at most this many bytes (the unit of the split)."""
    heldout_fraction: float = 0.05
    seq_len: int = 256
    tokenizer: str = "byte"
    """'byte' (default) or 'bpe' (trained on the train split; needs the `tokenizers` package)."""
    bpe_vocab_size: int = 4096
    """Tokens of the BPE tokenizer (an upper bound: a small corpus may give fewer)."""
    shuffle: bool = True
    """Shuffle the file order every epoch (seeded; identical on every rank)."""

    def __post_init__(self) -> None:
        if isinstance(self.sources, str):
            self.sources = [self.sources]
        check_positive_ints(self, "doc_bytes", "seq_len", "bpe_vocab_size")
        if not 0.0 <= self.heldout_fraction < 1.0:
            raise ConfigError(f"DataConfig.heldout_fraction must be in [0, 1), got {self.heldout_fraction!r}")


@dataclass
class OptimConfig:
    """AdamW for dense weights, row-wise sparse Adam for expert tables, warmup + cosine."""

    lr: float = 3e-3
    table_lr: float | None = None
    """Learning rate of the expert tables; None means lr."""
    weight_decay: float = 0.01
    betas: tuple[float, float] = (0.9, 0.95)
    warmup_steps: int = 20
    min_lr_ratio: float = 0.1
    """The cosine decays from lr to lr * min_lr_ratio at max_steps."""
    grad_clip: float | None = 1.0
    """Max global norm of the dense gradients (expert tables' sparse gradients are not clipped)."""

    def __post_init__(self) -> None:
        self.betas = tuple(self.betas)
        if not self.lr > 0:
            raise ConfigError(f"OptimConfig.lr must be > 0, got {self.lr!r}")
        if self.warmup_steps < 0 or not 0.0 <= self.min_lr_ratio <= 1.0:
            raise ConfigError("OptimConfig.warmup_steps must be >= 0 and min_lr_ratio in [0, 1]")
        if self.grad_clip is not None and not self.grad_clip > 0:
            raise ConfigError(f"OptimConfig.grad_clip must be > 0 or None, got {self.grad_clip!r}")


@dataclass
class TrainConfig:
    """One training run: model, data, optimizer and the Lightning Trainer's settings."""

    model: ModelConfig = field(default_factory=ModelConfig)
    data: DataConfig = field(default_factory=DataConfig)
    optim: OptimConfig = field(default_factory=OptimConfig)
    batch_size: int = 16
    """Sequences per device and step; the global batch is batch_size * devices * num_nodes."""
    max_steps: int = 1000
    seed: int = 0
    out_dir: str | None = None
    """Checkpoints and CSV logs go here; None keeps nothing on disk."""
    checkpoint_every: int = 0
    """Save a checkpoint every this many steps (0: only at the end), when out_dir is set."""
    resume: str | None = None
    """A checkpoint path, or 'last' for out_dir/checkpoints/last.ckpt."""
    accelerator: str = "auto"
    devices: int | str = 1
    strategy: str = "auto"
    """'auto', 'ddp', ...: Lightning's strategies. Multi-node: set num_nodes and launch one
    process per node with MASTER_ADDR, MASTER_PORT, NODE_RANK (or under SLURM/torchrun)."""
    num_nodes: int = 1
    shard_experts: bool = False
    """Split every PEER layer's expert tables by rows over the training processes (peer_store.sharded)
    instead of copying them to each: for tables larger than one device. Needs strategy 'ddp' ('auto'
    picks it) with devices * num_nodes > 1, and n_keys**2 divisible by that. Checkpoints hold the
    whole tables, as unsharded runs do; the held-out evaluation runs on every rank."""
    precision: str = "auto"
    """'auto' is bf16-mixed on CUDA and 32-true elsewhere."""
    num_workers: int = 0
    log_every: int = 10
    progress: bool = True
    """Show a Rich progress bar."""
    eval_batches: int | None = 50
    """Held-out batches evaluated after training (None: the whole held-out split)."""

    def __post_init__(self) -> None:
        if isinstance(self.model, dict):
            self.model = ModelConfig.from_dict(self.model)
        if isinstance(self.data, dict):
            self.data = _from_dict(DataConfig, self.data)
        if isinstance(self.optim, dict):
            self.optim = _from_dict(OptimConfig, self.optim)
        check_positive_ints(self, "batch_size", "max_steps", "num_nodes", "log_every")
        if self.num_workers < 0 or self.checkpoint_every < 0:
            raise ConfigError("TrainConfig.num_workers and checkpoint_every must be >= 0")
        if self.shard_experts:
            if self.model.ffn != "peer":
                raise ConfigError(f"shard_experts splits PEER expert tables; model.ffn is {self.model.ffn!r}: "
                                  "use model.ffn='peer' or drop shard_experts")
            if self.strategy not in ("auto", "ddp"):
                raise ConfigError(f"shard_experts runs under strategy='ddp' (or 'auto'), got {self.strategy!r}")
            if self.num_nodes == 1 and isinstance(self.devices, int) and self.devices < 2:
                raise ConfigError("shard_experts splits the tables over several processes; "
                                  "set devices > 1 or num_nodes > 1")
        if self.data.seq_len > self.model.max_seq_len:
            raise ConfigError(
                f"data.seq_len={self.data.seq_len} exceeds model.max_seq_len={self.model.max_seq_len}; "
                "raise max_seq_len or lower seq_len"
            )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainConfig:
        return _from_dict(cls, dict(data))
