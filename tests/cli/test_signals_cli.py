"""SIGTERM and Ctrl-C during an ingest's training, sent to a real `peer` process: exit 143 / 130 with one line
saying the previous version stays current, and it does (the attempt is failed, not ready)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from peer_store.db import Store
from tests.helpers.cli import peer
from tests.helpers.processes import peer_env


def _signals_as_a_shell_leaves_them() -> None:
    """In the child before it runs Python: SIGINT and SIGTERM at their defaults, whatever this process has (an
    ignored signal is inherited, and Python leaves an ignored SIGINT ignored)."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)


@pytest.mark.slow
@pytest.mark.parametrize(
    "sent, status, word", [(signal.SIGTERM, 143, "terminated"), (signal.SIGINT, 130, "interrupted")], ids=["term", "int"]
)
def test_a_signal_during_training_exits_with_its_status_and_one_line(store, text_corpora, sent, status, word):
    args = ["-m", "cli", "ingest", str(text_corpora["prose"]), "--steps", "100000", "--store", str(store),
            "--no-progress"]
    proc = subprocess.Popen([sys.executable, *args], env=peer_env(), stderr=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True, preexec_fn=_signals_as_a_shell_leaves_them)
    try:
        seen = []
        while not any(line.strip().startswith("step ") for line in seen):  # training is under way
            line = proc.stderr.readline()
            assert line, f"the ingest ended early: {''.join(seen)}"
            seen.append(line)
        proc.send_signal(sent)
        try:
            stdout, rest = proc.communicate(timeout=120)
        except subprocess.TimeoutExpired:  # say where it stood (seen twice in full runs on a loaded machine)
            proc.kill()
            _, rest = proc.communicate()
            pytest.fail(f"still running 120 s after {sent.name}; its stderr ends: {rest[-3000:]!r}")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == status, rest
    said = [line for line in rest.splitlines() if not line.strip().startswith("step ")]  # progress may slip in
    assert said == [f"error: {word}; the previous version stays current"], rest
    assert "Traceback" not in rest and stdout == ""
    with Store.open(store) as opened:
        assert opened.current().number == 1
        assert opened.version(2).status == "failed"


@pytest.mark.parametrize("sent, status, word", [(signal.SIGTERM, 143, "terminated"), (signal.SIGINT, 130, "interrupted")],
                         ids=["term", "int"])
def test_a_signal_while_the_forgetting_report_evaluates_is_one_line(store, monkeypatch, sent, status, word):
    import continual.forgetting
    import continual.heldout

    def signalled(*_args, **_kwargs):
        os.kill(os.getpid(), sent)  # as from outside, while a cell is being evaluated
        time.sleep(5)
        raise AssertionError("the signal did not stop the evaluation")

    def unhandled(*_args):
        raise AssertionError("the command did not handle the signal")  # instead of killing the test run

    signal.signal(signal.SIGTERM, unhandled)  # the autouse fixture restores both
    signal.signal(signal.SIGINT, signal.default_int_handler)  # as a shell leaves it (an xdist worker ignores it)
    monkeypatch.setattr(continual.forgetting, "missing_evaluations", lambda *_args: {1: ["code"]})
    monkeypatch.setattr(continual.heldout, "fill_evaluations", signalled)
    result = peer("evaluate", "forgetting", "--store", store, "--no-progress")
    assert result.exit_code == status, result.output
    assert result.stderr.strip().splitlines() == [
        f"error: {word}; the cells evaluated so far are recorded; the next report evaluates the rest"]
