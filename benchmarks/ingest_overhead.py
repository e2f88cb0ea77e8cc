"""What an ingest spends outside its training steps, version by version: does it grow with the store's history?

Builds a store of five real text domains (the demo's five: Python source, Python
reference prose, Shakespeare, C headers, license texts; whichever are available)
with the demo's model, ingests them one after another in this process, and prints
for each version where its time went (read the corpus, load the parent, prepare:
k-means keys and n-gram profile, train, evaluate, write files) and the overhead
(everything but training). The target: version 5's overhead at most 1.2x version 2's.
Then it times the first forgetting report, which evaluates what the ingests left for later.

    .venv/bin/python benchmarks/ingest_overhead.py [--method routed] [--steps 20] [--bytes 400000] [--evaluate-earlier]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import tempfile
import time
from pathlib import Path

import torch

from continual.config import ContinualConfig
from continual.heldout import fill_evaluations
from continual.ingest import create_store, ingest

REPO = Path(__file__).resolve().parent.parent
PARTS = ("read", "load", "prepare", "train", "evaluate", "write")


def demo_module():
    spec = importlib.util.spec_from_file_location("continual_demo", REPO / "examples" / "continual_demo.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--method", default="routed", choices=["routed", "grow", "finetune"])
    p.add_argument("--steps", type=int, default=20, help="training steps per version (not what is measured)")
    p.add_argument("--bytes", type=int, default=400_000, help="bytes of text per domain (about)")
    p.add_argument("--evaluate-earlier", action="store_true",
                   help="evaluate every earlier corpus at each ingest (the eager way) instead of at the report")
    p.add_argument("--threads", type=int, default=2, help="torch threads (1 on a shared machine)")
    p.add_argument("--json", type=Path, help="also write the numbers here")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    demo = demo_module()
    root = Path(tempfile.mkdtemp(prefix="ingest-overhead-"))
    try:
        domains = []
        (root / "corpora").mkdir()
        for name, build, file in demo.STREAMS["demo"] + demo.STREAMS["other"][:2]:
            source = build(root / "corpora" / file, args.bytes)
            if source is not None:
                domains.append((name, source))
        if len(domains) < 5:
            print(f"only {len(domains)} domains are available here; the target compares version 5 with version 2")
        config = ContinualConfig.from_dict(dict(
            method=args.method, steps=args.steps, batch_size=16, seq_len=128, eval_batches=16,
        ))
        rows = []
        (first_name, first), *rest = domains
        started = time.perf_counter()
        store, result = create_store(root / "store", config=config, base_corpus=first, base_name=first_name)
        with store:
            results = [result]
            for name, source in rest:
                results.append(ingest(store, source, name=name, evaluate_earlier=args.evaluate_earlier))
            clock = time.perf_counter()
            filled = len(fill_evaluations(store))
            report_seconds = time.perf_counter() - clock
        for r in results:
            overhead = r.wall_seconds - r.seconds.get("train", 0.0)
            rows.append({"version": r.version.number, "corpus": r.corpus.name, "overhead": overhead,
                         "corpora_evaluated": len(r.evaluations), **{k: r.seconds.get(k, 0.0) for k in PARTS}})
        print(f"method {args.method}, {args.steps} steps per version, {time.perf_counter() - started:.0f} s in all")
        print(f"{'version':>7s} {'corpus':>12s} {'evals':>5s} " + " ".join(f"{k:>8s}" for k in PARTS) + f" {'overhead':>9s}")
        for row in rows:
            print(f"{row['version']:7d} {row['corpus']:>12s} {row['corpora_evaluated']:5d} "
                  + " ".join(f"{row[k]:8.2f}" for k in PARTS) + f" {row['overhead']:9.2f}")
        if len(rows) >= 5:
            ratio = rows[4]["overhead"] / rows[1]["overhead"]
            print(f"overhead of version 5 / version 2: {ratio:.2f}x (target: at most 1.2x)")
        print(f"then the first forgetting report evaluated {filled} cells the ingests left for later "
              f"in {report_seconds:.1f} s (a second one reads them)")
        if args.json:
            args.json.write_text(json.dumps({"method": args.method, "steps": args.steps, "rows": rows,
                                             "report_cells": filled, "report_seconds": report_seconds}, indent=2))
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
