"""Every benchmark case in its own process, so that each peak memory is the case's own.

A benchmark script runs itself once per case (``--child ...``); the child measures, prints its
result as one JSON line and exits. Repeats are interleaved (every case once, then again), so a
noisy stretch of a shared machine hits every case alike, and each cell reports the median of its
repeats. Used by ``peer_layer.py``, ``segments.py`` and ``million.py``.
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Hashable, Sequence

import torch


def run_case(argv: Sequence[str]) -> dict:
    """Run ``python *argv`` and return the JSON object of its last stdout line, or ``{"error": ...}`` holding
    the last line of its stderr when it failed."""
    out = subprocess.run([sys.executable, *argv], capture_output=True, text=True)
    if out.returncode != 0:
        return {"error": (out.stderr.strip().splitlines() or [f"exit status {out.returncode}"])[-1]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def interleaved(cases: Sequence[Hashable], run: Callable[..., dict], repeat: int) -> dict[Hashable, list[dict]]:
    """``run(*case)`` for every case, ``repeat`` rounds of all cases; every result is logged to stderr."""
    runs: dict[Hashable, list[dict]] = {case: [] for case in cases}
    for rep in range(repeat):
        for case in cases:
            res = run(*case)
            runs[case].append(res)
            print(json.dumps({"repeat": rep, "case": case, **res}), file=sys.stderr, flush=True)
    return runs


def medians(results: list[dict], keys: Sequence[str]) -> dict:
    """The median of each of ``keys`` over the results that did not fail, and those results as ``runs``;
    ``{"error": ...}`` of the last one when all failed."""
    ok = [r for r in results if "error" not in r]
    if not ok:
        return {"error": results[-1]["error"]}
    return {**{key: statistics.median(r[key] for r in ok) for key in keys}, "runs": ok}


def peak_bytes(device: torch.device) -> int:
    """Peak allocated CUDA memory on a GPU; peak RSS of this process (Python and torch included) on a CPU."""
    if device.type == "cuda":
        return torch.cuda.max_memory_allocated(device)
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def timed_steps(
    one: Callable[[], None], device: torch.device, *, min_seconds: float, warmup: int, min_steps: int = 3
) -> dict:
    """Run ``one`` ``warmup`` times, then until ``min_seconds`` and ``min_steps`` are both reached:
    ``steps``, wall ``seconds``, process ``cpu_seconds`` and ``peak_bytes`` (CUDA peak counted from after
    the warm-up)."""

    def sync() -> None:
        if device.type == "cuda":
            torch.cuda.synchronize(device)

    for _ in range(warmup):
        one()
    sync()
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats(device)
    steps, start, cpu_start = 0, time.perf_counter(), time.process_time()
    while True:
        one()
        steps += 1
        sync()
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds and steps >= min_steps:
            break
    return {"steps": steps, "seconds": elapsed, "cpu_seconds": time.process_time() - cpu_start,
            "peak_bytes": peak_bytes(device)}
