"""Train a tiny model on stdlib source and write its loss trajectory as JSON (rank 0).

Run as a script: under ``strategy='ddp'`` Lightning starts rank 1 by running this
same command again. Used by test_ddp.py; not collected by pytest.

    python tests/trainer/ddp_run.py OUT.json --devices 2 --batch-size 4 --kind peer
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import sysconfig

import torch
from torch.nn.parallel import DistributedDataParallel

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
from tests.conftest import STDLIB_FILES  # noqa: E402

from trainer.config import TrainConfig  # noqa: E402
from trainer.fit import train  # noqa: E402


COMM_HOOKS: list[str] = []
_register = DistributedDataParallel.register_comm_hook


def _spy(self, state, hook):  # records which hook the trainer registers (LMModule.on_fit_start)
    COMM_HOOKS.append(hook.__name__)
    return _register(self, state, hook)


DistributedDataParallel.register_comm_hook = _spy


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--devices", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--kind", default="peer")
    parser.add_argument("--workers", type=int, default=0)
    args = parser.parse_args()
    torch.set_num_threads(1)
    stdlib = sysconfig.get_paths()["stdlib"]
    config = TrainConfig(
        model=dict(
            d_model=32,
            n_layers=2,
            n_heads=2,
            max_seq_len=32,
            ffn=args.kind,
            peer=dict(n_heads=2, top_k=4, n_keys=8),
            moe=dict(n_experts=4, d_expert=32),
        ),
        data=dict(sources=[os.path.join(stdlib, f) for f in STDLIB_FILES[:3]], seq_len=32, doc_bytes=4096),
        optim=dict(lr=1e-2, warmup_steps=2),
        batch_size=args.batch_size,
        max_steps=args.steps,
        accelerator="cpu",
        devices=args.devices,
        strategy="ddp" if args.devices > 1 else "auto",
        num_workers=args.workers,
        progress=False,
        eval_batches=None,
    )
    result = train(config)
    if result.heldout is not None:  # rank 0
        table = result.model.blocks[0].ffn.layer.memory.segments[0].down.weight if args.kind == "peer" else None
        with open(args.out, "w") as f:
            json.dump(
                {
                    "losses": result.losses,
                    "heldout": result.heldout.loss,
                    "world_size": result.world_size,
                    "comm_hooks": COMM_HOOKS,
                    "table_checksum": float(table.detach().double().sum()) if table is not None else None,
                },
                f,
            )


if __name__ == "__main__":
    main()
