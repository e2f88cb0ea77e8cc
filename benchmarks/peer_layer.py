"""PEER layer throughput and peak memory: peer-store's layer beside a naive PEER, a dense FFN and two
public implementations (the anchors), in one run.

    python benchmarks/peer_layer.py                  # every layer, N = 65,536 and 1,048,576, all modes
    python benchmarks/peer_layer.py --kinds peer peer-pytorch pkm --n-keys 1024 --modes forward step
    python benchmarks/peer_layer.py --quick          # a small smoke run
    python benchmarks/peer_layer.py --device cuda --dtype bf16

Shape: d_model = 256, 1024 tokens per batch, h = 8 heads, top-k = 16 per head, d_key = 128 (queries of
two 64-wide halves), N = n_keys**2 experts. Every (layer, N, mode) runs in its own process, so each peak
memory is its own: peak RSS on the CPU (includes the ~0.2 GB of the Python + torch process itself),
peak allocated CUDA memory on a GPU. Modes:

- forward:  forward pass only, autograd off (serving)
- fwd+bwd:  forward and backward
- step:     forward, backward and optimizer step (training)

Layers:
- peer:   peer_store.PEERLayer with make_optimizer (fused chunked gathers, sparse row gradients,
          row-wise sparse Adam on the tables, AdamW on the rest)
- naive:  the same retrieval, then both tables gathered into [tokens, h, k, d] by nn.Embedding with
          dense gradients, and torch.optim.Adam(fused=True)
- dense:  a GELU MLP d -> h*k -> d, i.e. the same active expert parameters per token (2 * h * k * d)
          as the PEER layers; N does not apply
- peer-pytorch (anchor, `pip install -e '.[bench]'`): lucidrains' ``PEER_pytorch.PEER`` with
          torch.optim.Adam(fused=True) over every parameter. Matched: d_model, heads, k experts per
          head (``non_competing_scores=False``: softmax over k experts per head, as the paper and
          this layer; the package's default keeps one expert per head with ReLU scores), per-half
          top-k = k, N, query width (``dim_key`` is per half: d_key / 2), GELU experts, down and up
          tables of N x d. Differs: its product keys are per head (h x sqrt(N) x 2 x d_key/2; this
          layer's heads share one set), it has no query norm (this layer: LayerNorm per head), and its
          tables are nn.Embedding with dense gradients and dense Adam moments (2 x N x d each).
- pkm (anchor): lucidrains' ``product_key_memory.PKM`` with its values' EmbeddingBag switched to
          sparse gradients, torch.optim.SparseAdam on the values and Adam(fused=True) on the rest.
          Matched: d_model, heads, top-k per half and in all = k, N = num_keys**2, query width
          (``dim_head`` is per half: d_key / 2), LayerNorm queries, softmax gates. Differs: PKM is a
          memory of values only (y = sum of gate * v): one N x d table and no down projection or
          activation, so half the expert rows per entry; keys per head; SparseAdam keeps dense
          moments of the values (2 x N x d) and updates only the touched rows.

A missing anchor package is reported in one line and left out. The last two columns are peer-store's
layer against the row's layer at the same N and mode (speed: its tokens/s over the row's; memory: its
peak over the row's). "expert GB/s" is the bytes of expert rows a step must move, divided by the step's
time: forward reads one row per retrieved entry and table (tokens * h * k * d * element size per table);
a backward writes as many gradient rows again. It is a lower bound of the expert kernel's own bandwidth
(the time includes retrieval and the query net); on a GPU in the table below it is also shown as a share
of the card's peak HBM bandwidth.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from peer_store import PEERConfig, PEERLayer, make_optimizer  # noqa: E402
from processes import interleaved, medians, run_case, timed_steps  # noqa: E402

MODES = ("forward", "fwd+bwd", "step")
ANCHOR_PACKAGES = {"peer-pytorch": ("PEER_pytorch", "PEER-pytorch"), "pkm": ("product_key_memory", "product-key-memory")}
"""Anchor kind -> (module it imports, PyPI package of the `bench` extra)."""

PEAK_HBM = {
    "H200": 4.8e12,
    "H100 80GB HBM3": 3.35e12,  # SXM
    "H100 NVL": 3.9e12,
    "H100 PCIe": 2.0e12,
    "A100-SXM4-80GB": 2.039e12,
    "A100-SXM4-40GB": 1.555e12,
    "A100 80GB PCIe": 1.935e12,
    "A100-PCIE-40GB": 1.555e12,
}
"""Peak HBM bandwidth (bytes/s, the vendor's datasheet) by the start of ``torch.cuda.get_device_name()``
after "NVIDIA "; a card not listed gets bytes/s only."""


def peak_hbm(device_name: str) -> float | None:
    name = device_name.removeprefix("NVIDIA ").strip()
    return next((bw for prefix, bw in PEAK_HBM.items() if name.startswith(prefix)), None)


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
        routing = self.peer.retrieve(x)  # ids, gate: [T, h, k]
        u = self.down(routing.ids)  # [T, h, k, d]
        v = self.up(routing.ids)  # [T, h, k, d]
        pre = torch.einsum("thkd,td->thk", u, x)
        act = F.gelu(pre)
        return torch.einsum("thk,thkd->td", routing.gate * act, v)  # [T, d]


class OneSequence(nn.Module):
    """The anchors take ``[batch, seq, d]``: the benchmark's ``[T, d]`` tokens as one sequence."""

    def __init__(self, layer: nn.Module):
        super().__init__()
        self.layer = layer

    def forward(self, x):
        return self.layer(x.unsqueeze(0)).squeeze(0)  # [T, d]


Optimizers = Callable[[], list[torch.optim.Optimizer]]


def build_peer(c: PEERConfig) -> tuple[nn.Module, Optimizers]:
    layer = PEERLayer(c)
    return layer, lambda: [make_optimizer(layer, lr=1e-3)]


def build_naive(c: PEERConfig) -> tuple[nn.Module, Optimizers]:
    layer = NaivePEER(c)
    return layer, lambda: [torch.optim.Adam([p for p in layer.parameters() if p.requires_grad], lr=1e-3, fused=True)]


def build_dense(c: PEERConfig) -> tuple[nn.Module, Optimizers]:
    width = c.n_heads * c.top_k
    layer = nn.Sequential(nn.Linear(c.d_model, width), nn.GELU(), nn.Linear(width, c.d_model))
    return layer, lambda: [torch.optim.Adam(layer.parameters(), lr=1e-3, fused=True)]


def build_peer_pytorch(c: PEERConfig) -> tuple[nn.Module, Optimizers]:
    from PEER_pytorch import PEER

    layer = PEER(c.d_model, heads=c.n_heads, num_experts=c.n_keys**2, num_experts_per_head=c.top_k,
                 product_key_topk=c.top_k, dim_key=c.d_half, non_competing_scores=False)
    return OneSequence(layer), lambda: [torch.optim.Adam(layer.parameters(), lr=1e-3, fused=True)]


def build_pkm(c: PEERConfig) -> tuple[nn.Module, Optimizers]:
    from product_key_memory import PKM

    layer = PKM(c.d_model, heads=c.n_heads, num_keys=c.n_keys, topk=c.top_k, dim_head=c.d_half)
    layer.values.sparse = True  # EmbeddingBag reads the flag at every call: sparse row gradients
    values = layer.values.weight
    rest = [p for p in layer.parameters() if p is not values]
    return OneSequence(layer), lambda: [torch.optim.SparseAdam([values], lr=1e-3),
                                        torch.optim.Adam(rest, lr=1e-3, fused=True)]


BUILDERS: dict[str, Callable[[PEERConfig], tuple[nn.Module, Optimizers]]] = {
    "peer": build_peer, "naive": build_naive, "dense": build_dense, "peer-pytorch": build_peer_pytorch, "pkm": build_pkm,
}
EXPERT_TABLES = {"peer": 2, "naive": 2, "peer-pytorch": 2, "pkm": 1, "dense": 0}
"""Expert rows each retrieved entry reads (down and up tables; PKM has values only)."""


def expert_bytes(kind: str, mode: str, tokens: int, h: int, k: int, d: int, element_size: int) -> int:
    """Bytes of expert rows one step must move: a read per retrieved entry and table, and with a backward
    a gradient row written per entry and table as well."""
    rows = tokens * h * k * EXPERT_TABLES[kind] * (1 if mode == "forward" else 2)
    return rows * d * element_size


def measure(args, kind: str, n_keys: int, mode: str) -> dict:
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    device = torch.device(args.device)
    config = PEERConfig(d_model=args.d_model, n_heads=args.heads, top_k=args.top_k, n_keys=n_keys, d_key=args.d_key)
    layer, make_optimizers = BUILDERS[kind](config)
    layer.to(device)
    optimizers = make_optimizers() if mode == "step" else []
    x = torch.randn(args.tokens, args.d_model, device=device)
    target = torch.randn(args.tokens, args.d_model, device=device)
    autocast = torch.autocast(device.type, dtype=torch.bfloat16, enabled=args.dtype == "bf16")

    def one():
        if mode == "forward":
            with torch.no_grad(), autocast:
                layer(x)
            return
        with autocast:
            loss = (layer(x).float() - target).pow(2).mean()
        loss.backward()
        for opt in optimizers:
            opt.step()
        layer.zero_grad(set_to_none=True)

    res = timed_steps(one, device, min_seconds=args.min_seconds, warmup=args.warmup)
    element_size = max(p.element_size() for p in layer.parameters())  # the tables' (autocast leaves them fp32)
    moved = expert_bytes(kind, mode, args.tokens, args.heads, args.top_k, args.d_model, element_size)
    return {"tokens_per_s": args.tokens * res["steps"] / res["seconds"], "peak_bytes": res["peak_bytes"],
            "expert_bytes_per_s": moved * res["steps"] / res["seconds"], "steps": res["steps"]}


def run_child(args, kind: str, n_keys: int, mode: str) -> dict:
    argv = [os.path.abspath(__file__), "--child", kind, str(n_keys), mode]
    for name in ("d_model", "heads", "top_k", "d_key", "tokens", "device", "dtype", "min_seconds", "warmup", "threads"):
        argv += [f"--{name.replace('_', '-')}", str(getattr(args, name))]
    return run_case(argv)


def installed(kinds: list[str]) -> list[str]:
    """``kinds`` without the anchors whose package is missing, each reported in one line."""
    kept = []
    for kind in kinds:
        module, package = ANCHOR_PACKAGES.get(kind, (None, None))
        if module is not None and importlib.util.find_spec(module) is None:
            print(f"# {kind}: {package} is not installed (pip install -e '.[bench]'); left out")
            continue
        kept.append(kind)
    return kept


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--d-model", type=int, default=256)
    p.add_argument("--heads", type=int, default=8)
    p.add_argument("--top-k", type=int, default=16)
    p.add_argument("--d-key", type=int, default=128, help="query width (two halves of d_key/2)")
    p.add_argument("--tokens", type=int, default=1024)
    p.add_argument("--n-keys", type=int, nargs="+", default=[256, 1024], help="sub-keys per half; N = n_keys**2")
    p.add_argument("--kinds", nargs="+", default=list(BUILDERS), choices=list(BUILDERS))
    p.add_argument("--modes", nargs="+", default=list(MODES), choices=MODES)
    p.add_argument("--device", default="cpu")
    p.add_argument("--dtype", default="fp32", choices=["fp32", "bf16"])
    p.add_argument("--min-seconds", type=float, default=4.0)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--threads", type=int, default=0, help="torch threads per case (0: torch's default)")
    p.add_argument("--repeat", type=int, default=3, help="runs of every case, interleaved; the median is shown")
    p.add_argument("--quick", action="store_true", help="tiny sizes, for a smoke run")
    p.add_argument("--json", help="also write the results here")
    p.add_argument("--child", nargs=3, metavar=("KIND", "N_KEYS", "MODE"), help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        kind, n_keys, mode = args.child
        print(json.dumps(measure(args, kind, int(n_keys), mode)))
        return
    if args.quick:
        args.d_model, args.d_key, args.tokens, args.n_keys = 64, 32, 256, [32, 64]
        args.min_seconds, args.warmup, args.repeat = 0.5, 1, 1

    device = torch.device(args.device)
    card = torch.cuda.get_device_name(device) if device.type == "cuda" else None
    peak = peak_hbm(card) if card else None
    threads = args.threads or torch.get_num_threads()
    print(f"# PEER layer benchmark: d_model={args.d_model}, d_key={args.d_key}, tokens/batch={args.tokens}, "
          f"h={args.heads}, k={args.top_k}, device={card or args.device}, dtype={args.dtype}, torch {torch.__version__}, "
          f"{threads} threads, median of {args.repeat} interleaved runs, "
          f"THP_MEM_ALLOC_ENABLE={os.environ.get('THP_MEM_ALLOC_ENABLE', 'unset')}"
          + (f", peak HBM {peak / 1e12:.2f} TB/s" if peak else ""))
    kinds = installed(args.kinds)
    cases = [
        (kind, n_keys, mode)
        for n_keys in args.n_keys
        for kind in kinds
        if not (kind == "dense" and n_keys != args.n_keys[0])
        for mode in args.modes
    ]
    runs = interleaved(cases, lambda *case: run_child(args, *case), args.repeat)
    rows = [
        {"kind": kind, "experts": None if kind == "dense" else n_keys**2, "mode": mode,
         **medians(results, ("tokens_per_s", "peak_bytes", "expert_bytes_per_s"))}
        for (kind, n_keys, mode), results in runs.items()
    ]
    ours = {(r["experts"], r["mode"]): r for r in rows if r["kind"] == "peer" and "error" not in r}

    print("\n| layer | experts N | mode | tokens/s | peak memory | expert GB/s | peer-store speed / this "
          "| peer-store memory / this |")
    print("|---|---:|---|---:|---:|---:|---:|---:|")
    for r in rows:
        n = "-" if r["experts"] is None else f"{r['experts']:,}"
        if "error" in r:
            print(f"| {r['kind']} | {n} | {r['mode']} | error: {r['error']} | | | | |")
            continue
        bandwidth = ""
        if r["kind"] != "dense":
            bandwidth = f"{r['expert_bytes_per_s'] / 1e9:.1f}"
            if peak:
                bandwidth += f" ({r['expert_bytes_per_s'] / peak:.0%} of peak)"
        base = ours.get((r["experts"], r["mode"])) if r["kind"] not in ("peer", "dense") else None
        speed = f"{base['tokens_per_s'] / r['tokens_per_s']:.2f}x" if base else ""
        mem = f"{base['peak_bytes'] / r['peak_bytes']:.2f}x" if base else ""
        print(f"| {r['kind']} | {n} | {r['mode']} | {r['tokens_per_s']:,.0f} | {r['peak_bytes'] / 2**30:.2f} GiB "
              f"| {bandwidth} | {speed} | {mem} |")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"args": vars(args), "device_name": card, "peak_hbm_bytes_per_s": peak, "rows": rows}, f, indent=2)


if __name__ == "__main__":
    main()
