"""Sparse-to-dense distillation on a store built as `scripts/demo` builds one (fewer steps, two corpora).

    OMP_NUM_THREADS=1 python reports/distillation/run.py [--steps 200] [--distill-steps 400] [--out /tmp/distill-report]

1. `peer init --base-corpus python-code` and `peer ingest python-docs` (method routed, the demo's config and
   corpora: the default model, 16 x 128 tokens a step, `--steps` per corpus);
2. `peer distill --version 2 --width 128` four times, `--distill-steps` each on the same windows (the training
   split of both corpora, drawn uniformly): the product's default (teacher init, alpha 0.25), the scratch
   baseline (fresh init, alpha 0: plain cross-entropy), and the two halves of the difference (fresh init with
   alpha 0.25; teacher init with alpha 0);
3. `peer evaluate forgetting --student ID --format json` for each, and parameter counts of teacher and student.

Prints a markdown table and writes results.json beside this script.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from examples.continual_demo import python_source, reference_prose  # noqa: E402

STUDENTS = [  # (label, --init, --alpha)
    ("distilled", "teacher", 0.25),
    ("scratch", "fresh", 0.0),
    ("soft targets only", "fresh", 0.25),
    ("teacher init only", "teacher", 0.0),
]


def peer(*args: str) -> str:
    shown = " ".join(args)
    print(f"$ peer {shown}", flush=True)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "cli", *args], cwd=REPO, stdout=subprocess.PIPE, text=True)
    print(f"  [{time.perf_counter() - start:.1f} s]", flush=True)
    if done.returncode != 0:
        sys.exit(f"stopped: `peer {args[0]}` exited with status {done.returncode}")
    return done.stdout


def parameter_counts(store: Path, student_id: int) -> dict[str, dict[str, int]]:
    """Total and per-token active weights of the teacher (version 2) and of a student; embeddings included
    (tied heads once). The teacher's active count is the convention of the README: a token computes with its
    route's merged weights W + BA (as many as W), and in each PEER layer its query network and h * k experts."""
    from continual.distill import parameter_count
    from continual.students import load_student
    from continual.inference import load_model
    from continual.routed import peer_blocks
    from peer_store.db import Store
    from trainer.ffn import active_ffn_params

    with Store.open(store) as opened:
        teacher = load_model(opened, 2).model
        student = load_student(opened, student_id).model
    lm = teacher.lm
    peer_ffn = {id(p) for i in peer_blocks(lm) for p in lm.blocks[i].ffn.parameters()}
    dense_part = sum(p.numel() for p in lm.parameters() if id(p) not in peer_ffn)
    active = dense_part + len(peer_blocks(lm)) * active_ffn_params(lm.config)
    return {
        "teacher": {"total": parameter_count(teacher), "active": active,
                    "experts": sum(lm.blocks[i].ffn.layer.memory.num_experts for i in peer_blocks(lm))},
        "student": {"total": parameter_count(student), "active": parameter_count(student)},
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--steps", type=int, default=200, help="training steps per corpus of the teacher")
    p.add_argument("--distill-steps", type=int, default=400, help="training steps of every student")
    p.add_argument("--bytes", type=int, default=1_500_000, help="bytes of text per corpus (about)")
    p.add_argument("--out", default="/tmp/distill-report", help="folder for the corpora and the store (replaced)")
    p.add_argument("--students", default=",".join(label for label, _, _ in STUDENTS),
                   help="which students to train, comma-separated (the first two are needed for the share)")
    p.add_argument("--keep-store", action="store_true",
                   help="reuse the teacher a previous run left in --out (its students are kept too)")
    args = p.parse_args()
    started = time.perf_counter()
    out = Path(args.out).resolve()
    store = out / "store"
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("COLUMNS", "150")
    if not args.keep_store:
        if out.exists():
            shutil.rmtree(out)
        (out / "corpora").mkdir(parents=True)
        code = python_source(out / "corpora" / "python-code", args.bytes)
        docs = reference_prose(out / "corpora" / "python-docs.jsonl", args.bytes)
        config = out / "config.toml"
        config.write_text(f"steps = {args.steps}\nbatch_size = 16\nseq_len = 128\neval_batches = 16\n")
        peer("init", str(store), "--config", str(config), "--base-corpus", str(code), "--base-name", "python-code",
             "--no-progress")
        peer("ingest", str(docs), "--name", "python-docs", "--no-progress", "--store", str(store))
    results = {"steps": args.steps, "distill_steps": args.distill_steps, "students": {}}
    for label, init, alpha in [s for s in STUDENTS if s[0] in args.students.split(",")]:
        t0 = time.perf_counter()
        made = json.loads(peer("distill", "--version", "2", "--width", "128", "--steps", str(args.distill_steps),
                               "--alpha", str(alpha), "--init", init, "--no-progress", "--json", "--store", str(store)))
        report = json.loads(peer("evaluate", "forgetting", "--student", str(made["id"]), "--format", "json",
                                 "--store", str(store)))
        results["students"][label] = {"id": made["id"], "init": init, "alpha": alpha, "report": report,
                                      "seconds": time.perf_counter() - t0}
    results["params"] = parameter_counts(store, results["students"]["distilled"]["id"])
    results["wall_seconds"] = time.perf_counter() - started
    first = results["students"]["distilled"]["report"]
    corpora, teacher = first["corpora"], first["teacher_loss"]
    results["teacher"] = dict(zip(corpora, teacher))
    scratch = dict(zip(corpora, results["students"]["scratch"]["report"]["student_loss"]))
    shares = {}
    for label, r in results["students"].items():
        mine = dict(zip(corpora, r["report"]["student_loss"]))
        shares[label] = {c: (scratch[c] - mine[c]) / (scratch[c] - results["teacher"][c]) for c in corpora}
        mean = sum(mine.values()) / len(mine)
        shares[label]["average"] = ((sum(scratch.values()) / len(scratch) - mean)
                                    / (sum(scratch.values()) / len(scratch) - sum(teacher) / len(teacher)))
    results["share_of_gain"] = shares
    (Path(__file__).parent / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print("\n| model | " + " | ".join(corpora) + " | average | share of the teacher's gain kept |")
    print("|---|" + "---:|" * (len(corpora) + 2))
    print(f"| teacher (v2, routed) | " + " | ".join(f"{x:.3f}" for x in teacher)
          + f" | {sum(teacher) / len(teacher):.3f} | 100% |")
    for label, r in results["students"].items():
        losses = r["report"]["student_loss"]
        print(f"| {label} (init {r['init']}, alpha {r['alpha']:g}) | " + " | ".join(f"{x:.3f}" for x in losses)
              + f" | {sum(losses) / len(losses):.3f} | {shares[label]['average']:.1%} |")
    print(json.dumps(results["params"]))
    print(f"whole run: {results['wall_seconds']:.0f} s")


if __name__ == "__main__":
    main()
