"""Two gloo processes train PEER layers under DistributedDataParallel for many small steps.

Used by test_distributed.py; not collected by pytest. Run by hand to see why
:mod:`peer_store.distributed` exists::

    python tests/peer_store/ddp_stress.py OUT.json --steps 20000 --hook default   # aborts (torch 2.13, CPU)
    python tests/peer_store/ddp_stress.py OUT.json --steps 20000 --hook sparse    # finishes

``--check`` trains one step and writes, for every parameter, the largest difference between
the gradient DDP gives rank 0 and the gradient of one process on both ranks' batches.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn
from torch.nn.parallel import DistributedDataParallel

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from peer_store import PEERConfig, PEERLayer  # noqa: E402
from peer_store.distributed import sparse_allreduce_hook  # noqa: E402

WORLD = 2
D = 32


def build(kernel: str) -> nn.Module:
    torch.manual_seed(0)
    config = PEERConfig(d_model=D, n_heads=2, top_k=4, n_keys=8, query_norm="layer", kernel=kernel)  # no batch statistics
    return nn.Sequential(PEERLayer(config), PEERLayer(config))  # four sparse tables


def batch(rank: int, step: int) -> torch.Tensor:
    return torch.randn(4, 16, D, generator=torch.Generator().manual_seed(1000 * step + rank))


def loss_of(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    return model(x).pow(2).mean()


def dense_grads(model: nn.Module) -> dict[str, torch.Tensor]:
    return {n: (p.grad.to_dense() if p.grad.is_sparse else p.grad).clone() for n, p in model.named_parameters()}


def worker(rank: int, args: argparse.Namespace) -> None:
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(args.port))
    dist.init_process_group("gloo", rank=rank, world_size=WORLD)
    torch.set_num_threads(1)
    module = build(args.kernel)
    model = DistributedDataParallel(module)
    if args.hook == "sparse":
        model.register_comm_hook(None, sparse_allreduce_hook)
    optimizer = torch.optim.SGD(module.parameters(), lr=1e-3)
    steps = 1 if args.check else args.steps
    for step in range(steps):
        loss_of(model, batch(rank, step)).backward()
        if args.check:
            break
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
    if rank == 0:
        result: dict = {"steps": steps}
        if args.check:
            reference = build(args.kernel)
            loss_of(reference, torch.cat([batch(r, 0) for r in range(WORLD)])).backward()
            want, got = dense_grads(reference), dense_grads(module)
            result["max_diff"] = {n: float((got[n] - want[n]).abs().max()) for n in want}
            result["max_abs"] = {n: float(want[n].abs().max()) for n in want}
            result["sparse"] = sorted(n for n, p in module.named_parameters() if p.grad.is_sparse)
        Path(args.out).write_text(json.dumps(result))
    dist.destroy_process_group()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--hook", choices=("default", "sparse"), default="sparse")
    parser.add_argument("--kernel", choices=("gather", "dense"), default="dense")
    parser.add_argument("--port", type=int, default=29517)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    mp.spawn(worker, args=(args,), nprocs=WORLD)


if __name__ == "__main__":
    main()
