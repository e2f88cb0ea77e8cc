"""Shared fixtures of the trainer tests: one CPU thread, a small real corpus from the stdlib."""

from __future__ import annotations

import os
import sysconfig

import pytest
import torch

STDLIB_FILES = ["textwrap.py", "argparse.py", "enum.py", "dataclasses.py", "inspect.py", "typing.py"]


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """Tiny models run fastest on one thread, and the machine is shared (restored after each module)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="session")
def stdlib_files() -> list[str]:
    """About 500 kB of Python source from the interpreter's standard library."""
    stdlib = sysconfig.get_paths()["stdlib"]
    files = [os.path.join(stdlib, f) for f in STDLIB_FILES]
    missing = [f for f in files if not os.path.isfile(f)]
    assert not missing, f"the standard library sources are missing: {missing}"
    return files
