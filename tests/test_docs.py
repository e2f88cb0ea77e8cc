"""The documentation site builds with ``mkdocs build --strict``: a broken link between pages, a page left out
of the nav, or an API reference (``::: module``) to a name that moved fails here, so it fails CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_docs_site_builds_strict(tmp_path):
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}  # Material's banner about MkDocs 2.0, not about this site
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, f"mkdocs build --strict failed (pip install -e '.[docs]'):\n{done.stderr[-4000:]}"
    reference = (site / "reference" / "peer_store" / "index.html").read_text()
    assert "PEERLayer" in reference and "forward_with_routing" in reference  # mkdocstrings rendered the docstrings
