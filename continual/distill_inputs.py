"""What ``peer distill`` can check before torch loads: the options that cannot make a student, and the store
whose base cannot have one (the version and the width's fit to it are checked by :func:`continual.distill.distill`)."""

from __future__ import annotations

from typing import Any

from peer_store.errors import ConfigError

INITS = ("teacher", "fresh")
"""How a student starts: from the teacher's non-expert weights where shapes allow, or drawn fresh."""


def check_inputs(width: int, steps: int, alpha: float, init: str) -> None:
    """One line for what cannot make a student (the version and the width's fit to it are checked by
    :func:`distill`)."""
    if not isinstance(steps, int) or isinstance(steps, bool) or steps < 1:
        raise ConfigError(f"--steps must be at least 1, got {steps!r}")
    if not isinstance(alpha, (int, float)) or isinstance(alpha, bool) or not 0.0 <= alpha <= 1.0:
        raise ConfigError(f"--alpha is the teacher's share of the targets, in [0, 1]; got {alpha!r}")
    if init not in INITS:
        raise ConfigError(f"--init must be one of {', '.join(INITS)}, got {init!r}")
    if not isinstance(width, int) or isinstance(width, bool) or width < 1:
        raise ConfigError(f"--width must be a positive integer, got {width!r}")


def check_store(config: dict[str, Any]) -> None:
    """A store whose base (its recorded config's ``base``) is a Hugging Face model has no built-in dense
    student."""
    if config.get("base") is not None:
        raise ConfigError("peer distill makes a built-in dense student; this store's base is a Hugging Face model: "
                          "use `peer export` for a finetune or lora version instead")


__all__ = ["INITS", "check_inputs", "check_store"]
