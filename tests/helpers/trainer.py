"""The trainer tests' tiny language model: every FFN kind at d = 64, trained on a few hundred kB of real text."""

from __future__ import annotations

from trainer.config import TrainConfig


def tiny_config(files, kind: str, **overrides) -> TrainConfig:
    """Two blocks of FFN ``kind`` over ``files`` (``overrides``: TrainConfig fields), 200 steps of 16 x 64 bytes."""
    base = dict(
        model=dict(
            d_model=64,
            n_layers=2,
            n_heads=4,
            max_seq_len=64,
            ffn=kind,
            # hmoe: 2 groups of 2, one group and one of its experts per token (both levels choose)
            moe=dict(n_experts=4, d_expert=64, top_k=1 if kind == "hmoe" else 2),
            peer=dict(n_heads=4, top_k=4, n_keys=8),
        ),
        data=dict(sources=files, seq_len=64, doc_bytes=4096, heldout_fraction=0.1),
        optim=dict(lr=3e-3, warmup_steps=10),
        batch_size=16,
        max_steps=200,
        progress=False,
        eval_batches=20,
    )
    base.update(overrides)
    return TrainConfig(**base)
