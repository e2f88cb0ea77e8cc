"""peer_store.distributed: DDP's reduction of the expert tables' sparse gradients, on 2 gloo
processes (ddp_stress.py). Without the hook, torch 2.13 on CPU corrupts the heap within
about a thousand of these steps (SIGABRT / SIGSEGV)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.processes import free_port

SCRIPT = Path(__file__).with_name("ddp_stress.py")


def run(out: Path, *args: str, timeout: int = 240) -> dict:
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), str(out), *args], capture_output=True, text=True, timeout=timeout
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(out.read_text())


@pytest.mark.slow
@pytest.mark.parametrize("kernel", ["dense", "gather"])
def test_hook_gives_rank_zero_the_mean_gradient(tmp_path, kernel):
    result = run(tmp_path / "check.json", "--check", "--kernel", kernel, "--port", str(free_port()))
    assert len(result["sparse"]) == 4  # two PEER layers, two tables each
    for name, diff in result["max_diff"].items():
        assert result["max_abs"][name] > 0
        assert diff <= 1e-5 * result["max_abs"][name], name


@pytest.mark.slow
def test_many_ddp_steps_with_sparse_tables_do_not_corrupt_memory(tmp_path):
    """What fails here is an abort (heap corruption), not speed: the time limit leaves room for a machine that
    runs the suite on more processes than it has cores."""
    steps = run(tmp_path / "run.json", "--steps", "3000", "--port", str(free_port()), timeout=900)["steps"]
    assert steps == 3000
