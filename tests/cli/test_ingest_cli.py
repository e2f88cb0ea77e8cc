"""``peer init --base-corpus``, ``ingest``, ``evaluate forgetting``, ``rollback``, ``generate`` through
CliRunner, and ingests killed with SIGKILL as real subprocesses (during training, during the final
write, between the files and the commit), with the registry in SQLite and in PostgreSQL."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from peer_store.db import Store
from peer_store.db.engine import make_engine, sqlite_url
from tests.conftest import tiny_continual_config
from tests.helpers.cli import files_of, one_line_error, peer
from tests.helpers.kills import DYING_PEER, advisory_locks, after_a_kill
from tests.helpers.processes import free_port, peer_env

NEW_COMMANDS = [["ingest"], ["rollback"], ["generate"], ["score"], ["evaluate", "forgetting"]]


@pytest.fixture(scope="module")
def base_pg_store(tmp_path_factory, text_corpora, postgres_server) -> Iterator[tuple[Path, str]]:
    """``base_store``'s twin with its registry in PostgreSQL: the folder and a template database that each
    test clones (``CREATE DATABASE ... TEMPLATE``), so version 1 is trained once per module."""
    import psycopg

    admin = postgres_server.replace("postgresql+psycopg://", "postgresql://")
    name = f"t_base_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = postgres_server.rsplit("/", 1)[0] + f"/{name}"
    root = tmp_path_factory.mktemp("cli-pg")
    config = root / "tiny.json"
    config.write_text(json.dumps(tiny_continual_config().to_dict()))
    result = peer("init", root / "store", "--config", config, "--base-corpus", text_corpora["code"], "--db-url", url)
    assert result.exit_code == 0, result.output
    assert not (root / "store" / "registry.db").exists()
    yield root / "store", name
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_store(base_pg_store, postgres_server, tmp_path) -> Iterator[tuple[Path, str]]:
    """A copy of ``base_pg_store``: its folder, and the URL of a clone of its database."""
    import psycopg

    base, template = base_pg_store
    admin = postgres_server.replace("postgresql+psycopg://", "postgresql://")
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    dest = tmp_path / "store"
    shutil.copytree(base, dest)
    yield dest, postgres_server.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def registry(request) -> tuple[Path, str | None]:
    """A store made by ``peer init --base-corpus`` and its ``--db-url`` (None: the embedded SQLite)."""
    if request.param == "sqlite":
        return request.getfixturevalue("store"), None
    return request.getfixturevalue("pg_store")


@pytest.mark.parametrize("command", NEW_COMMANDS, ids=" ".join)
def test_new_commands_have_help_with_an_example(command):
    result = peer(*command, "--help")
    assert result.exit_code == 0, result.output
    assert "Example: " in result.output and "peer " in result.output


@pytest.mark.slow
def test_ingest_evaluate_rollback_generate(store, text_corpora, tmp_path):
    env = {"PEER_HOME": str(store)}
    made = peer("ingest", text_corpora["prose"], "--include", "*.txt", "--evaluate-earlier", "--json", env=env)
    assert made.exit_code == 0, made.output
    result = json.loads(made.stdout)
    assert result["version"]["number"] == 2 and result["corpus"]["name"] == "prose"
    assert {e["corpus"] for e in result["evaluations"]} == {"code", "prose"}
    assert "training 6 steps on prose" in made.stderr  # stage messages go to stderr
    stdin = gzip.decompress(text_corpora["more"].read_bytes())
    piped = peer("ingest", "-", "--name", "piped", "--steps", "3", "--replay", "0.3", "--keys", "4",
                 input=stdin, env=env)
    assert piped.exit_code == 0, piped.output
    assert "version 3 ready: ingest of piped" in piped.stdout
    assert "held-out loss piped" in piped.stdout and "held-out loss code" not in piped.stdout
    assert "peer evaluate forgetting" in piped.stdout  # where the earlier corpora are measured
    recorded = json.loads(peer("evaluate", "forgetting", "--recorded", "--json", env=env).stdout)
    assert recorded["loss"][1][:2] != [None, None] and recorded["loss"][2][:2] == [None, None]

    plot = tmp_path / "forgetting.png"
    table = peer("evaluate", "forgetting", "--plot", plot, env=env)
    assert table.exit_code == 0, table.output
    assert "forgetting" in table.stdout and "plasticity" in table.stdout and "average forgetting" in table.stdout
    assert plot.read_bytes()[:4] == b"\x89PNG"
    report = json.loads(peer("evaluate", "forgetting", "--json", env=env).stdout)
    assert report["versions"] == [1, 2, 3] and report["corpora"] == ["code", "prose", "piped"]
    assert report["loss"][1][:2] == recorded["loss"][1][:2] and None not in report["loss"][2]  # filled once
    assert report["learnt_at"] == {"code": 1, "prose": 2, "piped": 3}
    assert report["forgetting"]["code"] == pytest.approx(report["loss"][2][0] - min(report["loss"][0][0],
                                                                                      report["loss"][1][0]))
    csv_rows = peer("evaluate", "forgetting", "--versions", "1,2", "--format", "csv", env=env).stdout.splitlines()
    assert csv_rows[0] == "measure,version,corpus,value" and not any(",3," in r for r in csv_rows)

    back = peer("rollback", "2", env=env)
    assert back.exit_code == 0 and "version 4 ready: rollback to version 2" in back.stdout
    sample = peer("generate", "--prompt", "def ", "--tokens", "20", "--json", env=env)
    assert sample.exit_code == 0, sample.output
    assert json.loads(sample.stdout)["version"] == 4
    scored = peer("score", text_corpora["code"], "--version", "3", "--json", env=env)
    assert scored.exit_code == 0, scored.output
    score = json.loads(scored.stdout)
    assert score["version"] == 3 and len(score["documents"]) > 1
    assert set(score["total"]["routes"]) <= {"v1 code", "v2 prose", "v3 piped"}
    assert sum(score["total"]["routes"].values()) == pytest.approx(1.0)
    assert score["total"]["routes"]["v1 code"] > 0.5  # code goes home
    assert all(d["loss"] > 0 and d["bits_per_byte"] > 0 for d in score["documents"])
    table = peer("score", text_corpora["code"], env=env)
    assert table.exit_code == 0 and "v1 code" in table.stdout and "bits/byte" in table.stdout
    versions = json.loads(peer("versions", "--json", env=env).stdout)
    assert [(v["number"], v["kind"], v["current"]) for v in versions] == [
        (1, "init", False), (2, "ingest", False), (3, "ingest", False), (4, "rollback", True)]
    assert peer("fsck", env=env).exit_code == 0


def test_bad_input_is_one_line_and_writes_nothing(store, text_corpora, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blob.bin").write_bytes(b"\x7fELF\x00\x00" * 5000)
    before = files_of(store)
    env = {"PEER_HOME": str(store)}
    cases = [
        (["ingest", tmp_path / "missing.txt"], "does not exist; check the path"),
        (["ingest", tmp_path / "empty.txt"], "is empty"),
        (["ingest", text_corpora["prose"], "--include", "*.md"], "has no files matching"),
        (["ingest", str(tmp_path / "*.rst")], "matches no files"),
        (["ingest", tmp_path / "blob.bin"], "looks binary"),
        (["ingest", text_corpora["code"]], "already ingested as 'code'"),
        (["ingest", text_corpora["code"], "--steps", "2", "--tokens", "9"], "not both"),
        (["ingest", text_corpora["prose"], "--replay", "1"], "--replay"),
        (["ingest", text_corpora["prose"], "--db-url", "sqlite:///elsewhere.db"], "drop --db-url"),
        (["rollback", "7"], "has no version 7"),
        (["rollback", "1"], "already the current version"),
        (["evaluate", "forgetting", "--versions", "9"], "has no version 9"),
        (["ingest", text_corpora["prose"], "--method", "finetune"], "cannot continue as 'finetune'"),
        (["ingest", text_corpora["prose"], "--method-option", "freeze=experts"], "unknown method 'routed' option"),
        (["ingest", text_corpora["prose"], "--method-option", "rank"], "--method-option takes KEY=VALUE"),
        (["ingest", text_corpora["prose"], "--method-option", "inherit=maybe"], "option inherit must be bool"),
        (["score", tmp_path / "missing.txt"], "does not exist"),
        (["score", tmp_path / "empty.txt"], "is empty"),
        (["score", text_corpora["code"], "--version", "5"], "has no version 5"),
        (["show", "99999999999999999999"], "has no version 99999999999999999999"),  # once an OverflowError
        (["rollback", "99999999999999999999"], "has no version"),
        # refused before a version row exists (they once left a failed version behind)
        (["ingest", text_corpora["prose"], "--keys", "100000"], "needs at least 100000 queries"),
        (["ingest", text_corpora["prose"], "--name", "x" * 500], "must be 1 to 200 printable characters"),
        (["ingest", text_corpora["prose"], "--name", "two\nlines"], "printable characters"),
    ]
    for args, message in cases:
        one_line_error(peer(*args, env=env), message)
    one_line_error(peer("ingest", "-", input=b"", env=env), "is empty")
    assert files_of(store) == before
    assert [v.number for v in Store.open(store).versions()] == [1]


def test_init_with_bad_base_corpus_creates_nothing(tmp_path, text_corpora):
    one_line_error(peer("init", tmp_path / "s", "--base-corpus", tmp_path / "nope"), "does not exist")
    assert not (tmp_path / "s").exists()
    (tmp_path / "c.json").write_text('{"model": {"ffn": "switch"}}')
    one_line_error(peer("init", tmp_path / "s", "--config", tmp_path / "c.json"), "must be 'peer'")
    assert not (tmp_path / "s").exists()


def test_invalid_utf8_is_accepted_as_bytes(store, text_corpora, tmp_path):
    latin = tmp_path / "latin.txt"
    latin.write_bytes(text_corpora["code"].read_bytes().replace(b"a", b"\xe4"))
    result = peer("ingest", latin, "--steps", "2", "--store", store, "--progress")  # with the Rich bar
    assert result.exit_code == 0, result.output
    assert "version 2 ready: ingest of latin" in result.stdout


def test_init_trains_version_one_on_standard_input(tmp_path, text_corpora):
    config = tmp_path / "tiny.toml"
    config.write_text("steps = 2\nseq_len = 32\ndoc_bytes = 512\n"  # a TOML config, partial tables
                      "[model]\nd_model = 32\nn_layers = 2\nn_heads = 2\nmax_seq_len = 32\n"
                      "[model.peer]\nn_heads = 2\ntop_k = 4\nn_keys = 8\n")
    result = peer("init", tmp_path / "s", "--config", config, "--base-corpus", "-", "--json",
                  input=text_corpora["code"].read_bytes())
    assert result.exit_code == 0, result.output
    made = json.loads(result.stdout)
    assert made["version"]["version"]["number"] == 1 and made["version"]["corpus"]["name"] == "stdin"
    assert made["version"]["corpus"]["source"] == "-" and made["version"]["steps"] == 2


def test_a_store_from_newer_code_or_an_unreachable_database_is_refused(store, text_corpora, tmp_path):
    engine = make_engine(sqlite_url(store / "registry.db"))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'fffffffff999'"))
    engine.dispose()
    one_line_error(peer("ingest", text_corpora["prose"], "--store", store), "upgrade peer-store")
    port = free_port()
    config = tmp_path / "tiny.json"
    config.write_text(json.dumps(tiny_continual_config().to_dict()))
    one_line_error(peer("init", tmp_path / "pg", "--base-corpus", text_corpora["code"], "--config", config,
                        "--db-url", f"postgresql://u:pw@127.0.0.1:{port}/x"), "cannot connect to")
    assert not (tmp_path / "pg").exists()


def test_a_store_config_from_newer_code_is_refused(store, text_corpora):
    engine = make_engine(sqlite_url(store / "registry.db"))
    with engine.begin() as conn:
        row = conn.execute(text("SELECT config FROM stores")).scalar_one()
        config = json.loads(row) if isinstance(row, str) else row
        config["format"] = "peer-store/continual/2"
        conn.execute(text("UPDATE stores SET config = :c"), {"c": json.dumps(config)})
    engine.dispose()
    one_line_error(peer("ingest", text_corpora["prose"], "--store", store), "upgrade peer-store")


# -- a store this user cannot write -------------------------------------------------------------
def _as_a_user_who_cannot_write(probe: Path) -> list[str]:
    """The command prefix of a user whom file permissions stop: nothing, or as root (who writes through
    ``chmod``) ``setpriv`` without CAP_DAC_OVERRIDE. Checked by opening ``probe`` for writing."""
    prefix = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv (util-linux), so chmod cannot make a store read-only")
        drop = "-dac_override,-dac_read_search"
        prefix = [setpriv, f"--inh-caps={drop}", f"--bounding-set={drop}", "--"]
    check = subprocess.run([*prefix, sys.executable, "-c", f"open({str(probe)!r}, 'a')"], capture_output=True)
    assert check.returncode != 0, "the permissions did not stop a write; this test cannot make a store read-only"
    return prefix


@pytest.mark.slow
@pytest.mark.parametrize("registry", ["sqlite", "postgresql"], indirect=True)
def test_the_forgetting_report_of_a_store_this_user_cannot_write(registry, text_corpora):
    """The missing cells are evaluated in memory, one line says they were not recorded and why, exit 0, and
    the registry is unchanged; ``--recorded`` still reads only what is recorded. SQLite: a read-only store
    folder, then a read-only registry file (as a real process, which chmod stops). PostgreSQL: a database
    whose transactions are read-only (a standby, or a role with reads only)."""
    store, db_url = registry
    env = {} if db_url is None else {"PEER_DB_URL": db_url}
    made = peer("ingest", text_corpora["prose"], "--steps", "2", "--store", store, env=env)
    assert made.exit_code == 0, made.output
    recorded = json.loads(peer("evaluate", "forgetting", "--recorded", "--json", "--store", store, env=env).stdout)
    assert recorded["loss"][1][0] is None  # version 2 on code: left for the report
    with Store.open(store, db_url=db_url) as opened:
        before = [(v.number, v.status) for v in opened.versions()], files_of(store)
    if db_url is None:
        argv = [sys.executable, "-m", "cli", "evaluate", "forgetting", "--json", "--no-progress", "--store", str(store)]
        modes = {p: p.stat().st_mode for p in [store, *store.rglob("*")]}
        try:
            for read_only in ([store, *store.rglob("*")], [store / "registry.db"]):  # the folder, then the file
                for p in read_only:
                    p.chmod(p.stat().st_mode & ~0o222)
                prefix = _as_a_user_who_cannot_write(read_only[-1] if len(read_only) == 1 else store / "probe")
                done = subprocess.run([*prefix, *argv], env=peer_env(), capture_output=True, text=True, timeout=300)
                assert done.returncode == 0, done.stderr
                assert "Traceback" not in done.stderr
                lines = [line for line in done.stderr.splitlines() if line.startswith("not recording")]
                assert len(lines) == 1 and "cannot write to the registry" in lines[0], done.stderr
                assert "readonly database" in lines[0]
                report = json.loads(done.stdout)
                assert report["loss"][1][0] is not None and report["forgetting"]["code"] is not None
                for p, mode in modes.items():
                    p.chmod(mode)
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
    else:
        import psycopg

        server, name = db_url.replace("postgresql+psycopg://", "postgresql://").rsplit("/", 1)
        admin = f"{server}/postgres"  # not the database itself: once read-only, it could not be reset from there
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
        result = peer("evaluate", "forgetting", "--json", "--store", store, env=env)
        assert result.exit_code == 0, result.output
        lines = [line for line in result.stderr.splitlines() if line.startswith("not recording")]
        assert len(lines) == 1 and "read-only transaction" in lines[0], result.stderr
        report = json.loads(result.stdout)
        assert report["loss"][1][0] is not None and report["forgetting"]["code"] is not None
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'ALTER DATABASE "{name}" RESET default_transaction_read_only')
    with Store.open(store, db_url=db_url) as opened:
        assert ([(v.number, v.status) for v in opened.versions()], files_of(store)) == before
    again = json.loads(peer("evaluate", "forgetting", "--recorded", "--json", "--store", store, env=env).stdout)
    assert again == recorded  # nothing was recorded
    filled = json.loads(peer("evaluate", "forgetting", "--json", "--store", store, env=env).stdout)
    assert filled["loss"] == report["loss"]  # writable again: the same cells, now recorded


# -- real processes, killed ----------------------------------------------------------------------
def _kill_points(where: list[str], on_postgres: list[str]):
    return [pytest.param("sqlite", w, id=f"sqlite-{w}") for w in where] + [
        pytest.param("postgresql", w, id=f"postgresql-{w}") for w in on_postgres]


@pytest.mark.slow
@pytest.mark.parametrize(("registry", "where"), _kill_points(["segment 1", "deltas", "commit"], ["commit"]),
                         indirect=["registry"])
def test_kill_during_the_final_write(registry, text_corpora, where):
    """On PostgreSQL only the kill at the commit (every file written, the transaction not begun): the
    registry is left as at the other kill points (a ``training`` row, an open session), which differ
    only in the files under ``tmp/`` the SQLite runs check; each point costs about 11 s."""
    store, db_url = registry
    args = ["ingest", str(text_corpora["prose"]), "--steps", "2", "--store", str(store), "--no-progress"]
    done = subprocess.run([sys.executable, "-c", DYING_PEER, where, *args], env=peer_env(db_url), capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert "writing the new files" in done.stderr
    if where == "commit":
        assert len(files_of(store)) > 0 and len(list((store / "segments").iterdir())) == 2  # v1's shell, the new one
        assert len(list((store / "routes").iterdir())) == 3  # two profiles, one set of deltas
    else:
        half = b"half a segment" if where.startswith("segment") else b"half the deltas"
        assert any(p.read_bytes() == half for p in (store / "tmp").rglob("*") if p.is_file())
    after_a_kill(store, text_corpora["prose"], db_url)


@pytest.mark.slow
@pytest.mark.parametrize("registry", ["sqlite", "postgresql"], indirect=True)
def test_kill_during_training_and_a_second_ingest_is_refused(registry, text_corpora):
    store, db_url = registry
    env = {} if db_url is None else {"PEER_DB_URL": db_url}
    args = ["-m", "cli", "ingest", str(text_corpora["prose"]), "--steps", "100000", "--store", str(store),
            "--no-progress"]
    proc = subprocess.Popen([sys.executable, *args], env=peer_env(db_url), stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, text=True)
    try:
        seen = []
        while not any(line.startswith("training ") for line in seen):
            line = proc.stderr.readline()
            assert line, f"the ingest ended early: {''.join(seen)}"
            seen.append(line)
        second = peer("ingest", text_corpora["more"], "--store", store, env=env)
        one_line_error(second, "is busy: peer ingest (pid")
        if db_url is not None:
            assert advisory_locks(db_url) == 1  # the writer's lock in the registry, dropped with its connection
        while not any(line.strip().startswith("step ") for line in seen):  # training is under way
            line = proc.stderr.readline()
            assert line, f"the ingest ended early: {''.join(seen)}"
            seen.append(line)
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stderr.close()
    assert not (store / "segments").exists() or len(list((store / "segments").iterdir())) == 1
    after_a_kill(store, text_corpora["prose"], db_url)
