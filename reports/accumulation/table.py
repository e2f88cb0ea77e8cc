"""The README's table from the runs of ``run.py``: per stream and method, average forgetting, average final
loss over every corpus (vs finetune, vs joint) and each new corpus's loss vs finetune's.

A run's loss matrix is read from ``results/<stream>-<recipe>.json``, or, where a run's process ended before
writing it, from its log's ``held-out`` lines (``--log RECIPE=PATH``; one per stage, in order).

    PYTHONPATH=. python reports/accumulation/table.py reports/accumulation/results tune-same \
        [--log peer-grow-routed=/tmp/accum/logs/same-merge.log]
"""
import argparse
import json
import re
from pathlib import Path

from continual.forgetting import loss_measures


def from_log(path: Path) -> list[list[float]]:
    rows = []
    for line in path.read_text().splitlines():
        if line.strip().startswith("held-out "):
            rows.append([float(v) for v in re.findall(r" (-?\d+\.\d+)", line)])
    return rows


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("results", type=Path)
    p.add_argument("stream")
    p.add_argument("--log", action="append", default=[], help="RECIPE=PATH of a run without a results file")
    args = p.parse_args()
    matrices = {}
    for f in sorted(args.results.glob(f"{args.stream}-*.json")):
        matrices[f.stem.removeprefix(f"{args.stream}-")] = json.loads(f.read_text())["loss"]
    for item in args.log:
        recipe, _, path = item.partition("=")
        matrices[recipe] = from_log(Path(path))
    measures = {r: loss_measures(m, list(range(len(m[0])))) for r, m in matrices.items() if len(m) == len(m[0])}
    ft, joint = measures.get("peer-finetune"), measures.get("joint")
    print("| stream | method | average forgetting | average final loss | vs finetune | vs joint | each new corpus vs finetune |")
    print("|---|---|---:|---:|---:|---:|---|")
    for recipe, m in measures.items():
        vs_ft = f"{m.average_final_loss / ft.average_final_loss - 1:+.1%}" if ft else "-"
        vs_joint = f"{m.average_final_loss / joint.average_final_loss - 1:+.1%}" if joint else "-"
        new = ", ".join(f"{p / q - 1:+.1%}" for p, q in zip(m.plasticity[1:], ft.plasticity[1:])) if ft else "-"
        print(f"| {args.stream} | {recipe} | {m.average_forgetting:.3f} | {m.average_final_loss:.3f} | {vs_ft} | "
              f"{vs_joint} | {new} |")
    unfinished = [r for r, m in matrices.items() if r not in measures]
    if unfinished:
        print(f"\nunfinished (rows so far): {', '.join(f'{r} ({len(matrices[r])})' for r in unfinished)}")


if __name__ == "__main__":
    main()
