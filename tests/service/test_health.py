"""A thread of the server that dies is logged and makes /healthz a 503 naming it; the folder watch is
restarted after a failure instead of ending every later ingest."""

from __future__ import annotations

import threading

from starlette.testclient import TestClient

from service.app import create_app
from service.core import ServeOptions, Service
from service.watch import Watcher
from tests.service.conftest import wait_for


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
