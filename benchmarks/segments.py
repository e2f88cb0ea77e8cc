"""What growth costs per step: a grid grown by S shells against one grid of the same N experts.

    python benchmarks/segments.py                       # N = 65,536; S = 1, 4, 16; forward and step
    python benchmarks/segments.py --experts 1048576 --repeat 1 --min-seconds 2
    python benchmarks/segments.py --quick               # a small smoke run

Every ingest grows each PEER layer's grid by a shell, so a model that has seen S
corpora serves and trains on a grid of S shells. The memory here is a grid of
``n = sqrt(N)`` sub-keys per half made of S equal shells of ``n / S`` sub-keys
(a first grid, then S - 1 growths), all but the last frozen (as growth leaves
them); S = 1 is one grid. Modes:

- forward:  forward pass only, autograd off (serving)
- step:     forward, backward and optimizer step (training the last shell)

Every (S, mode) runs in its own process; the repeats are interleaved (all
cases once, then again) so a noisy stretch of a shared machine hits every case
alike, and each cell is the median of its repeats. The ratio is the time of S
shells over the time of one grid (1.00x: growth costs nothing). Both
wall-clock and process CPU time are measured: on a machine shared with other
work, CPU time with ``--threads 1`` is the steadier measure of the work done.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from peer_store import PEERConfig, PEERLayer, make_optimizer  # noqa: E402
from processes import interleaved, medians, run_case, timed_steps  # noqa: E402

MODES = ("forward", "step")


def build(experts: int, shells: int, d: int, h: int, k: int, d_key: int) -> PEERLayer:
    n = math.isqrt(experts)
    assert n * n == experts and n % shells == 0, f"{experts} experts are not a square grid of {shells} equal shells"
    layer = PEERLayer(PEERConfig(d_model=d, n_heads=h, top_k=k, n_keys=n // shells, d_key=d_key, query_norm="layer"))
    for _ in range(shells - 1):
        layer.memory.freeze()
        layer.memory.grow(n // shells)
    return layer


def measure(args, segments: int, mode: str) -> dict:
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    layer = build(args.experts, segments, args.d_model, args.heads, args.top_k, args.d_key)
    opt = make_optimizer(layer, lr=1e-3) if mode == "step" else None
    x = torch.randn(args.tokens, args.d_model)
    target = torch.randn(args.tokens, args.d_model)

    def one():
        if opt is None:
            with torch.no_grad():
                layer(x)
            return
        opt.zero_grad(set_to_none=True)
        (layer(x) - target).pow(2).mean().backward()
        opt.step()

    res = timed_steps(one, torch.device("cpu"), min_seconds=args.min_seconds, warmup=args.warmup, min_steps=2)
    tokens = args.tokens * res["steps"]
    return {"tokens_per_s": tokens / res["seconds"], "tokens_per_cpu_s": tokens / res["cpu_seconds"], "steps": res["steps"]}


def run_child(args, segments: int, mode: str) -> dict:
    argv = [os.path.abspath(__file__), "--child", str(segments), mode]
    for name in ("experts", "d_model", "heads", "top_k", "d_key", "tokens", "min_seconds", "warmup", "threads"):
        argv += [f"--{name.replace('_', '-')}", str(getattr(args, name))]
    return run_case(argv)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--experts", type=int, default=65536, help="N, experts of the grid (a square)")
    p.add_argument("--segments", type=int, nargs="+", default=[1, 4, 16])
    p.add_argument("--modes", nargs="+", default=list(MODES), choices=MODES)
    p.add_argument("--d-model", type=int, default=256)
    p.add_argument("--heads", type=int, default=8)
    p.add_argument("--top-k", type=int, default=16)
    p.add_argument("--d-key", type=int, default=128)
    p.add_argument("--tokens", type=int, default=1024)
    p.add_argument("--min-seconds", type=float, default=3.0)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--threads", type=int, default=0, help="torch threads per case (0: torch's default)")
    p.add_argument("--repeat", type=int, default=3, help="runs of every case, interleaved; the median is shown")
    p.add_argument("--quick", action="store_true", help="tiny sizes, for a smoke run")
    p.add_argument("--json", help="also write the results here")
    p.add_argument("--child", nargs=2, metavar=("SEGMENTS", "MODE"), help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        print(json.dumps(measure(args, int(args.child[0]), args.child[1])))
        return
    if args.quick:
        args.experts, args.d_model, args.tokens, args.min_seconds, args.warmup, args.repeat = 4096, 64, 256, 0.3, 1, 1

    threads = args.threads or torch.get_num_threads()
    print(f"# shells benchmark: N={args.experts:,} experts, d_model={args.d_model}, d_key={args.d_key}, "
          f"tokens/batch={args.tokens}, h={args.heads}, k={args.top_k}, torch {torch.__version__}, "
          f"{threads} threads, median of {args.repeat} interleaved runs")
    cases = [(s, mode) for s in args.segments for mode in args.modes]
    runs = interleaved(cases, lambda *case: run_child(args, *case), args.repeat)
    rows = [
        {"segments": segments, "mode": mode, **medians(results, ("tokens_per_s", "tokens_per_cpu_s"))}
        for (segments, mode), results in runs.items()
    ]
    base = {r["mode"]: r for r in rows if r["segments"] == 1 and "error" not in r}
    print("\n| shells S | sub-keys per shell | mode | tokens/s | time vs one grid | tokens per CPU-s "
          "| CPU time vs one grid |")
    print("|---:|---:|---|---:|---:|---:|---:|")
    for r in rows:
        per = f"{math.isqrt(args.experts) // r['segments']:,}"
        if "error" in r:
            print(f"| {r['segments']} | {per} | {r['mode']} | error: {r['error']} | | | |")
            continue
        one = base.get(r["mode"])
        wall = f"{one['tokens_per_s'] / r['tokens_per_s']:.2f}x" if one else ""
        cpu = f"{one['tokens_per_cpu_s'] / r['tokens_per_cpu_s']:.2f}x" if one else ""
        print(f"| {r['segments']} | {per} | {r['mode']} | {r['tokens_per_s']:,.0f} | {wall} "
              f"| {r['tokens_per_cpu_s']:,.0f} | {cpu} |")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"args": vars(args), "rows": rows}, f, indent=2)


if __name__ == "__main__":
    main()
