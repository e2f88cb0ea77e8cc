"""The embedded-default demo: grow a PEER memory across two real text domains.

A tiny byte-level model (embedding -> PEER layer -> output head, next-byte
prediction over a short causal window) is trained on Python source from the
standard library, then its memory is frozen and grown by a shell whose new
sub-keys are k-means centroids of the new domain's queries, and it is trained
on the standard library's reference prose (pydoc topics). It prints what it
did at each stage: losses on both domains, where each domain's retrievals
land, and the save -> load round trip of the memory files.

    python examples/memory_demo.py [--steps 150] [--out memory-demo-store]
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import sysconfig
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from peer_store import PEERConfig, PEERLayer, load_memory, make_optimizer, save_memory  # noqa: E402
from peer_store.index import kmeans_sub_keys  # noqa: E402

CONTEXT = 8  # bytes of left context per prediction


def python_source(limit: int) -> bytes:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    out = bytearray()
    for path in sorted(stdlib.glob("*.py")):
        out += path.read_bytes()
        if len(out) >= limit:
            break
    return bytes(out[:limit])


def reference_prose(limit: int) -> bytes:
    try:
        from pydoc_data.topics import topics
    except ImportError:  # some distributions strip pydoc_data: fall back to docstrings
        import ast

        stdlib = Path(sysconfig.get_paths()["stdlib"])
        docs = []
        for path in sorted(stdlib.glob("*.py"))[:200]:
            tree = ast.parse(path.read_text(errors="replace"))
            docs += [ast.get_docstring(n) or "" for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
        return "\n".join(docs).encode()[:limit]
    return "\n".join(topics[k] for k in sorted(topics)).encode()[:limit]


class ByteModel(nn.Module):
    """Embeds a window of CONTEXT bytes, one PEER layer as the FFN, predicts the next byte."""

    def __init__(self, d_model: int, peer: PEERConfig):
        super().__init__()
        self.embed = nn.Embedding(256, d_model)
        self.pos = nn.Parameter(torch.randn(CONTEXT, d_model) * 0.02)
        self.mix = nn.Linear(CONTEXT * d_model, d_model)
        self.norm = nn.LayerNorm(d_model)
        self.peer = PEERLayer(peer)
        self.head = nn.Linear(d_model, 256)

    def hidden(self, windows: torch.Tensor) -> torch.Tensor:
        e = self.embed(windows) + self.pos  # [B, C, d]
        return self.norm(self.mix(e.flatten(1)))  # [B, d]

    def forward(self, windows: torch.Tensor) -> torch.Tensor:
        h = self.hidden(windows)
        return self.head(h + self.peer(h))  # [B, 256]


def batches(data: torch.Tensor, batch: int, gen: torch.Generator):
    while True:
        starts = torch.randint(0, data.numel() - CONTEXT - 1, (batch,), generator=gen)
        idx = starts[:, None] + torch.arange(CONTEXT + 1)
        chunk = data[idx]
        yield chunk[:, :CONTEXT], chunk[:, CONTEXT]


@torch.no_grad()
def evaluate(model: ByteModel, data: torch.Tensor, n: int = 4096) -> float:
    model.eval()
    gen = torch.Generator().manual_seed(1234)
    x, y = next(batches(data, n, gen))
    loss = F.cross_entropy(model(x), y).item()
    model.train()
    return loss / math.log(2)  # bits per byte


@torch.no_grad()
def share_in_shell(model: ByteModel, data: torch.Tensor, shell: int, n: int = 2048) -> float:
    model.eval()
    x, _ = next(batches(data, n, torch.Generator().manual_seed(99)))
    ids = model.peer.retrieve(model.hidden(x)).ids
    offset = model.peer.memory.offsets[shell]
    end = offset + model.peer.memory.segments[shell].num_experts
    model.train()
    return ((ids >= offset) & (ids < end)).float().mean().item()


def train(model: ByteModel, data: torch.Tensor, steps: int, label: str, seed: int) -> None:
    opt = make_optimizer(model, lr=3e-3, weight_decay=0.0)
    gen = torch.Generator().manual_seed(seed)
    it = batches(data, 256, gen)
    start = time.perf_counter()
    for step in range(1, steps + 1):
        x, y = next(it)
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if step % max(1, steps // 5) == 0 or step == steps:
            rate = step * 256 / (time.perf_counter() - start)
            print(f"  [{label}] step {step:4d}/{steps}  loss {loss.item() / math.log(2):.3f} bits/byte  ({rate:,.0f} tokens/s)")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--steps", type=int, default=150, help="training steps per domain")
    p.add_argument("--n-keys", type=int, default=32, help="sub-keys per half of the first grid and of the shell that grows it")
    p.add_argument("--bytes", type=int, default=400_000, help="bytes of text per domain")
    p.add_argument("--out", default="memory-demo-store", help="folder the memory files are written to")
    args = p.parse_args()
    torch.manual_seed(0)
    code = torch.tensor(list(python_source(args.bytes)), dtype=torch.long)
    prose = torch.tensor(list(reference_prose(args.bytes)), dtype=torch.long)
    print(f"domains: Python source {code.numel():,} bytes, Python reference prose {prose.numel():,} bytes")

    cfg = PEERConfig(d_model=64, n_heads=4, top_k=8, n_keys=args.n_keys, query_norm="layer")
    model = ByteModel(64, cfg)
    mem = model.peer.memory
    print(f"1. memory: one grid, {mem.num_experts:,} experts (h={cfg.n_heads}, k={cfg.top_k})")
    train(model, code, args.steps, "code", seed=1)
    before = {"code": evaluate(model, code), "prose": evaluate(model, prose)}
    print(f"   held-out bits/byte: code {before['code']:.3f}, prose {before['prose']:.3f}")

    mem.freeze()
    frozen = {k: v.clone() for k, v in mem.segments[0].state_dict().items()}
    with torch.no_grad():
        x, _ = next(batches(prose, 4 * args.n_keys * 8, torch.Generator().manual_seed(5)))
        queries = model.peer.queries(model.hidden(x))
    mem.grow(args.n_keys, sub_keys=kmeans_sub_keys(queries, args.n_keys))
    print(f"2. froze the grid, grew it by a shell (k-means keys from {queries.shape[0]:,} prose queries): "
          f"{mem.num_experts:,} experts")
    print(f"   share of retrievals in the new shell before training: prose {share_in_shell(model, prose, 1):.0%}, "
          f"code {share_in_shell(model, code, 1):.0%}")
    train(model, prose, args.steps, "prose", seed=2)
    after = {"code": evaluate(model, code), "prose": evaluate(model, prose)}
    print(f"   held-out bits/byte: code {after['code']:.3f} (was {before['code']:.3f}), "
          f"prose {after['prose']:.3f} (was {before['prose']:.3f})")
    print(f"   share of retrievals in the new shell after training: prose {share_in_shell(model, prose, 1):.0%}, "
          f"code {share_in_shell(model, code, 1):.0%}")
    same = all(torch.equal(v, frozen[k]) for k, v in mem.segments[0].state_dict().items())
    print(f"   frozen shell bit-identical after training: {same}")

    out = Path(args.out)
    manifest = save_memory(mem, out)
    loaded = load_memory(out)
    files = ", ".join(f"{e['file'][:12]}… ({e['bytes'] / 1e6:.1f} MB)" for e in manifest["segments"])
    equal = all(torch.equal(a, b) for a, b in zip(mem.state_dict().values(), loaded.state_dict().values())
                if isinstance(a, torch.Tensor))
    print(f"3. saved to {out}{os.sep}: {files}; reloaded with sha256 checks, bit-identical: {equal}")


if __name__ == "__main__":
    main()
