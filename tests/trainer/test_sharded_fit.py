"""The trainer with sharded expert tables (``TrainConfig.shard_experts``) on 2 gloo processes: the same
steps as the unsharded DDP fit, checkpoints with the whole tables, an exact resume, a frozen segment
left bit-identical. The processes are forked from pytest, like torchrun's (LOCAL_RANK set, so
Lightning's ``strategy='ddp'`` starts no script of its own): spawning two fresh interpreters that
import Lightning costs tens of seconds on this machine."""

from __future__ import annotations

import json
import os
from pathlib import Path

import lightning as L
import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch.utils.data import DataLoader

from peer_store import PEERLayer
from peer_store.errors import ConfigError
from peer_store.sharded import ShardedPEERLayer
from tests.helpers.processes import free_port
from trainer.config import ModelConfig, TrainConfig
from trainer.fit import load_checkpoint, read_checkpoint, train
from trainer.model import LanguageModel
from trainer.module import LMModule

WORLD = 2
N_KEYS = 16  # 256 experts per layer, 128 rows on each rank
MODEL = dict(
    d_model=32, n_layers=2, n_heads=2, max_seq_len=32, ffn="peer", peer=dict(n_heads=2, top_k=4, n_keys=N_KEYS)
)
OPTIM = dict(lr=1e-2, warmup_steps=2)


def config(files: list[str], out_dir: Path, **overrides) -> TrainConfig:
    """4 steps of 2 x 4 sequences, checkpoints at steps 2 and 4."""
    base = dict(
        model=MODEL, data=dict(sources=files, seq_len=32, doc_bytes=4096), optim=OPTIM,
        batch_size=4, max_steps=4, checkpoint_every=2, out_dir=str(out_dir), accelerator="cpu", devices=WORLD,
        strategy="ddp", progress=False, eval_batches=3,
    )
    return TrainConfig(**{**base, **overrides})


def checkpoint(run: Path, step: int) -> Path:
    (path,) = (run / "checkpoints").glob(f"*step={step}.ckpt")
    return path


def peer_layers(model: torch.nn.Module) -> list[PEERLayer]:
    return [m for m in model.modules() if isinstance(m, PEERLayer)]


def fit_with_a_frozen_segment(rank: int, out: Path) -> None:
    """LMModule(shard_experts=True) under a plain Lightning Trainer, on a grown memory: the frozen segment
    stays bit-identical, the live one trains, and the checkpoint holds both whole."""
    torch.manual_seed(0)
    model = LanguageModel(ModelConfig(**MODEL))
    for layer in peer_layers(model):
        layer.memory.freeze()
        layer.memory.grow(8)  # a shell of 2 * 16 * 8 + 8**2 = 320 experts
    frozen = [[t.weight.detach().clone() for t in (lay.memory.segments[0].down, lay.memory.segments[0].up)]
              for lay in peer_layers(model)]
    live = [lay.memory.segments[1].up.weight.detach().clone() for lay in peer_layers(model)]
    module = LMModule(ModelConfig(**MODEL).to_dict(), OPTIM, 3, module=model, shard_experts=True)
    windows = torch.randint(0, 257, (8, 33), generator=torch.Generator().manual_seed(rank))  # this rank's batches
    trainer = L.Trainer(
        max_steps=3, accelerator="cpu", devices=WORLD, strategy="ddp", logger=False, enable_checkpointing=False,
        enable_progress_bar=False, enable_model_summary=False, limit_val_batches=0, num_sanity_val_steps=0,
        use_distributed_sampler=False,
    )
    trainer.fit(module, train_dataloaders=DataLoader(windows, batch_size=4))
    assert all(isinstance(lay, ShardedPEERLayer) for lay in peer_layers(model))
    whole = [lay.memory.unshard() for lay in peer_layers(model)]
    for memory, (down, up), up_before in zip(whole, frozen, live):
        assert memory.segments[0].frozen and not memory.segments[1].frozen
        assert torch.equal(memory.segments[0].down.weight, down) and torch.equal(memory.segments[0].up.weight, up)
        assert not torch.equal(memory.segments[1].up.weight, up_before), "the live segment never trained"
    trainer.save_checkpoint(out / "frozen.ckpt")
    if rank == 0:
        saved, _ = load_checkpoint(out / "frozen.ckpt")
        for layer, memory in zip(peer_layers(saved), whole):
            assert type(layer) is PEERLayer and [s.frozen for s in layer.memory.segments] == [True, False]
            for s, w in zip(layer.memory.segments, memory.segments):
                assert s.down.weight.shape == (s.num_experts, 32)
                assert torch.equal(s.down.weight, w.down.weight) and torch.equal(s.up.weight, w.up.weight)


def worker(rank: int, port: int, files: list[str], out: Path) -> None:
    torch.set_num_threads(1)  # first: a forked child must not use the parent's OpenMP pool
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port), LOCAL_RANK=str(rank), NODE_RANK="0",
                      WORLD_SIZE=str(WORLD))
    try:
        plain = train(config(files, out / "plain"))
        sharded = train(config(files, out / "sharded", shard_experts=True))
        resumed = train(config(files, out / "resumed", shard_experts=True,
                               resume=str(checkpoint(out / "sharded", 2))))
        assert all(isinstance(lay, ShardedPEERLayer) for lay in peer_layers(sharded.model))
        if rank == 0:
            runs = {"plain": plain, "sharded": sharded, "resumed": resumed}
            summary = {k: dict(losses=r.losses, heldout=r.heldout.loss, tokens=r.heldout.tokens)
                       for k, r in runs.items()}
            (out / "summary.json").write_text(json.dumps(summary))
        else:
            assert sharded.heldout is None
        fit_with_a_frozen_segment(rank, out)
    finally:
        if dist.is_initialized():
            dist.destroy_process_group()


def close(got: torch.Tensor, want: torch.Tensor, what: str) -> None:
    torch.testing.assert_close(got, want, atol=1e-5, rtol=1e-5, msg=what)


@pytest.mark.slow
def test_sharded_fit_takes_the_unsharded_steps_and_saves_whole_tables(stdlib_files, tmp_path):
    # fork, not spawn: the children start with torch and Lightning imported
    mp.start_processes(worker, args=(free_port(), stdlib_files[:3], tmp_path), nprocs=WORLD, start_method="fork")
    summary = json.loads((tmp_path / "summary.json").read_text())
    plain, sharded, resumed = summary["plain"], summary["sharded"], summary["resumed"]
    assert len(plain["losses"]) == len(sharded["losses"]) == 4 and len(resumed["losses"]) == 2
    assert sharded["losses"] == pytest.approx(plain["losses"], rel=1e-5, abs=1e-5)
    assert resumed["losses"] == pytest.approx(sharded["losses"][2:], rel=1e-5, abs=1e-5)
    assert sharded["tokens"] == plain["tokens"] == 3 * 4 * 32  # every held-out batch once, over both ranks
    assert sharded["heldout"] == pytest.approx(plain["heldout"], rel=1e-5)

    n_tables = 0
    for step in (2, 4):
        want, got = (read_checkpoint(checkpoint(tmp_path / run, step)) for run in ("plain", "sharded"))
        assert want["state_dict"].keys() == got["state_dict"].keys()
        for key, value in want["state_dict"].items():
            if isinstance(value, torch.Tensor):
                close(got["state_dict"][key], value, f"step {step}: {key}")
                n_tables += key.endswith(("down.weight", "up.weight"))
        assert got["state_dict"]["model.blocks.0.ffn.layer.memory.segments.0.down.weight"].shape == (N_KEYS**2, 32)
        # the row-wise optimizer state is whole too: same rows stepped, same second moments
        (group,) = [g for g in got["optimizer_states"][0]["param_groups"] if g["kind"] == "table"]
        for index in group["params"]:
            mine, theirs = got["optimizer_states"][0]["state"][index], want["optimizer_states"][0]["state"][index]
            assert mine["step"].shape == (N_KEYS**2,) and torch.equal(mine["step"], theirs["step"])
            close(mine["exp_avg_sq"], theirs["exp_avg_sq"], f"step {step}: optimizer state {index}")
    assert n_tables == 2 * 2 * 2  # 2 steps x 2 layers x (down, up)

    final = read_checkpoint(checkpoint(tmp_path / "sharded", 4))["state_dict"]
    for key, value in read_checkpoint(tmp_path / "resumed" / "checkpoints" / "last.ckpt")["state_dict"].items():
        if isinstance(value, torch.Tensor):
            close(value, final[key], f"resumed: {key}")
    start = read_checkpoint(checkpoint(tmp_path / "sharded", 2))["state_dict"]
    key = "model.blocks.1.ffn.layer.memory.segments.0.up.weight"
    assert not torch.equal(start[key], final[key]), "the tables never moved: the comparison is vacuous"

    model, _ = load_checkpoint(checkpoint(tmp_path / "sharded", 4))  # an ordinary, unsharded model
    assert [type(layer) for layer in peer_layers(model)] == [PEERLayer, PEERLayer]
    assert peer_layers(model)[0].memory.segments[0].up.weight.shape == (N_KEYS**2, 32)


def test_shard_experts_config_is_checked_up_front(stdlib_files, tmp_path):
    with pytest.raises(ConfigError, match="model.ffn='peer'"):
        config(stdlib_files, tmp_path, shard_experts=True, model={**MODEL, "ffn": "dense"})
    with pytest.raises(ConfigError, match="strategy='ddp'"):
        config(stdlib_files, tmp_path, shard_experts=True, strategy="ddp_spawn")
    with pytest.raises(ConfigError, match="devices > 1"):
        config(stdlib_files, tmp_path, shard_experts=True, devices=1)
