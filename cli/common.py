"""What every ``peer`` command shares: the store options and turning a PeerError into one line."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from peer_store.db import Store
from peer_store.errors import ConfigError, PeerError

F = TypeVar("F", bound=Callable[..., Any])

StoreOption = Annotated[
    Path | None,
    typer.Option("--store", envvar="PEER_HOME", help="The store folder.", show_default=False),
]
DbUrlOption = Annotated[
    str | None,
    typer.Option(
        "--db-url",
        envvar="PEER_DB_URL",
        help="External registry, e.g. postgresql://user:pw@host/db (default: SQLite inside the store).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for machines instead of a table.")]


def reports_errors(command: F) -> F:
    """A ``PeerError`` becomes ``error: <one line>`` on stderr and exit status 1."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except PeerError as error:
            typer.echo(f"error: {' '.join(str(error).split())}", err=True)
            raise typer.Exit(code=1) from None

    return run  # type: ignore[return-value]


def open_store(store: Path | None, db_url: str | None) -> Store:
    if store is None:
        raise ConfigError("no store given: pass --store PATH or set PEER_HOME")
    return Store.open(store, db_url=db_url)


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2))
