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
from typer.core import TyperGroup

try:  # a recent typer carries its own copy of click
    from typer._click.exceptions import ClickException
except ImportError:  # pragma: no cover - an older typer uses click itself
    from click.exceptions import ClickException

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
    """A ``PeerError`` becomes ``error: <one line>`` on stderr and exit status 1; so does an ``OSError`` about a
    named file (a path the system refuses: too long, not permitted, on a read-only mount). Anything else is a
    bug and keeps its traceback."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except PeerError as error:
            typer.echo(f"error: {one_line(str(error))}", err=True)
            raise typer.Exit(code=1) from None
        except OSError as error:
            if error.filename is None:
                raise
            name = str(error.filename)
            shown = name if len(name) <= 80 else f"{name[:80]}… ({len(name)} characters)"
            typer.echo(f"error: {one_line(shown)}: {(error.strerror or str(error)).lower()}; check the path and "
                       "its permissions", err=True)
            raise typer.Exit(code=1) from None

    return run  # type: ignore[return-value]


def one_line(message: str) -> str:
    """``message`` with every run of whitespace (newlines, carriage returns, form feeds) made one space."""
    return " ".join(message.split())


class OneLineErrors(TyperGroup):
    """The ``peer`` group: a usage error (a value of the wrong type or outside its choices, an unknown or
    missing option) is one line, ``error: <what> (see: peer CMD --help)``, exit 2, like every other refusal,
    instead of typer's usage text and boxed panel."""

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except ClickException as error:
            if type(error).__name__ != "NoArgsIsHelpError":  # that one has printed the help already
                ctx = getattr(error, "ctx", None)
                hint = f" (see: {ctx.command_path} --help)" if ctx is not None else ""
                typer.echo(f"error: {one_line(error.format_message())}{hint}", err=True)
            sys.exit(error.exit_code)
        except typer.Abort:
            typer.echo("error: aborted", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


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
MaxCorpusBytesOption = Annotated[
    int,
    typer.Option("--max-corpus-bytes",
                 help="Most bytes the corpus may hold after decompression; more is refused as soon as a read passes "
                      "it (256 MiB by default).", show_default=False),
]
FollowLinksOption = Annotated[
    bool,
    typer.Option("--follow-links", help="Read symbolic links below a folder that end outside it (refused otherwise)."),
]
ProgressOption = Annotated[
    bool | None,
    typer.Option("--progress/--no-progress", help="Progress bar (default: when stderr is a terminal).",
                 show_default=False),
]


MethodOptionsOption = Annotated[
    list[str] | None,
    typer.Option("--method-option", metavar="KEY=VALUE",
                 help="An option of the growth method, e.g. rank=64 for 'routed' or freeze=experts+backbone for "
                      "'grow' (repeatable; the value is read as JSON, else as text).", show_default=False),
]


def method_options(pairs: list[str] | None) -> dict[str, Any]:
    """``--method-option KEY=VALUE`` pairs as a table; the method's options dataclass checks names and values."""
    options: dict[str, Any] = {}
    for pair in pairs or []:
        key, equals, text = pair.partition("=")
        if not equals or not key.strip():
            raise ConfigError(f"--method-option takes KEY=VALUE, got {pair!r}")
        try:
            options[key.strip()] = json.loads(text)
        except (ValueError, RecursionError):  # not JSON (or nested past the parser's depth): the text itself
            options[key.strip()] = text
    return options


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
