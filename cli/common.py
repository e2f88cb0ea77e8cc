"""What every ``peer`` command shares: the store options and turning a PeerError into one line."""

from __future__ import annotations


import functools
import json
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
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


# -- the commands that train (init --base-corpus, ingest) ------------------------------------------
StepsOption = Annotated[
    int | None, typer.Option("--steps", help="Training steps (default: the store config's steps).", show_default=False)
]
TokensOption = Annotated[
    int | None,
    typer.Option("--tokens", help="Train on about this many tokens instead of --steps.", show_default=False),
]
IncludeOption = Annotated[
    list[str] | None,
    typer.Option("--include", help="Globs a file under a directory must match (repeatable; default: every file).",
                 show_default=False),
]
ProgressOption = Annotated[
    bool | None,
    typer.Option("--progress/--no-progress", help="Progress bar (default: when stderr is a terminal).",
                 show_default=False),
]


def show_progress(progress: bool | None) -> bool:
    return sys.stderr.isatty() if progress is None else progress


def say(message: str) -> None:
    """Stage messages go to stderr, so stdout stays the command's data."""
    typer.echo(message, err=True)


class Terminated(BaseException):
    """SIGTERM arrived; raised wherever the process is, as SIGINT raises KeyboardInterrupt."""


def _terminate(signum: int, _frame: Any) -> None:
    raise Terminated(signal.Signals(signum).name)


@contextmanager
def interrupt_is_one_line(outcome: str = "the previous version stays current") -> Iterator[None]:
    """Ctrl-C (exit 130) or SIGTERM (exit 143) during training: one line saying ``outcome`` (for an ingest: the
    version being written was marked failed, so the previous version stays current).

    Lightning runs the SIGTERM handler installed here after its own, and turns a KeyboardInterrupt during
    fit into ``sys.exit(1)``, which still carries the interrupt as its context.
    """
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    except Terminated:
        typer.echo(f"error: terminated; {outcome}", err=True)
        raise typer.Exit(code=128 + signal.SIGTERM) from None
    except (KeyboardInterrupt, SystemExit) as error:
        if isinstance(error, SystemExit) and not isinstance(error.__context__, KeyboardInterrupt):
            raise
        typer.echo(f"error: interrupted; {outcome}", err=True)
        raise typer.Exit(code=128 + signal.SIGINT) from None
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


@contextmanager
def until_stopped() -> Iterator[None]:
    """For commands that run until they are stopped (``peer watch``): SIGTERM or Ctrl-C ends the block quietly."""
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        with suppress(Terminated, KeyboardInterrupt):
            yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


def print_ingest(result: Any) -> None:
    """What an ingest (or init with a base corpus) made: the version and its held-out losses."""
    v = result.version
    typer.echo(f"version {v.number} ready: {v.kind} of {result.corpus.name} ({result.corpus.bytes:,} bytes), "
               f"{result.steps} steps in {result.wall_seconds:.1f} s, {v.segments} segments, {v.experts:,} experts")
    for e in result.evaluations:
        bpb = "" if e.bits_per_byte is None else f"  ({e.bits_per_byte:.3f} bits/byte)"
        typer.echo(f"  held-out loss {e.corpus}: {e.loss:.4f}{bpb}")
    if v.parent is not None and len(result.evaluations) == 1:
        typer.echo("  what it kept of earlier corpora: peer evaluate forgetting")
