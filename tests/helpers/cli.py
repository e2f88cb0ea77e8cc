"""The CLI tests' helpers: `peer` through CliRunner, every command of the app, the check that bad input is one
line, the files a write could leave behind, and the tiny store that `peer init` makes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from typer.main import get_command
from typer.testing import CliRunner

from cli.main import app
from tests.conftest import tiny_continual_config


def peer(*args, input: bytes | str | None = None, env: dict[str, str] | None = None):
    """``peer ARGS`` in this process, with no store or registry inherited from the environment."""
    return CliRunner().invoke(
        app, [str(a) for a in args], input=input, env={"PEER_HOME": None, "PEER_DB_URL": None, **(env or {})}
    )


def commands() -> Iterator[tuple[tuple[str, ...], object]]:
    """Every leaf command of the app: its path (``("evaluate", "forgetting")``) and its click command."""

    def walk(command, path):
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                yield from walk(sub, (*path, name))
        else:
            yield path, command

    yield from walk(get_command(app), ())


def one_line_error(result, pattern: str) -> None:
    """The command failed with exit 1 and exactly one ``error:`` line containing ``pattern``, no traceback."""
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.strip().splitlines() if line.startswith("error: ")]
    assert len(lines) == 1, result.stderr
    assert pattern in lines[0], lines[0]
    assert "Traceback" not in result.output


def files_of(store: Path) -> list[str]:
    """Every file a write could leave behind (registry and lock aside)."""
    return sorted(p.relative_to(store).as_posix() for sub in ("segments", "checkpoints", "routes", "tmp", "corpora")
                  if (store / sub).is_dir() for p in (store / sub).rglob("*"))


def init_tiny_store(root: Path, code: Path, **config):
    """``peer init ROOT/store --base-corpus CODE`` with the tiny config (``config``: its overrides, written to
    ROOT/tiny.json): a store whose version 1 is trained on code. The command's result."""
    (root / "tiny.json").write_text(json.dumps(tiny_continual_config(**config).to_dict()))
    result = peer("init", root / "store", "--config", root / "tiny.json", "--base-corpus", code)
    assert result.exit_code == 0, result.output
    return result
