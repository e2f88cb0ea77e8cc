"""Ingests killed with SIGKILL as real subprocesses: the script that kills itself at one point of the final write,
and the checks that the previous version stayed current and the store recovers."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from peer_store.db import Store, fsck
from peer_store.db.lock import RegistryLock
from tests.helpers.cli import peer

# Runs `peer ARGS...` in this process after arranging for it to SIGKILL itself at one point of the
# final write: "segment N" (half-way through writing the N-th shell file: an ingest writes only its new
# shells, the frozen ones are referenced again) or "commit" (every file written, the transaction not yet
# begun).
DYING_PEER = textwrap.dedent(
    """
    import os, signal, sys
    import peer_store.files as files
    from peer_store.db.store import Store

    where, args = sys.argv[1], sys.argv[2:]
    if where.startswith("segment"):
        real, calls, nth = files.save_segment, [], int(where.split()[1])
        def save_segment(segment, path):
            calls.append(path)
            if len(calls) == nth:
                with open(path, "wb") as f:
                    f.write(b"half a segment")
                    f.flush()
                os.kill(os.getpid(), signal.SIGKILL)
            return real(segment, path)
        files.save_segment = save_segment
    elif where == "deltas":
        import continual.versions as versions
        def write_deltas(deltas, path):
            with open(path, "wb") as f:
                f.write(b"half the deltas")
                f.flush()
            os.kill(os.getpid(), signal.SIGKILL)
        versions.write_deltas = write_deltas
    else:
        def finish_version(self, *a, **k):
            os.kill(os.getpid(), signal.SIGKILL)
        Store.finish_version = finish_version
    from cli.main import app
    app(args, prog_name="peer")
    """
)


def after_a_kill(store: Path, corpus: Path, db_url: str | None = None) -> None:
    """The previous version is current and usable, no referenced file is damaged, the attempt ends up
    failed, and running the same ingest again works: with PostgreSQL, the killed writer's advisory lock
    went with its connection."""
    env = {} if db_url is None else {"PEER_DB_URL": db_url}
    with Store.open(store, db_url=db_url) as opened:
        assert opened.current().number == 1
        report = fsck(opened)
        assert not report.of("missing") and not report.of("corrupted"), report
        assert report.interrupted == [2]  # still marked training: nobody has taken the lock since
    sample = peer("generate", "--prompt", "x", "--tokens", "5", "--store", store, env=env)
    assert sample.exit_code == 0, sample.output
    scored = peer("score", corpus, "--store", store, "--json", env=env)
    assert scored.exit_code == 0 and json.loads(scored.stdout)["version"] == 1, scored.output
    again = peer("ingest", corpus, "--steps", "2", "--store", store, env=env)
    assert again.exit_code == 0, again.output
    assert "version 3 ready" in again.stdout
    with Store.open(store, db_url=db_url) as opened:
        failed = opened.version(2)
        assert failed.status == "failed" and failed.error.startswith("interrupted")
        assert opened.current().number == 3
    assert peer("gc", "--store", store, env=env).exit_code == 0
    assert peer("fsck", "--store", store, env=env).exit_code == 0
    if db_url is not None:
        assert advisory_locks(db_url) == 0


def advisory_locks(db_url: str) -> int:
    """How many writer locks (session advisory locks in the store's namespace) the registry's server holds."""
    import psycopg

    with psycopg.connect(db_url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        return conn.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = %s AND database = "
            "(SELECT oid FROM pg_database WHERE datname = current_database())", (RegistryLock.NAMESPACE,)).fetchone()[0]
