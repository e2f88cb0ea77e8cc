"""Communication and time per training step of a PEER layer whose tables are sharded over 2 gloo processes.

    OMP_NUM_THREADS=1 python benchmarks/sharded.py                  # the README table
    OMP_NUM_THREADS=1 python benchmarks/sharded.py --quick          # a small smoke run

For each size, 2 CPU processes (gloo, one thread each) train one
:class:`peer_store.sharded.ShardedPEERLayer` under DDP with the row-wise optimizer on their own
tokens; rank 0 reports:

- the collectives a step calls and the bytes this rank hands to them, counted from the calls
  themselves (a dispatch mode sees every functional collective, forward and backward), and the
  bytes it sends in a ring (all-gather: (R-1) x input, reduce-scatter: (R-1)/R x input);
- the median time of a step (forward, backward, optimizer) against one process running the
  unsharded layer on the same number of tokens (what each rank computes for its own tokens).

DDP's own all-reduce of the query network's dense gradients is the same as without sharding and
is not counted. Gloo's TCP framing is not counted either.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import sys
import time

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch.distributed.device_mesh import init_device_mesh
from torch.nn.parallel import DistributedDataParallel
from torch.utils._python_dispatch import TorchDispatchMode

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from peer_store import PEERConfig, PEERLayer, make_optimizer  # noqa: E402
from peer_store.sharded import shard_layer  # noqa: E402

WORLD = 2
RING = {"all_gather_into_tensor": WORLD - 1, "reduce_scatter_tensor": (WORLD - 1) / WORLD}
"""Bytes a rank sends in a ring, per byte of its input to the collective."""


class CountCollectives(TorchDispatchMode):
    """Bytes handed to each functional collective, and the bytes a ring sends for it."""

    def __init__(self):
        super().__init__()
        self.calls: dict[str, int] = {}
        self.payload = 0
        self.ring = 0.0

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        name = func.__name__.split(".")[0]
        if func.namespace == "_c10d_functional" and name in RING:
            size = args[0].numel() * args[0].element_size()
            self.calls[name] = self.calls.get(name, 0) + 1
            self.payload += size
            self.ring += size * RING[name]
        return func(*args, **(kwargs or {}))


def config(args: argparse.Namespace, d: int) -> PEERConfig:
    return PEERConfig(d_model=d, n_heads=args.heads, top_k=args.top_k, n_keys=args.n_keys, kernel="gather")


def step(model, opt, x: torch.Tensor) -> None:
    opt.zero_grad(set_to_none=True)
    model(x).pow(2).mean().backward()
    opt.step()


def timed(model, opt, x: torch.Tensor, steps: int) -> float:
    step(model, opt, x)  # warm-up
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        step(model, opt, x)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def worker(rank: int, port: int, args: argparse.Namespace, d: int, tokens: int, out: str) -> None:
    torch.set_num_threads(1)
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    dist.init_process_group("gloo", rank=rank, world_size=WORLD)
    mesh = init_device_mesh("cpu", (WORLD,))
    torch.manual_seed(0)
    layer = shard_layer(PEERLayer(config(args, d)), mesh)
    ddp = DistributedDataParallel(layer)
    opt = make_optimizer(layer, lr=1e-3)
    x = torch.randn(tokens, d, generator=torch.Generator().manual_seed(rank))
    seconds = timed(ddp, opt, x, args.steps)
    with CountCollectives() as count:
        step(ddp, opt, x)
    if rank == 0:
        with open(out, "w") as f:
            json.dump(dict(seconds=seconds, calls=count.calls, payload=count.payload, ring=count.ring), f)
    dist.destroy_process_group()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def formula(d: int, m: int, ranks: int = WORLD) -> dict[str, int]:
    """Bytes a rank sends per token of its own, per layer and step (fp32 activations, int64 ids)."""
    return dict(forward=(ranks - 1) * (8 * d + 12 * m), backward=(ranks - 1) * (8 * d + 4 * m))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--widths", type=int, nargs="+", default=[64, 256])
    parser.add_argument("--tokens", type=int, nargs="+", default=[256, 1024])
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--top-k", type=int, default=8)
    parser.add_argument("--n-keys", type=int, default=64)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--quick", action="store_true", help="one small size, 3 steps")
    parser.add_argument("--out", default=None, help="write the rows as JSON here")
    args = parser.parse_args()
    if args.quick:
        args.widths, args.tokens, args.steps = [32], [64], 3
    torch.set_num_threads(1)
    m = args.heads * args.top_k
    rows = []
    for d in args.widths:
        for tokens in args.tokens:
            out = f"/tmp/peer_sharded_{os.getpid()}.json"
            mp.start_processes(worker, args=(free_port(), args, d, tokens, out), nprocs=WORLD, start_method="spawn")
            with open(out) as f:
                got = json.load(f)
            os.remove(out)
            torch.manual_seed(0)
            layer = PEERLayer(config(args, d))
            one = timed(layer, make_optimizer(layer, lr=1e-3), torch.randn(tokens, d), args.steps)
            rows.append(dict(
                d=d, m=m, experts=args.n_keys**2, tokens_per_rank=tokens, calls=got["calls"],
                bytes_per_token=got["ring"] / tokens, formula_per_token=sum(formula(d, m).values()),
                ms_sharded=1e3 * got["seconds"], ms_one_process=1e3 * one,
            ))
            r = rows[-1]
            print(f"d={d:4d} m={m} N={r['experts']} tokens/rank={tokens:5d}  sent/token {r['bytes_per_token']:8.0f} B "
                  f"(formula {r['formula_per_token']})  step {r['ms_sharded']:7.1f} ms sharded x2 "
                  f"vs {r['ms_one_process']:7.1f} ms one process  calls {got['calls']}", flush=True)
    if args.out:
        with open(args.out, "w") as f:
            json.dump(dict(world=WORLD, torch=torch.__version__, rows=rows), f, indent=1)


if __name__ == "__main__":
    main()
