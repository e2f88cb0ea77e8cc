"""The CLI tests' tiny store: version 1 trained once per module by `peer init`, copied for each test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers.cli import init_tiny_store


@pytest.fixture(scope="module")
def base_store(tmp_path_factory, text_corpora) -> Path:
    """``peer init --base-corpus`` with a tiny config: a store whose version 1 is trained on code."""
    root = tmp_path_factory.mktemp("cli")
    result = init_tiny_store(root, text_corpora["code"])
    assert "version 1 ready: init of code" in result.stdout and "held-out loss code" in result.stdout
    return root / "store"


@pytest.fixture
def store(base_store, tmp_path) -> Path:
    """A copy of ``base_store`` this test may change."""
    dest = tmp_path / "store"
    shutil.copytree(base_store, dest)
    return dest
