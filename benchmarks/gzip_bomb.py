"""Memory while refusing hostile input: a gzip bomb uploaded to `peer serve`, the same bomb given to
`peer ingest`, and an endless standard input given to `peer score -`.

The bomb is ``--gib`` GiB of text compressed to about a thousandth of that, made in pieces so this script never
holds it. Reported: the server's resident memory before the upload and its peak (``VmHWM``) after the refusal,
the answer's status and time; the peak resident memory of each refused CLI process and its exit status. The
goal (docs/limits.md): every one refused, the server's peak under 1 GB.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/gzip_bomb.py [--gib 1] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.service import REPO, free_port, small_store  # noqa: E402

MiB = 2**20


def bomb(path: Path, gib: float) -> int:
    """Write a gzip of ``gib`` GiB of text lines to ``path``; its size on disk."""
    line = b"the same line of text, again and again, to fill a gigabyte\n"
    piece = line * (MiB // len(line))
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: a gzip header
    with open(path, "wb") as out:
        for _ in range(int(gib * 1024)):
            out.write(packer.compress(piece))
        out.write(packer.flush())
    return path.stat().st_size


def memory_kib(pid: int, field: str) -> int:
    for row in Path(f"/proc/{pid}/status").read_text().splitlines():
        if row.startswith(field + ":"):
            return int(row.split()[1])
    raise KeyError(field)


# Runs `peer ARGS` in a child that says its own peak resident memory (KiB) on stderr's last line.
MEASURED = ("import resource, runpy, sys\nsys.argv = ['peer', *sys.argv[1:]]\ntry:\n"
            "    runpy.run_module('cli', run_name='__main__')\nfinally:\n"
            "    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n")


def refused_cli(args: list[str], stdin=None) -> dict:
    """Run ``peer ARGS`` and report its exit status, its one line and its peak resident memory."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "OMP_NUM_THREADS": "1"}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", MEASURED, *args], stdin=stdin, env=env, capture_output=True)
    *said, peak = done.stderr.decode().strip().splitlines()
    return {"args": args[:2], "status": done.returncode, "said": said[-1] if said else "",
            "seconds": round(time.perf_counter() - started, 1), "peak_rss_mb": round(int(peak) / 1024, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gib", type=float, default=1.0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="gzip-bomb-"))
    store = small_store(root)
    path = root / "bomb.txt.gz"
    size = bomb(path, args.gib)
    print(f"bomb: {args.gib:g} GiB of text in {size:,} bytes of gzip")
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO), "OMP_NUM_THREADS": "1"}
    server = subprocess.Popen([sys.executable, "-m", "cli", "serve", "--store", str(store), "--port", str(port)],
                              env=env, stderr=subprocess.DEVNULL)
    result: dict = {"gib": args.gib, "gzip_bytes": size}
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=600) as http:
            while True:
                try:
                    if http.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
            before = memory_kib(server.pid, "VmRSS")
            started = time.perf_counter()
            with open(path, "rb") as body:
                answer = http.post("/v1/ingest", params={"name": "bomb"}, content=body.read(),
                                   headers={"content-type": "application/gzip"})
            result["server"] = {
                "status": answer.status_code, "detail": answer.json().get("detail"),
                "seconds": round(time.perf_counter() - started, 1), "rss_before_mb": round(before / 1024, 1),
                "peak_rss_mb": round(memory_kib(server.pid, "VmHWM") / 1024, 1),
                "rss_after_mb": round(memory_kib(server.pid, "VmRSS") / 1024, 1),
            }
    finally:
        server.terminate()
        server.wait(60)
    result["ingest"] = refused_cli(["ingest", str(path), "--store", str(store)])
    endless = subprocess.Popen(["cat", "/dev/zero"], stdout=subprocess.PIPE)
    try:
        result["score_stdin"] = refused_cli(["score", "-", "--store", str(store)], stdin=endless.stdout)
    finally:
        endless.kill()
        endless.wait()
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
