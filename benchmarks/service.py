"""`peer serve` under load: N concurrent clients scoring (``--workload score``) or streaming OpenAI-style
completions (``--workload completions``), first on an idle server, then while an ingest job runs, then after
it, through a real HTTP server on loopback.

Per phase: requests answered per second, p50 and p99 latency, how many failed (any answer but 200, no
answer, or a stream that did not end with ``[DONE]`` or named more than one version), which versions
answered, and for completions the tokens generated per second (all clients together) and the p50 time to
the first token. The goal is no failure, and the new version answering once the job is done without a
restart.

Without ``--store`` it builds a small routed store in a temporary folder (version 1 on a slice of the
standard library's source, the model of ``--config small``) so that it runs anywhere in a minute or two.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/service.py [--clients 8] [--idle-seconds 10] [--steps 40]
        [--store PATH] [--text-bytes 512] [--workload score|completions] [--max-tokens 32] [--json out.json]
"""

from __future__ import annotations

import argparse
import functools
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


def score(client: httpx.Client, text: str) -> tuple[int, int]:
    """One ``/v1/score``: the version that answered, and 0 tokens generated."""
    answer = client.post("/v1/score", json={"texts": [text]})
    answer.raise_for_status()
    return answer.json()["version"], 0


def completion(client: httpx.Client, text: str, *, model: str, max_tokens: int) -> tuple[int, int, float]:
    """One streamed ``/v1/completions`` of the current version: the version, the tokens generated, and the
    seconds to the first token. Raises if the stream's chunks name more than one version or it has no end."""
    started = time.perf_counter()
    body = {"model": model, "prompt": text[:64], "max_tokens": max_tokens, "stream": True,
            "stream_options": {"include_usage": True}}
    fingerprints, usage, first, done = set(), None, None, False
    with client.stream("POST", "/v1/completions", json=body) as answer:
        answer.raise_for_status()
        for line in answer.iter_lines():
            if not line.startswith("data: "):
                continue
            if line == "data: [DONE]":
                done = True
                break
            chunk = json.loads(line[6:])
            if "error" in chunk:
                raise RuntimeError(chunk["error"]["message"])
            fingerprints.add(chunk["system_fingerprint"])
            usage = chunk.get("usage") or usage
            if first is None and chunk["choices"] and chunk["choices"][0]["text"]:
                first = time.perf_counter() - started
    versions = {int(f.rsplit(":v", 1)[1]) for f in fingerprints}
    if not done or versions != {int(answer.headers["x-peer-version"])}:
        raise RuntimeError(f"a stream (ended: {done}) named versions {fingerprints}, header {answer.headers}")
    return versions.pop(), usage["completion_tokens"], first or 0.0


def load(client: httpx.Client, clients: int, texts: list[str], until: threading.Event, request) -> dict:
    """``clients`` threads calling ``request(client, text)`` in a loop until ``until`` is set: latencies,
    failures, versions, and for completions tokens per second and time to the first token."""
    latencies: list[float] = []
    firsts: list[float] = []
    failures: list[str] = []
    versions: dict[int, int] = {}
    generated = [0]
    lock = threading.Lock()

    def client_loop(k: int) -> None:
        i = k
        while not until.is_set():
            started = time.perf_counter()
            try:
                version, tokens, *first = request(client, texts[i % len(texts)])
                why = None
            except (httpx.HTTPError, RuntimeError, KeyError) as error:
                why = f"{type(error).__name__}: {str(error)[:120]}"
            seconds = time.perf_counter() - started
            with lock:
                if why is None:
                    latencies.append(seconds)
                    firsts.extend(first)
                    generated[0] += tokens
                    versions[version] = versions.get(version, 0) + 1
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
        "versions": versions, "first_failures": failures[:3], "tokens_per_second": generated[0] / wall,
        "first_token_p50_ms": 1000 * statistics.median(firsts) if firsts else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--idle-seconds", type=float, default=10.0)
    parser.add_argument("--steps", type=int, default=40, help="training steps of the ingest job")
    parser.add_argument("--store", type=Path, help="serve this store (default: a small new one)")
    parser.add_argument("--text-bytes", type=int, default=512, help="bytes of each scored text")
    parser.add_argument("--workload", choices=["score", "completions"], default="score",
                        help="what each client asks in a loop: /v1/score, or a streamed /v1/completions")
    parser.add_argument("--max-tokens", type=int, default=32, help="tokens per completion (--workload completions)")
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
            model = client.get("/healthz").json()["store"]
            request = score if args.workload == "score" else functools.partial(completion, model=model,
                                                                                  max_tokens=args.max_tokens)

            idle = threading.Event()
            threading.Timer(args.idle_seconds, idle.set).start()
            results["idle"] = load(client, args.clients, texts, idle, request)

            corpus = (STDLIB / "inspect.py").read_bytes()[:60_000] + str(time.time()).encode()  # new every run
            job = client.post("/v1/ingest", params={"name": f"bench-{int(time.time())}", "steps": args.steps},
                              content=corpus, headers={"content-type": "text/plain"}).json()["job"]
            ended = threading.Event()

            def watch_job() -> None:
                while client.get(f"/v1/jobs/{job}").json()["state"] in ("queued", "running"):
                    time.sleep(0.2)
                ended.set()

            threading.Thread(target=watch_job).start()
            results["during ingest"] = load(client, args.clients, texts, ended, request)
            results["job"] = client.get(f"/v1/jobs/{job}").json()
            after = threading.Event()
            threading.Timer(3.0, after.set).start()
            results["after"] = load(client, args.clients, texts, after, request)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(120)

    print(f"{args.clients} clients, texts of {args.text_bytes} bytes, one job of {args.steps} steps "
          f"({results['job']['state']}, version {results['job']['version']}); torch threads per process: "
          f"{os.environ.get('OMP_NUM_THREADS', 'default')}")
    print(f"workload: {args.workload}" + (f", {args.max_tokens} tokens per streamed completion"
                                         if args.workload == "completions" else ""))
    print(f"{'phase':<15}{'seconds':>9}{'requests':>10}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'failed':>8}"
          f"{'tok/s':>8}{'1st ms':>8}  versions")
    for phase in ("idle", "during ingest", "after"):
        r = results[phase]
        first = "" if r["first_token_p50_ms"] is None else f"{r['first_token_p50_ms']:.0f}"
        print(f"{phase:<15}{r['seconds']:>9.1f}{r['requests']:>10}{r['per_second']:>8.1f}{r['p50_ms']:>9.1f}"
              f"{r['p99_ms']:>9.1f}{r['failed']:>8}{r['tokens_per_second']:>8.1f}{first:>8}  {r['versions']}")
        if r["first_failures"]:
            print("   ", r["first_failures"])
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
