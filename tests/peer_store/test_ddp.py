"""Sparse expert tables under DistributedDataParallel (2 CPU processes, gloo)."""

import os

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch.nn.parallel import DistributedDataParallel

from peer_store import PEERConfig, PEERLayer, make_optimizer
from tests.helpers.processes import free_port

CFG = dict(d_model=16, n_heads=2, top_k=4, n_keys=6, query_norm="layer")


def batch():
    g = torch.Generator().manual_seed(123)
    return torch.randn(24, 16, generator=g), torch.randn(24, 16, generator=g)


def step(layer, opt, x, target):
    opt.zero_grad(set_to_none=True)
    (layer(x) - target).pow(2).mean().backward()
    opt.step()


def worker(rank, world, port, out_dir):
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    dist.init_process_group("gloo", rank=rank, world_size=world)
    torch.manual_seed(0)
    layer = PEERLayer(PEERConfig(**CFG))
    model = DistributedDataParallel(layer)
    opt = make_optimizer(layer, lr=1e-2)
    x, target = batch()
    shard = slice(rank * 12, (rank + 1) * 12)
    for _ in range(3):
        step(model, opt, x[shard], target[shard])
    if rank == 0:
        torch.save(layer.state_dict(), os.path.join(out_dir, "ddp.pt"))
    dist.destroy_process_group()


@pytest.mark.slow
def test_ddp_two_processes_match_one_process_with_the_same_global_batch(tmp_path):
    mp.spawn(worker, args=(2, free_port(), str(tmp_path)), nprocs=2, join=True)
    torch.manual_seed(0)
    layer = PEERLayer(PEERConfig(**CFG))
    opt = make_optimizer(layer, lr=1e-2)
    x, target = batch()
    for _ in range(3):
        step(layer, opt, x, target)
    ddp_state = torch.load(tmp_path / "ddp.pt")
    for name, value in layer.state_dict().items():
        if isinstance(value, torch.Tensor):
            torch.testing.assert_close(ddp_state[name], value, atol=1e-5, rtol=1e-4, msg=name)
    torch.manual_seed(0)
    init = PEERLayer(PEERConfig(**CFG)).state_dict()
    for name in ("memory.segments.0.up.weight", "memory.segments.0.down.weight", "query.weight"):
        assert not torch.equal(ddp_state[name], init[name]), f"{name} never moved: the comparison is vacuous"
