"""Where a study evaluates: the device its training accelerator trains on.

``continual.training.fit`` trains with Lightning on ``config.accelerator`` and hands the model
back on the CPU; evaluating a GPU-sized study there would be slow, so evaluation moves the
model to the device training used and back.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import torch
from torch import nn


def accelerator_device(accelerator: str) -> torch.device:
    """The torch device of a Lightning ``accelerator``: 'gpu'/'cuda' is CUDA, 'auto' is CUDA when one
    is visible (as Lightning chooses) and the CPU otherwise; anything else ('cpu', 'mps', ...) the CPU."""
    if accelerator in ("gpu", "cuda") or (accelerator == "auto" and torch.cuda.is_available()):
        return torch.device("cuda")
    return torch.device("cpu")


@contextlib.contextmanager
def on_device(model: nn.Module, device: torch.device) -> Iterator[nn.Module]:
    """``model`` on ``device`` inside the block, back on the device of its first parameter after."""
    home = next(model.parameters()).device
    model.to(device)
    try:
        yield model
    finally:
        model.to(home)


__all__ = ["accelerator_device", "on_device"]
