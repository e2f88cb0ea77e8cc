"""Fixtures every test package shares (plain helpers are in ``tests/helpers``):

- ``postgres_server`` / ``postgres_url``: a real PostgreSQL server, and a fresh database on it;
- ``tiny_continual_config``, ``text_corpora``: a store's model of a few thousand weights, and three small real
  corpora to teach it (the continual, CLI, study and service tests);
- ``stdlib_files``: about 500 kB of real Python source for the language-model tests;
- autouse: one torch thread per module, and SIGINT/SIGTERM restored after every test.

``postgres_server`` runs ``initdb`` and ``pg_ctl start`` on a temporary data
folder and a free port (as the ``postgres`` user when the tests run as root,
since initdb refuses root) and stops the server afterwards. It is started
once per session (per worker under pytest-xdist), and only when a test asks for it. A missing binary or a
server that will not start FAILS the tests that need it, with the reason: the
PostgreSQL tests are meant to run everywhere the suite runs, CI included.
Set ``PEER_PG_BIN`` to the folder holding initdb/pg_ctl to use another build.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
import sysconfig
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import torch

from tests.helpers.processes import free_port


def _pg_bin() -> Path:
    candidates = [os.environ["PEER_PG_BIN"]] if os.environ.get("PEER_PG_BIN") else []
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True)
    if which := shutil.which("pg_ctl"):
        candidates.append(str(Path(which).parent))
    for folder in candidates:
        if all((Path(folder) / tool).is_file() for tool in ("initdb", "pg_ctl", "postgres")):
            return Path(folder)
    pytest.fail(
        "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found in "
        f"{candidates or 'PEER_PG_BIN, /usr/lib/postgresql/*/bin or PATH'}; "
        "install postgresql (apt-get install postgresql) or set PEER_PG_BIN",
        pytrace=False,
    )


def _as_server_user(argv: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root: run them as ``postgres`` then."""
    if os.geteuid() != 0:
        return argv
    runuser = shutil.which("runuser")
    if runuser is None:
        pytest.fail("running as root, but `runuser` is missing to start PostgreSQL as the postgres user", pytrace=False)
    try:
        import pwd

        pwd.getpwnam("postgres")
    except KeyError:
        pytest.fail("running as root, but there is no `postgres` user to run PostgreSQL as", pytrace=False)
    return [runuser, "-u", "postgres", "--", *argv]


def _run(argv: list[str], what: str, log: Path | None = None) -> None:
    done = subprocess.run(_as_server_user(argv), capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        tail = log.read_text()[-2000:] if log is not None and log.is_file() else ""
        reason = done.stderr.strip() or done.stdout.strip()
        pytest.fail(f"{what} failed ({done.returncode}): {reason}\n{tail}", pytrace=False)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test on PostgreSQL is ``slow``: it needs the server process (started once per worker) and a database
    made for it. That is a test whose fixtures include ``postgres_server``, or one parametrized with the
    value ``"postgresql"`` (the ``db_url`` and ``registry`` fixtures pick the registry that way), so
    ``-m "not slow"`` keeps every test's SQLite variant and leaves out its PostgreSQL one."""
    for item in items:
        params = getattr(item, "callspec", None)
        on_postgres = "postgres_server" in item.fixturenames or (
            params is not None and "postgresql" in (v for v in params.params.values() if isinstance(v, str))
        )
        if on_postgres:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """URL of a running throwaway PostgreSQL server (database ``postgres``, user ``postgres``, trust auth)."""
    try:
        import psycopg  # noqa: F401  the driver the registry uses for postgresql:// URLs
    except ImportError:
        pytest.fail("the PostgreSQL driver is missing: pip install 'psycopg[binary]'", pytrace=False)
    bin_dir = _pg_bin()
    root = Path(tempfile.mkdtemp(prefix="peer-pg-"))
    data, log = root / "data", root / "server.log"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    _run(
        [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"],
        "initdb",
    )
    port = free_port()
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
    _run(
        [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", "60", "start"],
        "pg_ctl start",
        log,
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh, empty database on the test server, dropped afterwards."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = postgres_server.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield postgres_server.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- continual learning: tiny stores on small real corpora (tests/continual, cli, study, service) ----------------
def tiny_continual_config(**overrides):
    """A model of a few thousand weights: one PEER block of 8x8 experts; ingests of a few steps."""
    from continual.config import ContinualConfig

    base = dict(
        model=dict(
            d_model=32, n_layers=2, n_heads=2, max_seq_len=32, ffn="peer", sparse_blocks="every_other",
            peer=dict(n_heads=2, top_k=4, n_keys=8, d_key=None),  # queries as wide as the model
        ),
        optim=dict(lr=3e-3, warmup_steps=2),
        seq_len=32, batch_size=8, steps=6, doc_bytes=512, heldout_fraction=0.2, eval_batches=3, kmeans_batches=2,
    )
    base.update(overrides)
    return ContinualConfig.from_dict(base)


def merge_version(model, targets: dict, version) -> None:
    """Merge LoRA ``version`` into ``model`` by hand (the oracle of exclusive routing): ``E + D`` as embedding and
    ``W + B A`` in every linear of ``targets``; a head tied to the embedding gets its own weight first."""
    import torch

    model.head.weight = torch.nn.Parameter(model.head.weight.detach().clone())
    with torch.no_grad():
        model.embed.weight += version.embed.weight
        for name, linear in targets.items():
            linear.weight += version.b[version.keys[name]] @ version.a[version.keys[name]]


@pytest.fixture(scope="session")
def text_corpora(tmp_path_factory) -> dict[str, Path]:
    """Three small real corpora of about 20 kB: Python source (a file), reference prose (a folder of
    .txt files) and more prose as gzipped JSONL."""
    import gzip
    import json
    import sysconfig

    from pydoc_data.topics import topics

    root = tmp_path_factory.mktemp("corpora")
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    code = root / "code.py"
    code.write_bytes(((stdlib / "textwrap.py").read_bytes() + (stdlib / "enum.py").read_bytes())[:20000])
    prose = root / "prose"
    prose.mkdir()
    names = sorted(topics)
    for i, key in enumerate(names[:40]):
        (prose / f"{i:02d}-{key}.txt").write_text(topics[key][:800])
    (prose / "skip.rs").write_text("fn main() {}\n")
    lines = [json.dumps({"text": topics[key][:600]}) for key in names[40:80]]
    jsonl = root / "more.jsonl.gz"
    jsonl.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    return {"code": code, "prose": prose, "more": jsonl}


# -- the language model and the study: one CPU thread, a small real corpus from the stdlib ------------------------
STDLIB_FILES = ["textwrap.py", "argparse.py", "enum.py", "dataclasses.py", "inspect.py", "typing.py"]


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """Tiny models run fastest on one thread, and the machine is shared (restored after each module)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(autouse=True)
def signal_handlers_restored():
    """SIGINT and SIGTERM as they were before each test. A disposition a test leaves behind is inherited by
    every process a later test starts: an ignored SIGINT (Lightning ignores it while it shuts a fit down
    after a KeyboardInterrupt) made the Ctrl-C test's `peer ingest` deaf to Ctrl-C in full runs only."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in saved.items():
        if handler is not None and signal.getsignal(sig) is not handler:
            signal.signal(sig, handler)


@pytest.fixture(scope="session")
def stdlib_files() -> list[str]:
    """About 500 kB of Python source from the interpreter's standard library."""
    stdlib = sysconfig.get_paths()["stdlib"]
    files = [os.path.join(stdlib, f) for f in STDLIB_FILES]
    missing = [f for f in files if not os.path.isfile(f)]
    assert not missing, f"the standard library sources are missing: {missing}"
    return files
