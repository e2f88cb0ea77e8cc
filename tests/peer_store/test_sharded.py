"""peer_store.sharded: expert tables split by rows over 2 gloo processes, against one unsharded layer
on every rank's tokens (the oracle). One process group runs every check (spawning costs seconds)."""

from __future__ import annotations

import os

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn
from torch.distributed.device_mesh import init_device_mesh
from torch.nn.parallel import DistributedDataParallel

from peer_store import ConfigError, PEERConfig, PEERLayer, make_optimizer
from peer_store.sharded import ShardedExpertMemory, shard_layer, shard_peer_layers
from tests.helpers.processes import free_port

WORLD = 2
D = 16
TOKENS = (7, 5)  # tokens of rank 0 and 1: unequal, so the padding is exercised


def config(kernel: str) -> PEERConfig:
    return PEERConfig(d_model=D, n_heads=2, top_k=4, n_keys=6, query_norm="layer", kernel=kernel)


def batch(seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Every rank's tokens ``[sum(TOKENS), D]`` and loss weights of the same shape."""
    g = torch.Generator().manual_seed(seed)
    return torch.randn(sum(TOKENS), D, generator=g), torch.randn(sum(TOKENS), D, generator=g)


def mine(t: torch.Tensor, rank: int) -> torch.Tensor:
    return t[sum(TOKENS[:rank]) : sum(TOKENS[: rank + 1])]


def dense(grad: torch.Tensor) -> torch.Tensor:
    return grad.to_dense() if grad.is_sparse else grad


def my_rows(table: torch.Tensor, rank: int) -> torch.Tensor:
    n = table.shape[0] // WORLD
    return table[rank * n : (rank + 1) * n]


def close(got: torch.Tensor, want: torch.Tensor, what: str) -> None:
    torch.testing.assert_close(got, want, atol=1e-5, rtol=1e-5, msg=what)


def check_outputs_and_gradients(rank: int, mesh, kernel: str) -> None:
    """Output, input gradient and every parameter gradient equal the unsharded layer's (one frozen
    segment, one trainable): summed over ranks for the replicated weights, rows for the tables."""
    torch.manual_seed(0)
    ref = PEERLayer(config(kernel))
    ref.memory.freeze()
    ref.memory.grow(4)
    layer = shard_layer(ref, mesh)
    x, w = batch(1)
    x_ref = x.clone().requires_grad_(True)
    y_ref = ref(x_ref)
    (y_ref * w).sum().backward()
    x_mine = mine(x, rank).clone().requires_grad_(True)
    y = layer(x_mine)
    (y * mine(w, rank)).sum().backward()
    close(y, mine(y_ref, rank), f"{kernel}: output")
    close(x_mine.grad, mine(x_ref.grad, rank), f"{kernel}: input gradient")
    want = dict(ref.named_parameters())
    checked = 0
    for name, p in layer.named_parameters():
        if want[name].grad is None:
            assert p.grad is None, f"{kernel}: {name} is frozen but got a gradient"
            continue
        if "down" in name or "up" in name:  # this rank's rows, averaged over ranks (DDP's convention)
            close(dense(p.grad) * WORLD, my_rows(dense(want[name].grad), rank), f"{kernel}: {name}")
        else:  # replicated: each rank has its tokens' share
            grad = p.grad.clone()
            dist.all_reduce(grad)
            close(grad, want[name].grad, f"{kernel}: {name}")
        checked += 1
    assert checked == 6, checked  # query, norm weight and bias, the live segment's sub-keys, down, up
    assert all(p.grad is None for p in layer.memory.segments[0].parameters())


def train(model: nn.Module, optimizer, x: torch.Tensor, w: torch.Tensor, steps: int, scale: float) -> None:
    for _ in range(steps):
        optimizer.zero_grad(set_to_none=True)
        ((model(x) * w).sum() * scale).backward()
        optimizer.step()


def check_training_and_growth(rank: int, mesh) -> None:
    """DDP over the replicated weights + sharded tables + the row-wise optimizer take the same steps
    as one process on every rank's tokens: same rows touched, same values; frozen rows bit-identical;
    then the memory grows (old segments frozen) and trains on."""
    torch.manual_seed(0)
    ref = nn.Sequential(nn.Linear(D, D), PEERLayer(config("gather")))
    ref[1].memory.freeze()
    ref[1].memory.grow(8)
    model = nn.Sequential(nn.Linear(D, D), PEERLayer(config("gather")))
    model.load_state_dict(ref.state_dict())
    tables = shard_peer_layers(model, mesh)
    assert tables == [f"1.memory.segments.{s}.{t}.weight" for s in (0, 1) for t in ("down", "up")], tables
    x, w = batch(2)
    for stage in range(2):
        frozen = [p.detach().clone() for seg in model[1].memory.segments if seg.frozen for p in seg.parameters()]
        assert len(frozen) == 3 * (stage + 1)
        ddp = DistributedDataParallel(model)
        opt, opt_ref = make_optimizer(model, lr=1e-2), make_optimizer(ref, lr=1e-2)
        live, ref_live = model[1].memory.segments[-1], ref[1].memory.segments[-1]
        before = [my_rows(t.weight.detach(), rank).clone() for t in (ref_live.down, ref_live.up)]
        train(ddp, opt, mine(x, rank), mine(w, rank), 3, 1.0)
        train(ref, opt_ref, x, w, 3, 1.0 / WORLD)  # DDP's gradients are the mean over ranks
        for name, p in ref.named_parameters():
            got = model.get_parameter(name)
            close(got, my_rows(p, rank) if got.shape != p.shape else p, f"stage {stage}: {name}")
        for t, t_ref, old in zip((live.down, live.up), (ref_live.down, ref_live.up), before):
            touched = (my_rows(t_ref.weight.detach(), rank) != old).any(1)
            assert touched.any() and not touched.all(), "the check needs touched and untouched rows"
            assert torch.equal((t.weight.detach() != old).any(1), touched), f"stage {stage}: other rows moved"
            assert torch.equal(opt.state[t.weight]["step"], my_rows(opt_ref.state[t_ref.weight]["step"], rank))
        for p, old in zip([p for seg in model[1].memory.segments if seg.frozen for p in seg.parameters()], frozen):
            assert torch.equal(p, old), "a frozen segment moved"
        if stage == 0:
            for m in (ref, model):
                m[1].memory.freeze()
                torch.manual_seed(5)  # the same new segment on both
                m[1].memory.grow(8)
            assert model[1].memory.growth_step == ref[1].memory.growth_step == 3
            shard_peer_layers(model, mesh)  # the new tables stay out of the next DDP
    whole = model[1].memory.unshard()
    for s, s_ref in zip(whole.segments, ref[1].memory.segments):
        assert s.frozen == s_ref.frozen
        close(s.sub_keys, s_ref.sub_keys, "unshard sub-keys")
        close(s.down.weight, s_ref.down.weight, "unshard down")
        close(s.up.weight, s_ref.up.weight, "unshard up")
    with pytest.raises(ConfigError, match="does not divide over 2 ranks"):
        model[1].memory.grow(3)
    assert len(model[1].memory.segments) == 3


def worker(rank: int, port: int) -> None:
    torch.set_num_threads(1)  # first: a forked child must not use the parent's OpenMP pool
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    dist.init_process_group("gloo", rank=rank, world_size=WORLD)
    try:
        mesh = init_device_mesh("cpu", (WORLD,))
        for kernel in ("gather", "dense"):
            check_outputs_and_gradients(rank, mesh, kernel)
        check_training_and_growth(rank, mesh)
    finally:
        dist.destroy_process_group()


@pytest.mark.slow
def test_sharded_layer_matches_one_process_and_trains_the_same_rows():
    # fork, not spawn: the children start with torch and DTensor imported (5 s here instead of 19 s)
    mp.start_processes(worker, args=(free_port(),), nprocs=WORLD, start_method="fork")


def test_sharded_memory_refuses_a_mesh_of_several_dimensions():
    class TwoD:
        ndim = 2

    with pytest.raises(ConfigError, match="1-D device mesh"):
        ShardedExpertMemory(D, D, TwoD())
