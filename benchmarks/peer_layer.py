"""PEER layer throughput and peak memory: peer-store's layer vs a naive PEER vs a dense FFN.

    python benchmarks/peer_layer.py                 # the README table (d=256, 1024 tokens, h=8, k=16)
    python benchmarks/peer_layer.py --quick         # a small smoke run
    python benchmarks/peer_layer.py --device cuda --dtype bf16

Every (layer, N, mode) runs in its own process, so each peak memory is its
own: peak RSS on the CPU (includes the ~0.2 GB of the Python + torch process
itself), peak allocated CUDA memory on a GPU. Modes:

- forward:  forward pass only, autograd off (serving)
- fwd+bwd:  forward and backward
- step:     forward, backward and optimizer step (training)

Layers:
- peer:   peer_store.PEERLayer with make_optimizer (fused chunked gathers, sparse
          row gradients, row-wise sparse Adam on the tables, AdamW on the rest)
- naive:  the same retrieval, then both tables gathered into [tokens, h, k, d]
          by nn.Embedding with dense gradients, and torch.optim.Adam(fused=True)
- dense:  a GELU MLP d -> h*k -> d, i.e. the same active expert parameters per
          token (2 * h * k * d) as the PEER layers; N does not apply
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from peer_store import PEERConfig, PEERLayer, make_optimizer  # noqa: E402

MODES = ("forward", "fwd+bwd", "step")


class NaivePEER(nn.Module):
    """PEER as a first implementation writes it: gather both tables, dense gradients."""

    def __init__(self, config: PEERConfig):
        super().__init__()
        self.peer = PEERLayer(config)  # borrow query net + retrieval, drop its tables
        n = config.n_keys**2
        seg = self.peer.memory.segments[0]
        self.down = nn.Embedding(n, config.d_model, _weight=seg.down.weight.detach())
        self.up = nn.Embedding(n, config.d_model, _weight=seg.up.weight.detach())
        seg.down.weight.requires_grad_(False)
        seg.up.weight.requires_grad_(False)

    def forward(self, x):
        c = self.peer.config
        routing = self.peer.retrieve(x)  # ids, gate: [T, h, k]
        u = self.down(routing.ids)  # [T, h, k, d]
        v = self.up(routing.ids)  # [T, h, k, d]
        pre = torch.einsum("thkd,td->thk", u, x)
        act = F.gelu(pre)
        return torch.einsum("thk,thkd->td", routing.gate * act, v)  # [T, d]


def build(kind: str, n_keys: int, d: int, h: int, k: int):
    config = PEERConfig(d_model=d, n_heads=h, top_k=k, n_keys=n_keys)
    if kind == "peer":
        layer = PEERLayer(config)
        return layer, lambda: make_optimizer(layer, lr=1e-3)
    if kind == "naive":
        layer = NaivePEER(config)
        params = [p for p in layer.parameters() if p.requires_grad]
        return layer, lambda: torch.optim.Adam(params, lr=1e-3, fused=True)
    assert kind == "dense", kind
    layer = nn.Sequential(nn.Linear(d, h * k), nn.GELU(), nn.Linear(h * k, d))
    return layer, lambda: torch.optim.Adam(layer.parameters(), lr=1e-3, fused=True)


def measure(kind, n_keys, mode, d, h, k, tokens, device, dtype, min_seconds, warmup):
    torch.manual_seed(0)
    layer, make_opt = build(kind, n_keys, d, h, k)
    layer.to(device)
    opt = make_opt() if mode == "step" else None
    x = torch.randn(tokens, d, device=device)
    target = torch.randn(tokens, d, device=device)
    autocast = torch.autocast(device.type, dtype=torch.bfloat16, enabled=dtype == "bf16")

    def one():
        if mode == "forward":
            with torch.no_grad(), autocast:
                layer(x)
            return
        with autocast:
            loss = (layer(x).float() - target).pow(2).mean()
        loss.backward()
        if opt is not None:
            opt.step()
        layer.zero_grad(set_to_none=True)

    def sync():
        if device.type == "cuda":
            torch.cuda.synchronize()

    for _ in range(warmup):
        one()
    sync()
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats()
    steps, start = 0, time.perf_counter()
    while True:
        one()
        steps += 1
        sync()
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds and steps >= 3:
            break
    if device.type == "cuda":
        peak = torch.cuda.max_memory_allocated()
    else:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"tokens_per_s": tokens * steps / elapsed, "peak_bytes": peak, "steps": steps}


def run_child(args, kind, n_keys, mode):
    cmd = [
        sys.executable, os.path.abspath(__file__), "--child", kind, str(n_keys), mode,
        "--d-model", str(args.d_model), "--heads", str(args.heads), "--top-k", str(args.top_k),
        "--tokens", str(args.tokens), "--device", args.device, "--dtype", args.dtype,
        "--min-seconds", str(args.min_seconds), "--warmup", str(args.warmup),
    ]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        return {"error": (out.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--d-model", type=int, default=256)
    p.add_argument("--heads", type=int, default=8)
    p.add_argument("--top-k", type=int, default=16)
    p.add_argument("--tokens", type=int, default=1024)
    p.add_argument("--n-keys", type=int, nargs="+", default=[256, 1024], help="sub-keys per half; N = n_keys**2")
    p.add_argument("--kinds", nargs="+", default=["peer", "naive", "dense"])
    p.add_argument("--modes", nargs="+", default=list(MODES), choices=MODES)
    p.add_argument("--device", default="cpu")
    p.add_argument("--dtype", default="fp32", choices=["fp32", "bf16"])
    p.add_argument("--min-seconds", type=float, default=4.0)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--repeat", type=int, default=3, help="runs of every case, interleaved; the median is shown")
    p.add_argument("--quick", action="store_true", help="tiny sizes, for a smoke run")
    p.add_argument("--json", help="also write the results here")
    p.add_argument("--child", nargs=3, metavar=("KIND", "N_KEYS", "MODE"), help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        kind, n_keys, mode = args.child
        res = measure(kind, int(n_keys), mode, args.d_model, args.heads, args.top_k, args.tokens,
                      torch.device(args.device), args.dtype, args.min_seconds, args.warmup)
        print(json.dumps(res))
        return
    if args.quick:
        args.d_model, args.tokens, args.n_keys, args.min_seconds, args.warmup, args.repeat = 64, 256, [32, 64], 0.5, 1, 1

    print(f"# PEER layer benchmark: d_model={args.d_model}, tokens/batch={args.tokens}, h={args.heads}, "
          f"k={args.top_k}, device={args.device}, dtype={args.dtype}, torch {torch.__version__}, "
          f"{torch.get_num_threads()} threads, median of {args.repeat} interleaved runs, "
          f"THP_MEM_ALLOC_ENABLE={os.environ.get('THP_MEM_ALLOC_ENABLE', 'unset')}")
    cases = [
        (kind, n_keys, mode)
        for n_keys in args.n_keys
        for kind in args.kinds
        if not (kind == "dense" and n_keys != args.n_keys[0])
        for mode in args.modes
    ]
    # Repeats are interleaved (all cases once, then again) so a noisy stretch of a shared
    # machine hits every case alike; each cell reports the median of its repeats.
    runs: dict[tuple, list[dict]] = {case: [] for case in cases}
    for rep in range(args.repeat):
        for case in cases:
            res = run_child(args, *case)
            runs[case].append(res)
            print(json.dumps({"repeat": rep, "case": case, **res}), file=sys.stderr, flush=True)
    rows = []
    for (kind, n_keys, mode), results in runs.items():
        row = {"kind": kind, "experts": None if kind == "dense" else n_keys**2, "mode": mode}
        ok = [r for r in results if "error" not in r]
        if not ok:
            row["error"] = results[-1]["error"]
        else:
            row["tokens_per_s"] = statistics.median(r["tokens_per_s"] for r in ok)
            row["peak_bytes"] = statistics.median(r["peak_bytes"] for r in ok)
            row["all_tokens_per_s"] = [round(r["tokens_per_s"], 1) for r in ok]
        rows.append(row)

    def find(kind, experts, mode):
        for r in rows:
            if r["kind"] == kind and r["experts"] == experts and r["mode"] == mode and "error" not in r:
                return r
        return None

    print("\n| layer | experts N | mode | tokens/s | peak memory | vs naive: speed | vs naive: memory |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for r in rows:
        n = "-" if r["experts"] is None else f"{r['experts']:,}"
        if "error" in r:
            print(f"| {r['kind']} | {n} | {r['mode']} | error: {r['error']} | | | |")
            continue
        base = find("naive", r["experts"], r["mode"]) if r["kind"] == "peer" else None
        speed = f"{r['tokens_per_s'] / base['tokens_per_s']:.2f}x" if base else ""
        mem = f"{r['peak_bytes'] / base['peak_bytes']:.2f}x" if base else ""
        print(f"| {r['kind']} | {n} | {r['mode']} | {r['tokens_per_s']:,.0f} | {r['peak_bytes'] / 1e9:.2f} GB "
              f"| {speed} | {mem} |")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"args": vars(args), "rows": rows}, f, indent=2)


if __name__ == "__main__":
    main()
