"""The cost of many versions: 24 small same-domain corpora ingested one after another into one routed store.

After each version it prints the store's bytes on disk, the routes the current version holds (each token
scores every route's profile) and ``peer score`` throughput (tokens per second of the whole call: opening
the version and scoring a fixed probe of held-back text). The corpora are 24 slices of the Python standard
library (slice ``k`` takes every 24th file from ``k``), the probe another file set of the same library. The
targets: at 24 versions, score throughput at least 0.7x version 1's, and store size not growing linearly
with versions. ``--isolated`` gives every corpus its own route (the routed method before routes merged).

    OMP_NUM_THREADS=1 PYTHONPATH=. python benchmarks/versions.py [--versions 24] [--steps 10] [--bytes 60000] \
        [--isolated] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sysconfig
import tempfile
import time
from pathlib import Path

import torch

from continual.config import ContinualConfig
from continual.inference import score
from continual.ingest import create_store, ingest
from peer_store.db import Store


def stdlib_files() -> list[Path]:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    return sorted(p for p in stdlib.rglob("*.py")
                  if "test" not in p.relative_to(stdlib).as_posix() and "site-packages" not in p.parts)


def write_slice(files: list[Path], dest: Path, budget: int) -> Path:
    """Whole files into ``dest`` until ``budget`` bytes."""
    dest.mkdir(parents=True)
    total = 0
    for i, path in enumerate(files):
        data = path.read_bytes()
        (dest / f"{i:04d}-{path.name}").write_bytes(data)
        total += len(data)
        if total >= budget:
            break
    return dest


def store_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def measure(store: Store, probe: Path) -> tuple[int, float]:
    """``(routes in the current version, score tokens per second)``."""
    routes = len(store.detail("current").routes)
    clock = time.perf_counter()
    _, scores = score(store, probe)
    seconds = time.perf_counter() - clock
    return routes, sum(s.tokens for s in scores) / seconds


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--versions", type=int, default=24)
    p.add_argument("--steps", type=int, default=10, help="training steps per version (not what is measured)")
    p.add_argument("--bytes", type=int, default=60_000, help="bytes per corpus (whole files, about)")
    p.add_argument("--isolated", action="store_true", help="a new route for every corpus (no merging)")
    p.add_argument("--json", type=Path, help="also write the rows here")
    args = p.parse_args()
    torch.set_num_threads(1)
    files = stdlib_files()
    root = Path(tempfile.mkdtemp(prefix="peer-versions-"))
    rows = []
    try:
        slices = [write_slice(files[k::args.versions + 1], root / f"py{k + 1:02d}", args.bytes)
                  for k in range(args.versions + 1)]
        probe = slices.pop()  # held back: never ingested
        config = ContinualConfig.from_dict(dict(  # 1 kB documents: a small corpus still has held-out ones
            steps=args.steps, batch_size=16, seq_len=128, eval_batches=4, doc_bytes=1024,
            method_options={"merge": not args.isolated}))
        print(f"{'version':>7} {'routes':>6} {'store MB':>9} {'score tok/s':>12} {'decision':>9}", flush=True)
        store, _ = create_store(root / "store", config=config, base_corpus=slices[0], base_name="py01")
        with store:
            for k, source in enumerate(slices):
                if k:
                    ingest(store, source, name=source.name)
                routes, speed = measure(store, probe)
                record = store.detail("current").ingest.settings.get("route") or {}
                rows.append({"version": k + 1, "routes": routes, "store_bytes": store_bytes(root / "store"),
                             "score_tokens_per_s": speed, "decision": record.get("decision"),
                             "continues": record.get("continues")})
                r = rows[-1]
                print(f"{r['version']:>7} {routes:>6} {r['store_bytes'] / 1e6:>9.1f} {speed:>12,.0f} "
                      f"{r['decision'] or '-':>9}", flush=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    first, last = rows[0], rows[-1]
    print(f"at {last['version']} versions: score throughput {last['score_tokens_per_s'] / first['score_tokens_per_s']:.2f}x "
          f"version 1's (target >= 0.7x); store {last['store_bytes'] / first['store_bytes']:.1f}x version 1's bytes, "
          f"{(last['store_bytes'] - first['store_bytes']) / max(1, len(rows) - 1) / 1e6:.1f} MB per version")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
