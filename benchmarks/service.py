"""`peer serve` under load: N concurrent clients scoring, first on an idle server, then while an ingest job
runs, through a real HTTP server on loopback.

Per phase: requests answered per second, p50 and p99 latency, how many failed (any answer but 200, or no
answer), and which versions answered. The goal is no failure, and the new version answering once the job is
done without a restart.

Without ``--store`` it builds a small routed store in a temporary folder (version 1 on a slice of the
standard library's source, the model of ``--config small``) so that it runs anywhere in a minute or two.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/service.py [--clients 8] [--idle-seconds 10] [--steps 40]
        [--store PATH] [--text-bytes 512] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
STDLIB = Path(sysconfig.get_paths()["stdlib"])
SMALL = dict(
    model=dict(d_model=64, n_layers=2, n_heads=2, max_seq_len=64, ffn="peer", sparse_blocks="every_other",
               peer=dict(n_heads=2, top_k=4, n_keys=8, d_key=None)),
    optim=dict(lr=3e-3, warmup_steps=2), seq_len=64, batch_size=8, steps=20, doc_bytes=1024, heldout_fraction=0.2,
    eval_batches=3, kmeans_batches=2,
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def small_store(root: Path) -> Path:
    from continual.config import ContinualConfig
    from continual.ingest import create_store

    corpus = root / "code.py"
    corpus.write_bytes(b"".join((STDLIB / f).read_bytes() for f in ("textwrap.py", "enum.py"))[:60_000])
    store, _ = create_store(root / "store", config=ContinualConfig.from_dict(SMALL), base_corpus=corpus)
    store.close()
    return root / "store"


def load(client: httpx.Client, clients: int, texts: list[str], until: threading.Event) -> dict:
    """``clients`` threads scoring in a loop until ``until`` is set: latencies, failures, versions."""
    latencies: list[float] = []
    failures: list[str] = []
    versions: dict[int, int] = {}
    lock = threading.Lock()

    def client_loop(k: int) -> None:
        i = k
        while not until.is_set():
            started = time.perf_counter()
            try:
                answer = client.post("/v1/score", json={"texts": [texts[i % len(texts)]]})
                ok, why = answer.status_code == 200, f"{answer.status_code} {answer.text[:80]}"
            except httpx.HTTPError as error:
                ok, why = False, f"{type(error).__name__}: {error}"
            seconds = time.perf_counter() - started
            with lock:
                if ok:
                    latencies.append(seconds)
                    v = answer.json()["version"]
                    versions[v] = versions.get(v, 0) + 1
                else:
                    failures.append(why)
            i += clients

    started = time.perf_counter()
    threads = [threading.Thread(target=client_loop, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "seconds": wall, "requests": len(latencies) + len(failures), "failed": len(failures),
        "per_second": len(latencies) / wall,
        "p50_ms": 1000 * statistics.median(ordered) if ordered else None,
        "p99_ms": 1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] if ordered else None,
        "versions": versions, "first_failures": failures[:3],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--idle-seconds", type=float, default=10.0)
    parser.add_argument("--steps", type=int, default=40, help="training steps of the ingest job")
    parser.add_argument("--store", type=Path, help="serve this store (default: a small new one)")
    parser.add_argument("--text-bytes", type=int, default=512, help="bytes of each scored text")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="peer-bench-") as tmp:
        root = Path(tmp)
        store = args.store or small_store(root)
        port = free_port()
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        log = (root / "serve.log").open("w")
        server = subprocess.Popen([sys.executable, "-m", "cli", "serve", "--store", str(store), "--port", str(port)],
                                  env=env, stdout=subprocess.DEVNULL, stderr=log)
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120,
                              limits=httpx.Limits(max_connections=args.clients + 4))
        try:
            while True:  # up, and the job worker has loaded Lightning (it would compete with the idle phase)
                try:
                    if client.get("/healthz").json()["worker_ready"]:
                        break
                    time.sleep(0.2)
                except httpx.TransportError:
                    if server.poll() is not None:
                        sys.exit(f"peer serve exited: {(root / 'serve.log').read_text()[-2000:]}")
                    time.sleep(0.2)
            source = b"".join((STDLIB / f).read_bytes() for f in ("argparse.py", "dataclasses.py"))
            texts = [source[i:i + args.text_bytes].decode("utf-8", "replace")
                     for i in range(0, 64 * args.text_bytes, args.text_bytes)]
            results = {}

            idle = threading.Event()
            threading.Timer(args.idle_seconds, idle.set).start()
            results["idle"] = load(client, args.clients, texts, idle)

            corpus = (STDLIB / "inspect.py").read_bytes()[:60_000] + str(time.time()).encode()  # new every run
            job = client.post("/v1/ingest", params={"name": f"bench-{int(time.time())}", "steps": args.steps},
                              content=corpus, headers={"content-type": "text/plain"}).json()["job"]
            ended = threading.Event()

            def watch_job() -> None:
                while client.get(f"/v1/jobs/{job}").json()["state"] in ("queued", "running"):
                    time.sleep(0.2)
                ended.set()

            threading.Thread(target=watch_job).start()
            results["during ingest"] = load(client, args.clients, texts, ended)
            results["job"] = client.get(f"/v1/jobs/{job}").json()
            after = threading.Event()
            threading.Timer(3.0, after.set).start()
            results["after"] = load(client, args.clients, texts, after)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(120)

    print(f"{args.clients} clients, texts of {args.text_bytes} bytes, one job of {args.steps} steps "
          f"({results['job']['state']}, version {results['job']['version']}); torch threads per process: "
          f"{os.environ.get('OMP_NUM_THREADS', 'default')}")
    print(f"{'phase':<15}{'seconds':>9}{'requests':>10}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'failed':>8}  versions")
    for phase in ("idle", "during ingest", "after"):
        r = results[phase]
        print(f"{phase:<15}{r['seconds']:>9.1f}{r['requests']:>10}{r['per_second']:>8.1f}{r['p50_ms']:>9.1f}"
              f"{r['p99_ms']:>9.1f}{r['failed']:>8}  {r['versions']}")
        if r["first_failures"]:
            print("   ", r["first_failures"])
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
