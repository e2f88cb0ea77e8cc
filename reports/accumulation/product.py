"""A stream through the product, as a user runs it: `peer init --method M --base-corpus` on the first corpus,
`peer ingest` of each later one, then `peer evaluate forgetting --json`, for each method; then one table of
every corpus's loss right after it was learnt, its final loss, the average forgetting and the average final
loss of each method.

    OMP_NUM_THREADS=1 PYTHONPATH=. python reports/accumulation/product.py STREAM.txt OUT [--methods routed,finetune]
        [--steps 150] [--table]

STREAM.txt lists ``name = path`` lines (paths relative to the file), as reports/accumulation/streams.py
writes them. Each method runs in its own store under OUT; its report is OUT/<method>.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path


def corpora(stream: Path) -> list[tuple[str, Path]]:
    out = []
    for line in stream.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, path = (part.strip() for part in line.partition("="))
            out.append((name, (stream.parent / path).resolve()))
    return out


def peer(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "cli", *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"peer {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def run(method: str, stream: list[tuple[str, Path]], out: Path, steps: int) -> dict:
    store = out / method
    (first, path), *rest = stream
    started = time.perf_counter()
    peer("init", str(store), "--method", method, "--base-corpus", str(path), "--base-name", first,
         "--steps", str(steps), "--no-progress")
    for name, path in rest:
        print(peer("ingest", str(path), "--name", name, "--steps", str(steps), "--store", str(store),
                   "--no-progress").strip().splitlines()[-1], flush=True)
    report = json.loads(peer("evaluate", "forgetting", "--json", "--no-progress", "--store", str(store)))
    report["wall_seconds"] = time.perf_counter() - started
    (out / f"{method}.json").write_text(json.dumps(report, indent=1))
    return report


def table(reports: dict[str, dict]) -> str:
    methods = list(reports)
    ref = reports.get("finetune")
    corpora_ = reports[methods[0]]["corpora"]
    lines = ["| corpus | " + " | ".join(f"{m} learnt | {m} final" for m in methods) + " |",
             "|---|" + "---:|" * (2 * len(methods))]
    for c in corpora_:
        cells = []
        for m in methods:
            learnt, final = reports[m]["plasticity"].get(c), reports[m]["final_loss"].get(c)
            vs = "" if ref is None or m == "finetune" or learnt is None else \
                f" ({learnt / ref['plasticity'][c] - 1:+.1%})"
            cells += [f"{learnt:.3f}{vs}" if learnt is not None else "", f"{final:.3f}"]
        lines.append(f"| {c} | " + " | ".join(cells) + " |")
    lines.append("")
    for m in methods:
        r = reports[m]
        vs = "" if ref is None or m == "finetune" else \
            f" ({r['average_final_loss'] / ref['average_final_loss'] - 1:+.1%} vs finetune)"
        lines.append(f"- {m}: average final loss {r['average_final_loss']:.3f}{vs}, average forgetting "
                     f"{r['average_forgetting']:.3f}, {r['wall_seconds']:.0f} s")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stream", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--methods", default="routed,finetune")
    parser.add_argument("--steps", type=int, default=150)
    parser.add_argument("--table", action="store_true", help="only print the table of the reports under OUT")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    stream = corpora(args.stream)
    methods = args.methods.split(",")
    reports = ({m: json.loads((args.out / f"{m}.json").read_text()) for m in methods} if args.table else
               {m: run(m, stream, args.out, args.steps) for m in methods})
    print(table(reports))


if __name__ == "__main__":
    main()
