"""Generated values for every option and argument of every ``peer`` command that takes a user value.

The commands and their parameters are read from the typer app itself (``typer.main.get_command``), so a
new option is covered without touching this file. Each example invokes one command with one parameter set
to a generated value (negative, zero, huge, nan/inf, empty, control characters, lone surrogates as a
non-UTF-8 argv decodes to, ``../`` paths, text of every kind) and every other parameter at a valid value.
Every outcome must be success, or exactly one ``error: `` line on stderr with a non-zero exit and no
traceback; the store must be as it was after all of a parameter's values (registry rows and files: no
value accepted here writes to it either, since the writing commands stop before they write), and a
refused ``init`` makes no folder.

Commands whose success is long work stop at the point where that work begins, where every check of the
input has run: an ingest (and ``init --base-corpus``) at ``Store.new_version`` (the code refuses all it can
before the version row exists), ``distill`` at its training (``continual.distill.fit``), ``serve`` at ``Service.start``, ``watch`` at ``Watcher.run``, ``compare`` at
the study's ``compare``. A stop there counts as accepted. ``generate --tokens`` only gets values up to 32:
an accepted larger one is simply a longer sample. Values of parameters that would write where they point
(init's folder, ``--plot``, ``--out``, ``--db-url``) stay relative, without ``..``, and the commands run in
an empty folder, so nothing is written outside it; parameters that read a corpus (``--base-corpus``, the
corpus of ``ingest``, ``score``) are never given a path or glob that exists there.
"""

from __future__ import annotations

import glob
import itertools
import math
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cli.main import app
from peer_store.db import Store
from tests.helpers.cli import commands, init_tiny_store


class Accepted(Exception):
    """Raised where a command's long work would begin: every check of its input has passed."""


def takes_a_value(param) -> bool:
    return not getattr(param, "is_flag", False) and param.expose_value


def value_kind(param) -> type:
    annotation = param.type_descriptor.annotation
    if annotation in (int, float):
        return annotation
    return str  # str, Path, enums, lists of str: what reaches the command is text


PARAMS = [pytest.param(path, p.name, id=f"{' '.join(path)} {p.opts[0]}")
          for path, command in commands() for p in command.params if takes_a_value(p)]

# -- values --------------------------------------------------------------------------------------
HUGE = [2**31, 2**63, 2**70, 10**30]
NUMBER_TEXT = ["", " ", "nan", "inf", "-inf", "1e400", "0x10", "1_000", "١", "--", "-1.5", "\x00", "3\n"]
WEIRD_TEXT = ["", " ", ".", "..", "../x", "../../x", "-", "a\nb", "a\rb", "\x00", "\x1b[31m", "\udcff\udcfe",
              "\u202e", "x" * 5000, "~", "~root", "*", "**", "[", "{", "%s", "$HOME", "C:\\x", "\\\\x", "?", "a b",
              "postgresql://u@127.0.0.1:1/x", "sqlite:///x.db", "sqlite://", "http://x", "current", "latest",
              "v1", "0", "1", "-1", "99999999999999999999", "nan", "1,2", ",", "1,,x"]
TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=40)

INTS = st.one_of(st.sampled_from([-(2**70), -1, 0, 1, 2, *HUGE]), st.integers(), st.sampled_from(NUMBER_TEXT), TEXT)
FLOATS = st.one_of(st.sampled_from([math.nan, math.inf, -math.inf, -0.0, 0.0, 1e-320, 1e308, -1.0, 0.5, 1.0]),
                   st.floats(), st.sampled_from(NUMBER_TEXT), TEXT)
STRINGS = st.one_of(st.sampled_from(WEIRD_TEXT), TEXT)

FRESH = itertools.count()  # init's new folders, one per example
EXAMPLES = 2  # generated values per parameter, after EDGES: about 80 parameters, each value one command run here
EDGES = {int: ["-1", "0", str(2**70), str(-(2**70))], float: ["nan", "inf", "-1", "1e-320"],
         str: ["x" * 5000, "\udcff\udcfe", "../x", "a\nb"]}
"""Tried for every parameter of the kind (and the filters below), whatever the generated values turn out to be."""

# parameters whose accepted value is bounded by time, not by a check (see the module docstring)
SPECIAL = {("generate", "tokens"): st.one_of(st.integers(max_value=32), st.sampled_from(NUMBER_TEXT), TEXT)}
WRITES_WHERE_IT_POINTS = {("init", "store"), ("evaluate forgetting", "plot"), ("compare", "out"),
                          ("init", "db_url"), ("db upgrade", "db_url")}
READS_A_CORPUS = {("init", "base_corpus"), ("ingest", "corpus"), ("score", "source"), ("watch", "folder"),
                  ("compare", "stream"), ("serve", "watch")}


def as_argv(value) -> str:
    return value if isinstance(value, str) else repr(value) if isinstance(value, float) else str(value)


def stays_here(value: str) -> bool:
    """A relative path with no way out of the current folder."""
    return not (os.path.isabs(value) or value.startswith("~") or ".." in Path(value).parts or "\x00" in value
                or value.startswith(("sqlite:////", "file:")) or "//" in value.replace("sqlite:///", "", 1))


def reads_nothing(value: str) -> bool:
    """No file, folder or glob match where the command would read a corpus (stdin is empty here): a path inside
    the (empty) working folder that names nothing there."""
    if not stays_here(value):
        return False
    try:
        return not os.path.lexists(value or ".") and not glob.glob(value, recursive=True)  # "": this folder
    except (OSError, ValueError):
        return True


# -- a store, and what a refusal must leave alone ----------------------------------------------------
@pytest.fixture(scope="module")
def world(tmp_path_factory, text_corpora) -> dict:
    """A tiny store with version 1 trained on code, valid inputs beside it, and an empty working folder."""
    root = tmp_path_factory.mktemp("boundary")
    init_tiny_store(root, text_corpora["code"])
    config = root / "tiny.json"
    (root / "stream.txt").write_text(f"code = {text_corpora['code']}\nprose = {text_corpora['prose']}\n")
    (root / "short.txt").write_bytes(text_corpora["code"].read_bytes()[:600])  # quick to score
    (root / "incoming").mkdir()
    (root / "work").mkdir()
    return {"root": root, "store": root / "store", "config": config, **text_corpora}


NEEDS_A_BASE_CORPUS = {"steps", "tokens", "include", "base_name"}  # init's options that apply to version 1 only


def valid_args(path: tuple[str, ...], world: dict, fresh: Path, fuzzed: str) -> dict[str, list[str]]:
    """Valid values of every parameter a command needs (and a few that keep it quick), by parameter name."""
    store = ["--store", str(world["store"])]
    root = world["root"]
    init = {"store": [str(fresh)], "config": ["--config", str(world["config"])]}
    if fuzzed in NEEDS_A_BASE_CORPUS:
        init["base_corpus"] = ["--base-corpus", str(world["code"])]
    return {
        ("init",): init,
        ("ingest",): {"corpus": [str(world["prose"])], "store": store, "steps": ["--steps", "1"]},
        ("rollback",): {"version": ["1"], "store": store},
        ("generate",): {"prompt": ["--prompt", "x"], "tokens": ["--tokens", "2"], "store": store},
        ("score",): {"source": [str(root / "short.txt")], "store": store},
        ("versions",): {"store": store},
        ("show",): {"version": ["1"], "store": store},
        ("fsck",): {"store": store},
        ("gc",): {"store": store},
        ("serve",): {"store": store},
        ("watch",): {"folder": [str(root / "incoming")], "store": store},
        ("compare",): {"stream": ["--stream", str(root / "stream.txt")], "out": ["--out", "report"]},
        ("db", "upgrade"): {"store": store},
        ("evaluate", "forgetting"): {"store": store, "recorded": ["--recorded"]},
        ("distill",): {"version": ["--version", "1"], "width": ["--width", "32"], "store": store},
        ("students",): {"store": store},
        ("export",): {"version": ["1"], "out": ["--out", str(fresh)], "store": store},
    }[path]


def snapshot(store: Path) -> tuple:
    with Store.open(store) as opened:
        rows = ([(v.number, v.status) for v in opened.versions()], [c.name for c in opened.corpora()],
                sorted((n, e.corpus, e.split) for n, e in opened.evaluations()))
    files = sorted((p.relative_to(store).as_posix(), p.stat().st_size) for p in store.rglob("*")
                   if p.is_file() and p.name not in ("registry.db", "lock"))
    return rows, files


def one_outcome(result, value) -> str:
    """'ok', 'accepted' (stopped where the long work begins) or 'refused' (one line); anything else fails."""
    if isinstance(result.exception, Accepted):
        return "accepted"
    assert "Traceback" not in result.output, f"{value!r}: {result.output}"
    if result.exit_code == 0:
        return "ok"
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{value!r} raised {result.exception!r}: {result.output}")
    lines = result.stderr.splitlines()
    errors = [line for line in lines if line.startswith("error: ")]
    assert len(errors) == 1 and lines[-1] == errors[0], f"{value!r} gave exit {result.exit_code}: {result.stderr!r}"
    return "refused"


@pytest.mark.parametrize("path", [path for path, _ in commands()], ids=" ".join)
def test_the_valid_invocations_get_past_the_checks(path, world, long_work_stops, monkeypatch):
    """What the examples vary one parameter of: accepted as it is, so a refusal there is the varied value's
    (rollback and export aside: the store's only version is current, so there is nothing to roll back to, and
    its model is the built-in one, which export refuses)."""
    monkeypatch.chdir(world["root"] / "work")
    for fuzzed in {"", *NEEDS_A_BASE_CORPUS} if path == ("init",) else {""}:
        fresh = world["root"] / f"new-{next(FRESH)}"
        argv = [*path, *(a for values in valid_args(path, world, fresh, fuzzed).values() for a in values)]
        result = CliRunner().invoke(app, argv, env={"PEER_HOME": None, "PEER_DB_URL": None})
        expected = {"refused"} if path in {("rollback",), ("export",)} else {"ok", "accepted"}
        assert one_outcome(result, argv) in expected, result.output


@pytest.fixture(scope="module")
def long_work_stops(world) -> Iterator[None]:
    import continual.distill
    import service.core
    import service.watch
    import study.compare

    def accept(*_args, **_kwargs):
        raise Accepted

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Store, "new_version", accept)
        patch.setattr(continual.distill, "fit", accept)
        patch.setattr(service.core.Service, "start", accept)
        patch.setattr(service.watch.Watcher, "run", accept)
        patch.setattr(study.compare, "compare", accept)
        yield


@pytest.mark.parametrize(("path", "name"), PARAMS)
def test_every_value_is_accepted_or_refused_in_one_line(path, name, world, long_work_stops, monkeypatch):
    param = next(p for p in dict(commands())[path].params if p.name == name)
    key = (" ".join(path), name)
    kind = value_kind(param)
    strategy = SPECIAL[key] if key in SPECIAL else {int: INTS, float: FLOATS, str: STRINGS}[kind]
    monkeypatch.chdir(world["root"] / "work")
    before = snapshot(world["store"])

    def allowed(value: str) -> bool:
        return ((key not in WRITES_WHERE_IT_POINTS or stays_here(value))
                and (key not in READS_A_CORPUS or reads_nothing(value)))

    def check(value: str) -> None:
        fresh = world["root"] / f"new-{next(FRESH)}"
        args = valid_args(path, world, fresh, name)
        opt = param.opts[0] if param.param_type_name == "option" else None
        args[name] = [opt, value] if opt else [value]
        argv = [*path, *(a for k, vs in args.items() if k != name for a in vs)]
        argv += ["--", value] if opt is None and value.startswith("-") and value != "-" else args[name]
        result = CliRunner().invoke(app, argv, env={"PEER_HOME": None, "PEER_DB_URL": None})
        if one_outcome(result, value) == "refused" and path == ("init",) and name != "store":
            assert not fresh.exists(), f"{value!r} was refused but {fresh} was made"

    for value in EDGES[kind] if key not in SPECIAL else []:
        if allowed(value):
            check(value)
    settings(max_examples=EXAMPLES, deadline=None, database=None,
             suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much])(
        given(strategy.map(as_argv).filter(allowed))(check))()
    assert snapshot(world["store"]) == before, "the store changed"
