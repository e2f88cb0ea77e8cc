"""What tests that start processes share: a free loopback port and the environment of a `peer` subprocess."""

from __future__ import annotations

import os
import socket
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A loopback port nothing listens on now (the OS picks it, so parallel test workers do not collide)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peer_env(db_url: str | None = None) -> dict[str, str]:
    """The environment of a `python -m cli` subprocess: this checkout first on the path, one torch thread, and
    no store or registry inherited from the user's shell (``db_url``: the registry to use, if any)."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "OMP_NUM_THREADS": "1"}
    env.pop("PEER_HOME", None)
    env.pop("PEER_DB_URL", None)
    if db_url is not None:  # a store with an external registry does not record its URL (it may hold a password)
        env["PEER_DB_URL"] = db_url
    return env
