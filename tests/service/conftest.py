"""A store with one version, `peer serve` / `peer watch` as real subprocesses driven over real HTTP, and what
the CLI prints as JSON (the oracle of the API's answers)."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.conftest import tiny_continual_config
from tests.helpers.processes import free_port, peer_env


def wait_for(check, what: str, timeout: float = 90.0, every: float = 0.05):
    """Poll ``check()`` until it returns something truthy; fail naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(every)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")


def peer_json(store: Path, *args: str):
    """What the CLI prints with --json (or --format json), parsed."""
    result = CliRunner().invoke(app, [*args], env={"PEER_HOME": str(store), "PEER_DB_URL": None})
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


class Peer:
    """A `peer` subprocess (serve or watch) whose stderr goes to a log file."""

    def __init__(self, args: list[str], log: Path):
        self.log = log
        self.proc = subprocess.Popen([sys.executable, "-m", "cli", *args], env=peer_env(), stdout=subprocess.DEVNULL,
                                     stderr=log.open("w"))

    def said(self) -> str:
        return self.log.read_text()

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(30)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60) -> int:
        self.proc.send_signal(sig)
        return self.proc.wait(timeout)

    def ensure_dead(self) -> None:
        if self.proc.poll() is None:
            self.kill()


class Server(Peer):
    """`peer serve` on a free loopback port, up once /healthz answers."""

    def __init__(self, store: Path, log: Path, *args: str):
        self.port = free_port()
        super().__init__(["serve", "--store", str(store), "--port", str(self.port), *args], log)
        self.url = f"http://127.0.0.1:{self.port}"
        self.http = httpx.Client(base_url=self.url, timeout=60)

        def up():
            assert self.proc.poll() is None, f"peer serve exited with {self.proc.returncode}: {self.said()}"
            try:
                return self.http.get("/healthz").status_code == 200
            except httpx.TransportError:
                return False

        wait_for(up, "peer serve to answer /healthz", every=0.1)

    def job(self, job_id: str) -> dict:
        return self.http.get(f"/v1/jobs/{job_id}").json()

    def job_until(self, job_id: str, done, what: str, timeout: float = 120.0) -> dict:
        """The job once ``done(job)`` holds."""

        def check():
            job = self.job(job_id)
            return job if done(job) else None

        return wait_for(check, what, timeout, every=0.1)


@pytest.fixture(scope="session")
def service_base_store(tmp_path_factory, text_corpora) -> Path:
    """A routed store whose version 1 learnt the code corpus (the tiny model of tests/conftest.py)."""
    from continual.ingest import create_store

    path = tmp_path_factory.mktemp("service") / "store"
    store, _ = create_store(path, config=tiny_continual_config(), base_corpus=text_corpora["code"])
    store.close()
    return path


@pytest.fixture(scope="session")
def copy_store(service_base_store, tmp_path_factory):
    def copy() -> Path:
        dest = tmp_path_factory.mktemp("store") / "store"
        shutil.copytree(service_base_store, dest)
        return dest

    return copy


@pytest.fixture
def peers() -> Iterator[list[Peer]]:
    """Peer processes a test starts; any still running at its end are killed."""
    started: list[Peer] = []
    yield started
    for peer in started:
        peer.ensure_dead()
