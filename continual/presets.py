"""Named store configs for ``peer init --config NAME``: the fields that differ from :class:`ContinualConfig`'s
defaults, as a config file would hold them. No torch here, so the CLI can list them in its help."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Preset:
    description: str
    fields: dict[str, Any] = field(default_factory=dict)
    """Config fields over the defaults; a partial ``model`` table is filled as in a config file."""


PRESETS: dict[str, Preset] = {
    "default": Preset("the small byte-level PEER LM: d=128, 4 blocks, PEER in blocks 1 and 3 with a 16^2 first "
                      "grid that each ingest grows by a shell of 16 sub-keys per half (4 heads x top-16, 112-wide "
                      "queries)"),
    "million": Preset(
        "a million experts: d=256, 4 blocks, PEER in blocks 1 and 3 with a first grid of 1024^2 = 1,048,576 "
        "experts each (8 heads x top-16, 128-wide queries: the layer benchmark's shape; 4 GiB of fp32 expert "
        "tables in all); each ingest grows it by a shell of 32 sub-keys per half, 2*1024*32 + 32^2 = 66,560 "
        "experts per PEER layer",
        dict(model=dict(d_model=256, n_layers=4, n_heads=4, peer=dict(n_heads=8, top_k=16, n_keys=1024, d_key=128)),
             keys=32),
    ),
}
"""Every preset ``peer init --config`` knows, by name."""
