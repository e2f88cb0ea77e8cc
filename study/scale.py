"""Named sizes of a whole forgetting study (``peer compare --scale``): model, training and data.

    config, steps, domain_bytes = resolve_study("gpu-small", config_file=None, steps=None, domain_bytes=None)

A scale is a :class:`ContinualConfig` (model, windows, batch, steps per corpus, evaluation
batches, accelerator) and the bytes each built-in domain takes. ``cpu`` is the committed
CPU report's study (``ContinualConfig()``, the store default, with 150 steps and 16 held-out batches); the GPU scales train with ``accelerator='gpu'``
and refuse to start without one, since on a CPU they would run for days.

The built-in domains hold about 4.7 MB (python-code), 0.46 MB (python-docs) and 5.3 MB
(shakespeare): a larger ``domain_bytes`` takes all of each; a longer study needs corpora of its
own in the stream file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from peer_store.errors import ConfigError
from continual.config import ContinualConfig


@dataclass(frozen=True)
class StudyScale:
    name: str
    description: str
    config: Callable[[], ContinualConfig]
    """A fresh config of this scale (configs are mutable, so never shared)."""
    domain_bytes: int
    """Bytes of text each built-in domain takes (about)."""


def _config(fields: dict[str, Any]) -> Callable[[], ContinualConfig]:
    """A config from the fields that differ from the defaults (a partial model table, as in a config file)."""
    return lambda: ContinualConfig.from_dict({k: dict(v) if isinstance(v, dict) else v for k, v in fields.items()})


SCALES: dict[str, StudyScale] = {
    s.name: s
    for s in [
        StudyScale("cpu", "the default model of `peer init` (d=128, 4 blocks, PEER 4 heads x top-16 of 16^2 "
                   "experts per segment, 112-wide queries, expert tables at lr 0.01), 16 x 128-byte windows, 150 "
                   "steps per corpus, 16 held-out batches per corpus: the study of reports/forgetting-cpu",
                   _config(dict(steps=150, eval_batches=16)), 1_500_000),
        StudyScale("gpu-small", "d=256, 6 blocks, PEER 8 heads x top-8 of 64^2 experts per segment, 32 x 256-byte "
                   "windows, 1000 steps per corpus, on a GPU", _config(dict(
                       model=dict(d_model=256, n_layers=6, n_heads=8, max_seq_len=256,
                                  peer=dict(n_heads=8, top_k=8, n_keys=64)),
                       optim=dict(lr=2e-3, warmup_steps=50),
                       seq_len=256, batch_size=32, steps=1000, eval_batches=32, kmeans_batches=8,
                       accelerator="gpu",
                   )), 4_000_000),
        StudyScale("gpu", "d=512, 8 blocks, PEER 8 heads x top-16 of 128^2 experts per segment, 32 x 512-byte "
                   "windows, 2000 steps per corpus, on a GPU", _config(dict(
                       model=dict(d_model=512, n_layers=8, n_heads=8, max_seq_len=512,
                                  peer=dict(n_heads=8, top_k=16, n_keys=128)),
                       optim=dict(lr=1e-3, warmup_steps=100),
                       seq_len=512, batch_size=32, steps=2000, eval_batches=50, kmeans_batches=8,
                       accelerator="gpu",
                   )), 8_000_000),
    ]
}
"""Every scale ``peer compare --scale`` knows, by name."""

DEFAULT_SCALE = "cpu"


def study_scale(name: str) -> tuple[ContinualConfig, int, int]:
    """``(config, steps per corpus, bytes per built-in domain)`` of the scale ``name``."""
    try:
        scale = SCALES[name]
    except KeyError:
        raise ConfigError(f"unknown scale {name!r}; choose from {', '.join(SCALES)}") from None
    config = scale.config()
    return config, config.steps, scale.domain_bytes


def resolve_study(
    scale: str, *, config_file: Path | None, steps: int | None, domain_bytes: int | None
) -> tuple[ContinualConfig, int, int]:
    """The study's config, steps per corpus and bytes per built-in domain: the scale's, each replaced by
    what is given (a config file replaces the whole config, its steps included)."""
    config, _, scale_bytes = study_scale(scale)
    if config_file is not None:
        config = ContinualConfig.from_file(config_file)
    steps = config.steps_for(steps, None)
    if domain_bytes is None:
        domain_bytes = scale_bytes
    if domain_bytes < 1:
        raise ConfigError(f"--domain-bytes must be positive, got {domain_bytes}")
    if config.accelerator in ("gpu", "cuda") and not torch.cuda.is_available():
        raise ConfigError(f"the study trains on a GPU (accelerator {config.accelerator!r}) and none is visible; "
                          f"use --scale {DEFAULT_SCALE}, or a --config with accelerator = 'cpu'")
    return config, steps, domain_bytes


__all__ = ["DEFAULT_SCALE", "SCALES", "StudyScale", "resolve_study", "study_scale"]
