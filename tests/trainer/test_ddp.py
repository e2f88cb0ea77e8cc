"""DDP on 2 CPU processes (gloo) follows the same loss trajectory as one process with the
same global batch: the PEER model's expert tables take the sparse all-reduce path, and
each rank's DataLoader runs 2 workers, so the stream's rank x worker sharding is covered."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("ddp_run.py")
ROOT = Path(__file__).resolve().parents[2]


def run(out: Path, *args: str) -> dict:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), str(out), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    return json.loads(out.read_text())


@pytest.mark.slow
def test_ddp_two_processes_match_one_process(tmp_path):
    one = run(tmp_path / "one.json", "--devices", "1", "--batch-size", "8", "--kind", "peer")
    two = run(tmp_path / "two.json", "--devices", "2", "--batch-size", "4", "--kind", "peer", "--workers", "2")
    assert (one["world_size"], two["world_size"]) == (1, 2)
    assert (one["comm_hooks"], two["comm_hooks"]) == ([], ["sparse_allreduce_hook"])
    assert len(one["losses"]) == len(two["losses"]) == 12
    assert one["losses"][-1] < one["losses"][0] - 1.0  # it trained
    assert two["losses"] == pytest.approx(one["losses"], rel=1e-4, abs=1e-4)
    assert two["heldout"] == pytest.approx(one["heldout"], rel=1e-4)
    assert two["table_checksum"] == pytest.approx(one["table_checksum"], rel=1e-4, abs=1e-4)


@pytest.mark.slow
def test_ddp_trains_switch_with_idle_experts(tmp_path):
    """Switch routes per rank: experts idle on one rank must still get (zero) gradients or DDP stalls.
    Capacity and the balance loss see the local batch, so the trajectory is close, not equal."""
    one = run(tmp_path / "one.json", "--devices", "1", "--batch-size", "8", "--kind", "switch")
    two = run(tmp_path / "two.json", "--devices", "2", "--batch-size", "4", "--kind", "switch")
    assert two["world_size"] == 2 and len(two["losses"]) == 12
    assert two["losses"] == pytest.approx(one["losses"], abs=0.05)
