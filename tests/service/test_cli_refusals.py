"""`peer serve` and `peer watch` refuse what cannot work in one line, before binding or watching anything."""

from __future__ import annotations

import os
import signal
import socket
import time

import pytest

from tests.helpers.cli import peer


def refused(result, words: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.stderr.strip().splitlines() == [result.stderr.strip()] and words in result.stderr, result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", ["serve", "watch"])
def test_help_has_an_example(command):
    result = peer(command, "--help")
    assert result.exit_code == 0 and "Example: peer " + command in result.output


def test_bad_starts_are_one_line(service_base_store, tmp_path):
    store = service_base_store
    refused(peer("serve", "--host", "0.0.0.0", "--store", store), "refusing to serve on 0.0.0.0 without a token")
    refused(peer("serve", "--host", "example.org", "--store", store), "pass --token-file, or bind 127.0.0.1")
    (tmp_path / "empty").write_text("\n")
    refused(peer("serve", "--token-file", tmp_path / "empty", "--store", store), "must hold one token")
    refused(peer("serve", "--token-file", tmp_path / "missing", "--store", store), "cannot read the token file")
    refused(peer("serve", "--max-upload", "0", "--store", store), "--max-upload must be at least 1")
    refused(peer("serve"), "no store given")
    refused(peer("serve", "--store", tmp_path), "no peer store at")
    refused(peer("watch", tmp_path / "nowhere", "--store", store), "is not a folder")
    refused(peer("watch", tmp_path, "--interval", "0", "--store", store), "--interval must be")


def test_a_port_in_use_is_one_line_before_serving(service_base_store):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = peer("serve", "--port", port, "--store", service_base_store)
    refused(result, f"cannot listen on 127.0.0.1:{port}: address already in use; pick another --port")
    assert "serving" not in result.output


@pytest.mark.parametrize("sent, status, word", [(signal.SIGTERM, 143, "terminated"), (signal.SIGINT, 130, "interrupted")],
                         ids=["term", "int"])
def test_a_signal_while_the_server_starts_is_one_line(service_base_store, monkeypatch, sent, status, word):
    import service.core

    def unhandled(*_args):
        raise AssertionError("the command did not handle the signal")  # instead of killing the test run

    def signalled(_self):
        os.kill(os.getpid(), sent)  # as from outside, while the current version loads
        time.sleep(5)
        raise AssertionError("the signal did not stop the start")

    signal.signal(signal.SIGTERM, unhandled)  # the autouse fixture restores both
    signal.signal(signal.SIGINT, signal.default_int_handler)  # as a shell leaves it (an xdist worker ignores it)
    monkeypatch.setattr(service.core.Service, "start", signalled)
    result = peer("serve", "--port", "0", "--store", service_base_store)
    assert result.exit_code == status, result.output
    assert result.stderr.strip().splitlines() == [f"error: {word}; the server stopped"]
