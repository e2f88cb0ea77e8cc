"""``peer ingest`` on a routed store meeting a corpus of a kind it knows: the route decision printed, recorded
(``peer show``, ``peer versions --json``), overridden (``--new-route``, ``--continue V``), refused in one line
with nothing written, and rolled back."""

from __future__ import annotations

import json
import sysconfig
from pathlib import Path

import pytest

from peer_store.db import Store
from tests.helpers.cli import files_of, init_tiny_store, one_line_error, peer


@pytest.fixture(scope="module")
def more_code(tmp_path_factory) -> dict[str, Path]:
    """Two more corpora of Python source (other stdlib modules than the base corpus's)."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    root = tmp_path_factory.mktemp("code")
    out = {}
    for name, modules in {"code2": ("string.py", "shlex.py"), "code3": ("fnmatch.py", "glob.py", "bisect.py")}.items():
        out[name] = root / f"{name}.py"
        out[name].write_bytes(b"".join((stdlib / m).read_bytes() for m in modules)[:20000])
    return out


def _ingest(store: Path, corpus: Path, *args: str):
    result = peer("ingest", corpus, "--steps", "2", *args, env={"PEER_HOME": str(store)})
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.slow
def test_routes_continue_on_a_known_kind_and_the_user_can_say_otherwise(tmp_path, text_corpora, more_code):
    init_tiny_store(tmp_path, text_corpora["code"], method_options={"merge_at": 0.13})  # 20 kB corpora: see
    # tests/continual/test_accumulate.py (Python files 0.10-0.11 apart, Python and prose 0.16-0.19)
    store = tmp_path / "store"
    env = {"PEER_HOME": str(store)}
    assert "route: a new route (nearest: version 1's route" in _ingest(store, text_corpora["prose"]).output
    out = _ingest(store, more_code["code2"]).output
    assert "route: continues version 1's route (divergence" in out and "rehearsing code" in out
    with Store.open(store) as opened:
        v2, v3 = opened.detail(2), opened.detail(3)
    record = v3.ingest.settings["route"]
    assert record["decision"] == "continue" and record["continues"] == 1 and record["chosen_by"] == "profiles"
    assert record["corpora"] == ["code", "code2"] and record["rehearse"] == ["code"]
    assert record["divergence"]["1"] < 0.13 < record["divergence"]["2"]
    assert len(v3.routes) == 2  # no new route for a known kind
    assert v3.routes[0].learnt_by == 3 and v3.routes[0].corpus == "code2"  # route 0's tokens: version 3's now
    assert v3.routes[0].profile != v2.routes[0].profile and v3.routes[0].deltas is not None
    assert v3.routes[1] == v2.routes[1]  # the prose route: the very same files
    listing = json.loads(peer("versions", "--json", env=env).stdout)
    assert [(v["route"]["decision"], v["route"]["chosen_by"]) for v in listing] == [
        ("new", "first"), ("new", "profiles"), ("continue", "profiles")]
    shown = peer("show", "3", env=env).stdout
    assert "route: continues version 1's route" in shown

    before = files_of(store)
    for args, message in [
        (["--continue", "99"], "has no version 99"),
        (["--continue", "1"], "version 1 has no route in the current version"),
        (["--new-route", "--continue", "3"], "not both"),
    ]:
        one_line_error(peer("ingest", more_code["code3"], "--steps", "2", *args, env=env), message)
    assert files_of(store) == before
    with Store.open(store) as opened:
        assert [v.number for v in opened.versions()] == [1, 2, 3]

    out = _ingest(store, more_code["code3"], "--new-route").output
    assert "route: a new route (as --new-route asked)" in out
    with Store.open(store) as opened:
        v4 = opened.detail(4)
        assert len(v4.routes) == 3 and v4.routes[:2] == v3.routes
        assert v4.ingest.settings["route"]["chosen_by"] == "--new-route"
    rolled = peer("rollback", "2", env=env)
    assert rolled.exit_code == 0, rolled.output
    with Store.open(store) as opened:
        assert opened.detail(5).routes == v2.routes  # the version before the merge is still there
