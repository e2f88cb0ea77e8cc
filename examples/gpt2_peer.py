"""PEERLayer inside a model nobody here wrote: Hugging Face GPT-2 with one block's MLP replaced.

GPT-2 is built from a tiny ``GPT2Config`` over bytes (vocabulary 256, random init,
nothing downloaded), the MLP of one block becomes a :class:`peer_store.PEERLayer`
with its default (causal-safe) query norm, and the model trains on Python source
from the standard library with :func:`peer_store.make_optimizer`. It prints the
held-out loss (other files of the standard library) before and after.

    pip install transformers        # or the project's dev extra
    python examples/gpt2_peer.py [--steps 60] [--n-keys 128]
"""

from __future__ import annotations

import argparse
import math
import sys
import sysconfig
import time
from pathlib import Path

import torch
from torch import Tensor

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from transformers import GPT2Config, GPT2LMHeadModel  # noqa: E402

from peer_store import PEERConfig, PEERLayer, make_optimizer, split_parameters  # noqa: E402


def stdlib_source(train_bytes: int, heldout_bytes: int, every: int = 8) -> tuple[Tensor, Tensor]:
    """Bytes ``[n]`` of the standard library's ``*.py`` files: every ``every``-th file (sorted by
    name) is held out, the others are training text, so the held-out text is other files."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    train, heldout = bytearray(), bytearray()
    for i, path in enumerate(sorted(stdlib.glob("*.py"))):
        if len(train) >= train_bytes and len(heldout) >= heldout_bytes:
            break
        (heldout if i % every == 0 else train).extend(path.read_bytes())
    if len(train) < train_bytes or len(heldout) < heldout_bytes:
        raise SystemExit(f"the standard library at {stdlib} holds too little Python source")
    return torch.tensor(list(train[:train_bytes])), torch.tensor(list(heldout[:heldout_bytes]))


def gpt2_with_peer(peer: PEERConfig, *, block: int = 1, **gpt2) -> GPT2LMHeadModel:
    """A byte-level GPT-2 (``gpt2`` overrides the tiny defaults) whose block ``block`` has a PEER
    layer for its MLP. Dropout defaults to 0: a few dozen steps do not overfit, and a causality
    check compares two forward passes."""
    sizes = dict(vocab_size=256, n_positions=128, n_embd=peer.d_model, n_layer=2, n_head=4,
                 resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0, bos_token_id=None, eos_token_id=None)
    model = GPT2LMHeadModel(GPT2Config(**{**sizes, **gpt2}))
    # GPT-2 calls block.mlp(hidden [B, T, n_embd]) -> [B, T, n_embd]: the layer's own signature.
    model.transformer.h[block].mlp = PEERLayer(peer)
    return model


def random_windows(data: Tensor, batch: int, seq: int, generator: torch.Generator) -> Tensor:
    """``[batch, seq]`` windows of ``data`` at random offsets."""
    start = torch.randint(0, data.numel() - seq + 1, (batch,), generator=generator)  # [B]
    return data[start[:, None] + torch.arange(seq)]  # [B, T]


@torch.no_grad()
def heldout_loss(model: GPT2LMHeadModel, data: Tensor, seq: int) -> float:
    """Mean next-byte loss (nats) over consecutive ``seq``-byte windows of ``data``."""
    was_training = model.training
    model.eval()
    windows = data[: data.numel() // seq * seq].view(-1, seq)  # [W, T]
    loss = model(input_ids=windows, labels=windows).loss.item()
    model.train(was_training)
    return loss


def train(model: GPT2LMHeadModel, data: Tensor, *, steps: int, batch: int, seq: int, lr: float, seed: int = 0,
          log_every: int = 0) -> None:
    """``steps`` steps of next-byte prediction on random windows of ``data``."""
    opt = make_optimizer(model, lr=lr)  # AdamW for GPT-2's weights, row-wise sparse Adam for the expert tables
    dense = split_parameters(model)[0]  # clip these only: expert tables have sparse gradients
    generator = torch.Generator().manual_seed(seed)
    model.train()
    start = time.perf_counter()
    for step in range(1, steps + 1):
        x = random_windows(data, batch, seq, generator)  # [B, T]
        loss = model(input_ids=x, labels=x).loss  # GPT-2 shifts the labels itself
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(dense, 1.0)
        opt.step()
        if log_every and step % log_every == 0:
            rate = step * batch * seq / (time.perf_counter() - start)
            print(f"  step {step:4d}/{steps}  train loss {loss.item():.3f} nats/byte  ({rate:,.0f} bytes/s)")


def main(argv: list[str] | None = None) -> tuple[float, float]:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--steps", type=int, default=60)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--seq", type=int, default=64, help="bytes per window")
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--n-keys", type=int, default=128, help="sub-keys per half: n_keys**2 experts")
    args = p.parse_args(argv)
    torch.manual_seed(0)
    train_data, heldout = stdlib_source(400_000, 16_384)
    peer = PEERConfig(d_model=64, n_heads=4, top_k=8, n_keys=args.n_keys)  # query_norm='layer': causal
    model = gpt2_with_peer(peer)
    print(f"GPT-2 ({sum(p.numel() for p in model.parameters()):,} parameters), block 1's MLP replaced by "
          f"PEERLayer({model.transformer.h[1].mlp.extra_repr()})")
    start = heldout_loss(model, heldout, args.seq)
    print(f"held-out loss at start: {start:.3f} nats/byte (uniform over bytes: {math.log(256):.3f})")
    train(model, train_data, steps=args.steps, batch=args.batch, seq=args.seq, lr=args.lr,
          log_every=max(1, args.steps // 5))
    end = heldout_loss(model, heldout, args.seq)
    print(f"held-out loss after {args.steps} steps: {end:.3f} nats/byte (start {start:.3f})")
    return start, end


if __name__ == "__main__":
    main()
