"""Typed configuration of a continual-learning store: the model, and how every version trains.

``peer init`` records it in the store (``Store.config``); every later ingest of
that store reads it back, so all versions share one model shape and one way of
cutting, training and evaluating text. ``peer init --config`` takes a preset's name
(:mod:`continual.presets`, e.g. ``million``) or a JSON or TOML file with the same fields, e.g.::

    steps = 300
    [model]
    d_model = 128
    [model.peer]
    n_keys = 32
"""

from __future__ import annotations

import copy
import json
import math
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from continual.bases.hf_config import HFBaseConfig
from continual.methods import method_options
from continual.presets import PRESETS
from peer_store.config import check_known_fields
from peer_store.errors import ConfigError
from trainer.config import ModelConfig, OptimConfig

FORMAT = "peer-store/continual/1"
LEGACY_METHOD = "grow"
"""The method of a store recorded before stores had one: every ingest grew a segment, nothing routed."""


DEFAULT_MODEL: dict[str, Any] = dict(
    d_model=128,
    n_layers=4,
    n_heads=4,
    max_seq_len=128,
    ffn="peer",
    sparse_blocks="every_other",
    peer=dict(n_heads=4, top_k=16, n_keys=16, d_key=112),
)
"""The fields of the default model that differ from ModelConfig's own defaults (derived values such as
d_ff are left to ModelConfig, so a partial model table in a config file gets them for its own width).

The PEER shape (4 heads x top-16 of 16^2 experts per segment, 112-wide queries) holds as many active
parameters per token as top-8 of 32^2 with 128-wide queries, spent on twice the experts per token
(`reports/why-the-defaults.md` has what it was measured against)."""


def default_model() -> ModelConfig:
    """A small byte-level LM: 4 blocks of width 128, PEER in blocks 1 and 3 (1024 experts each)."""
    return ModelConfig.from_dict({**DEFAULT_MODEL, "peer": dict(DEFAULT_MODEL["peer"])})


@dataclass
class ContinualConfig:
    """The model of a store and the defaults of every ingest into it."""

    model: ModelConfig | HFBaseConfig = field(default_factory=default_model)
    """The built-in LM's config, or a Hugging Face base's (``kind='hf'``: its transformers config and memories)."""
    optim: OptimConfig = field(default_factory=lambda: OptimConfig(lr=3e-3, warmup_steps=20, table_lr=1e-2))
    seq_len: int = 128
    """Tokens per training window (at most model.max_seq_len)."""
    batch_size: int = 16
    steps: int = 200
    """Training steps of an ingest when neither --steps nor --tokens is given."""
    keys: int | None = None
    """Sub-keys per half of the shell each ingest grows the PEER grids by (a grid of n sub-keys per half gains
    ``2 * n * keys + keys**2`` experts); None means model.peer.n_keys."""
    heldout_fraction: float = 0.1
    doc_bytes: int = 4096
    """Records are cut into documents of at most this many bytes: the unit of the held-out split."""
    eval_batches: int | None = 20
    """Held-out batches evaluated per corpus (None: the whole held-out split)."""
    kmeans_batches: int = 4
    """Batches of the new corpus whose queries the k-means key initialisation sees."""
    seed: int = 0
    accelerator: str = "auto"
    method: str = "routed"
    """How every version of the store is made: a name of :data:`continual.methods.METHODS`."""
    method_options: dict[str, Any] = field(default_factory=dict)
    """The method's options (fields of its options dataclass); what is left out takes its default, and the
    config holds every field once validated, so a store records how its versions were made."""
    base: dict[str, Any] | None = None
    """Where a Hugging Face base came from (``peer init --base-model``): its ``name`` (a folder or hub name),
    ``revision`` and the sha256 of each of its weight files (``weights``); None for the built-in LM."""
    format: str = FORMAT

    def __post_init__(self) -> None:
        if isinstance(self.model, dict):
            hf = self.model.get("kind") == "hf"
            self.model = HFBaseConfig.from_dict(self.model) if hf else ModelConfig.from_dict(self.model)
        if isinstance(self.optim, dict):
            self.optim = OptimConfig(**self.optim)
        self.method_options = method_options(self.method, self.method_options).to_dict()
        if self.format != FORMAT:
            raise ConfigError(
                f"the store's config has format {self.format!r}, this peer-store reads {FORMAT!r}; "
                "upgrade peer-store (pip install -U peer-store)"
            )
        if isinstance(self.model, ModelConfig) and self.model.ffn != "peer":
            raise ConfigError(f"a continual store grows PEER memories: model.ffn must be 'peer', got {self.model.ffn!r}")
        for name in ("seq_len", "batch_size", "steps", "doc_bytes", "kmeans_batches"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigError(f"ContinualConfig.{name} must be a positive integer, got {value!r}")
        if self.keys is not None and (not isinstance(self.keys, int) or self.keys < 1):
            raise ConfigError(f"ContinualConfig.keys must be a positive integer or None, got {self.keys!r}")
        if self.seq_len > self.model.max_seq_len:
            raise ConfigError(f"seq_len={self.seq_len} exceeds model.max_seq_len={self.model.max_seq_len}")
        if not 0.0 < self.heldout_fraction < 1.0:
            raise ConfigError(f"heldout_fraction must be in (0, 1), got {self.heldout_fraction!r}")
        if isinstance(self.model, ModelConfig) and self.model.vocab_size < 257:
            raise ConfigError("a continual store uses the byte tokenizer: model.vocab_size must be at least 257")

    @property
    def new_keys(self) -> int:
        if self.keys is not None:
            return self.keys
        return self.model.peer_config().n_keys if isinstance(self.model, HFBaseConfig) else self.model.peer.n_keys

    @property
    def window_tokens(self) -> int:
        """Target tokens of one training step."""
        return self.batch_size * self.seq_len

    def steps_for(self, steps: int | None, tokens: int | None) -> int:
        """Steps of an ingest from --steps or --tokens (one of them, or neither for the default)."""
        if steps is not None and tokens is not None:
            raise ConfigError("pass --steps or --tokens, not both")
        if steps is not None:
            if steps < 1:
                raise ConfigError(f"--steps must be at least 1, got {steps}")
            return steps
        if tokens is not None:
            if tokens < 1:
                raise ConfigError(f"--tokens must be at least 1, got {tokens}")
            return math.ceil(tokens / self.window_tokens)
        return self.steps

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ContinualConfig:
        """A config from its fields (a config file's tables, or what a store recorded). Whatever the values,
        the result is a valid config or one :class:`ConfigError` line: this is where user input enters."""
        if not isinstance(data, dict):
            raise ConfigError(f"a config must be a table of fields, got {type(data).__name__}")
        check_known_fields(cls, data, "config")
        for table in ("model", "optim"):
            if table in data and not isinstance(data[table], (dict, ModelConfig, OptimConfig)):
                raise ConfigError(f"config field {table!r} must be a table of fields, got {data[table]!r}")
        if isinstance(data.get("model"), dict) and data["model"].get("kind") != "hf":  # fill a partial model table
            peer = data["model"].get("peer", {})
            if not isinstance(peer, dict):
                raise ConfigError(f"config field 'model.peer' must be a table of fields, got {peer!r}")
            data = {**data, "model": {**DEFAULT_MODEL, **data["model"], "peer": {**DEFAULT_MODEL["peer"], **peer}}}
        try:
            return cls(**data)
        except (TypeError, ValueError, AttributeError, KeyError, OverflowError) as error:
            if isinstance(error, ConfigError):
                raise
            # a value of the wrong type met a check written for the right one
            raise ConfigError(f"bad config: {error}".splitlines()[0]) from None

    @classmethod
    def from_file(cls, path: Path | str) -> ContinualConfig:
        """Read a JSON (``.json``) or TOML (anything else) config file."""
        path = Path(path)
        if not path.is_file():
            raise ConfigError(f"config file {path} does not exist")
        try:
            text = path.read_text()
            data = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
        except (ValueError, UnicodeDecodeError) as error:
            raise ConfigError(f"config file {path} is not valid {'JSON' if path.suffix == '.json' else 'TOML'}: {error}") from None
        if not isinstance(data, dict):
            raise ConfigError(f"config file {path} must hold a table of fields")
        return cls.from_dict(data)

    @classmethod
    def from_preset(cls, name: str) -> ContinualConfig:
        """The preset ``name`` of :data:`continual.presets.PRESETS`."""
        if name not in PRESETS:
            raise ConfigError(f"unknown preset {name!r}; presets are {', '.join(PRESETS)}")
        return cls.from_dict(copy.deepcopy(PRESETS[name].fields))

    @classmethod
    def from_preset_or_file(cls, value: str | Path) -> ContinualConfig:
        """A preset by name, else a config file (``./NAME`` reads a file that has a preset's name)."""
        if str(value) in PRESETS:
            return cls.from_preset(str(value))
        if not Path(value).is_file():
            raise ConfigError(f"{value} is neither a preset ({', '.join(PRESETS)}) nor a config file")
        return cls.from_file(value)

    @classmethod
    def of_store(cls, config: dict[str, Any]) -> ContinualConfig:
        """The config a store recorded at ``peer init``."""
        if not config:
            raise ConfigError(
                "this store has no model config (it was made without one); make a new store with `peer init`"
            )
        return cls.from_dict({"method": LEGACY_METHOD, **config})
