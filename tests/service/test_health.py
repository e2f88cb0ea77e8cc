"""A thread of the server that dies is logged and makes /healthz a 503 naming it; the folder watch is
restarted after a failure instead of ending every later ingest."""

from __future__ import annotations

import threading

import anyio
import pytest

from starlette.testclient import TestClient

from service.app import create_app
from service.core import ServeOptions, Service
from service.http import RequestStopped, request_check
from service.watch import Watcher
from tests.service.conftest import wait_for


@pytest.mark.slow  # loads a version and runs the app's threads
def test_a_dead_job_worker_makes_healthz_503(copy_store, monkeypatch):
    said: list[str] = []
    service = Service(copy_store(), options=ServeOptions(), say=said.append)
    service.start()

    def broken(_self):
        raise RuntimeError("the registry vanished")

    monkeypatch.setattr(type(service.runner), "_take_jobs", broken)
    with TestClient(create_app(service)) as http:
        answer = wait_for(lambda: (a := http.get("/healthz")).status_code == 503 and a, "healthz to say 503")
        assert answer.json()["problems"] == ["the job worker stopped: RuntimeError: the registry vanished"]
        assert answer.json()["status"] == "failing"
    assert any("the job worker stopped: Traceback" in line and "the registry vanished" in line for line in said)


@pytest.mark.slow
def test_the_folder_watch_restarts_after_a_failure(copy_store, tmp_path, monkeypatch):
    said: list[str] = []
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    service = Service(copy_store(), options=ServeOptions(watch=inbox, watch_interval=1.0), say=said.append)
    service.start()
    real, failed_once, scanned_again = Watcher.scan, threading.Event(), threading.Event()

    def scan(self, stop=None):
        if not failed_once.is_set():
            failed_once.set()
            raise OSError("the folder's disk went away")
        scanned_again.set()
        return real(self, stop)

    monkeypatch.setattr(Watcher, "scan", scan)
    with TestClient(create_app(service)) as http:
        answer = wait_for(lambda: (a := http.get("/healthz")).status_code == 503 and a, "healthz to say 503",
                          timeout=30, every=0.02)
        assert answer.json()["problems"] == ["the peer-watch thread stopped: OSError: the folder's disk went away"]
        wait_for(scanned_again.is_set, "the watch to restart", timeout=30)
        assert http.get("/healthz").status_code == 200
    assert any("the folder watch failed, restarting it in 1 s" in line for line in said)


@pytest.mark.slow
def test_score_generate_and_completions_stop_at_the_time_limit(copy_store):
    service = Service(copy_store(), options=ServeOptions(max_request_s=1e-6))
    service.start()
    with TestClient(create_app(service)) as http:
        for path, body in (("/v1/score", {"texts": ["def f(x):\n    return x\n"]}),
                           ("/v1/generate", {"prompt": "def ", "max_tokens": 50})):
            answer = http.post(path, json=body)
            assert answer.status_code == 503, answer.text
            assert "took longer than this server's limit of 1e-06 s" in answer.json()["detail"]
        model = http.get("/v1/models").json()["data"][0]["id"]
        answer = http.post("/v1/completions", json={"model": model, "prompt": "def ", "max_tokens": 50})
        assert answer.status_code == 503, answer.text  # in OpenAI's error shape on its paths
        assert "took longer than this server's limit of 1e-06 s" in answer.json()["error"]["message"]


def test_work_stops_when_its_client_has_gone():
    class Gone:
        async def is_disconnected(self) -> bool:
            return True

    class Waiting:
        async def is_disconnected(self) -> bool:
            return False

    async def check_in_a_worker(request):
        return await anyio.to_thread.run_sync(request_check(request, 60.0))

    assert anyio.run(check_in_a_worker, Waiting()) is None
    with pytest.raises(RequestStopped, match="the client went away"):
        anyio.run(check_in_a_worker, Gone())
