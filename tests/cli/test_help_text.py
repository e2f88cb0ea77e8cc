"""Help text names only what exists: every source path a command's ``--help`` mentions is a file of this
repository (a module that moved or was deleted leaves its help stale otherwise)."""

from __future__ import annotations

import re

from tests.helpers.cli import commands, peer
from tests.helpers.processes import REPO

SOURCE_PATH = re.compile(r"\b(?:[a-z_]+/)+[a-z_]+\.py\b")


def test_every_source_path_in_help_exists():
    mentioned = {}
    for path, _ in commands():
        result = peer(*path, "--help", env={"COLUMNS": "400"})  # wide: rich must not break a path over two lines
        assert result.exit_code == 0, result.output
        for source in SOURCE_PATH.findall(result.output):
            mentioned.setdefault(source, []).append(" ".join(path))
    missing = {source: where for source, where in mentioned.items() if not (REPO / source).is_file()}
    assert mentioned, "no help mentions a source path: the pattern no longer matches anything"
    assert not missing, f"help text names files that do not exist: {missing}"
