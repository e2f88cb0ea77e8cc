"""The product's language model with a million experts per PEER layer: training step and scoring.

    OMP_NUM_THREADS=1 python benchmarks/million.py --threads 1
    python benchmarks/million.py --device cuda --steps 20

Builds the model a store made with ``peer init --config million`` trains as its first version
(:class:`continual.routed.RoutedModel` over the preset's :class:`trainer.model.LanguageModel`: d=256,
4 blocks, PEER in blocks 1 and 3 with 1024^2 experts each, 8 heads x top-16) and measures, each mode in
its own process (so each peak memory is its own: peak RSS on the CPU, peak allocated CUDA memory on a
GPU), on windows of Python standard-library source:

- step:   one training step as ``peer init --base-corpus`` runs it, without Lightning's loop: the
          LMModule's loss (cross-entropy + auxiliary losses), its optimizer (AdamW on dense weights,
          row-wise sparse Adam on the expert tables, the preset's learning rates) and its clipping of
          dense gradients, on the preset's batch (16 windows x 128 bytes)
- score:  ``peer score``'s path, :func:`continual.inference.score_documents` (routing, loss per
          document, no autograd) over 4 full batches of windows per call

Use ``--config`` for another preset or a config file (``peer init --config`` takes the same).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import sysconfig
from pathlib import Path

import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from continual.config import ContinualConfig  # noqa: E402
from continual.inference import score_documents  # noqa: E402
from continual.routed import RoutedModel  # noqa: E402
from continual.versions import peer_layers  # noqa: E402
from peer_store.errors import ConfigError  # noqa: E402
from processes import interleaved, medians, run_case, timed_steps  # noqa: E402
from trainer.data.tokenizer import ByteTokenizer  # noqa: E402
from trainer.model import LanguageModel  # noqa: E402
from trainer.module import LMModule, lm_loss  # noqa: E402

MODES = ("step", "score")
SOURCES = ["textwrap.py", "argparse.py", "enum.py", "dataclasses.py", "inspect.py", "typing.py"]
"""Standard-library files whose bytes are the text (real text that every Python install has)."""


def stdlib_bytes() -> bytes:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    return b"".join((stdlib / name).read_bytes() for name in SOURCES)


def measure(args, mode: str) -> dict:
    if args.threads:
        torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    config = ContinualConfig.from_preset_or_file(args.config)
    torch.manual_seed(config.seed)
    model = RoutedModel(LanguageModel(config.model)).to(device)
    text = torch.frombuffer(bytearray(stdlib_bytes()), dtype=torch.uint8).long()  # byte tokens
    gen = torch.Generator().manual_seed(0)

    if mode == "step":
        module = LMModule(config.model.to_dict(), vars(config.optim).copy(), max_steps=1000, module=model)
        optimizer = module.configure_optimizers()["optimizer"]
        width = config.seq_len + 1

        def one():
            starts = torch.randint(0, text.numel() - width, (config.batch_size,), generator=gen)
            batch = torch.stack([text[s : s + width] for s in starts.tolist()]).to(device)  # [B, S + 1]
            out = model(batch[:, :-1])
            (lm_loss(out, batch[:, 1:]) + out.aux_loss).backward()
            module.configure_gradient_clipping(optimizer)
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)

        tokens_per_call = config.batch_size * config.seq_len
    else:
        data, size = stdlib_bytes(), config.seq_len - 1  # a document and its end tokens fill one window
        documents = [data[i * size : (i + 1) * size] for i in range(4 * config.batch_size)]  # 4 full batches
        tokens_per_call = sum(len(d) + 1 for d in documents)  # targets: every byte and the closing end token

        def one():
            score_documents(model, ByteTokenizer(), documents, seq_len=config.seq_len, batch_size=config.batch_size)

    res = timed_steps(one, device, min_seconds=args.min_seconds, warmup=args.warmup, min_steps=args.steps)
    experts = [layer.memory.num_experts for _, layer in peer_layers(model.lm)]
    return {"tokens_per_s": tokens_per_call * res["steps"] / res["seconds"], "peak_bytes": res["peak_bytes"],
            "steps": res["steps"], "experts_per_peer_layer": experts,
            "parameters": sum(p.numel() for p in model.parameters())}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--config", default="million", help="a preset's name or a config file (as peer init --config)")
    p.add_argument("--modes", nargs="+", default=list(MODES), choices=MODES)
    p.add_argument("--device", default="cpu")
    p.add_argument("--steps", type=int, default=5, help="measured calls per mode (at least)")
    p.add_argument("--min-seconds", type=float, default=0.0)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--threads", type=int, default=0, help="torch threads per case (0: torch's default)")
    p.add_argument("--repeat", type=int, default=1, help="runs of every mode, interleaved; the median is shown")
    p.add_argument("--json", help="also write the results here")
    p.add_argument("--child", metavar="MODE", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        print(json.dumps(measure(args, args.child)))
        return

    def run_child(mode: str) -> dict:
        argv = [os.path.abspath(__file__), "--child", mode]
        for name in ("config", "device", "steps", "min_seconds", "warmup", "threads"):
            argv += [f"--{name.replace('_', '-')}", str(getattr(args, name))]
        return run_case(argv)

    try:
        config = ContinualConfig.from_preset_or_file(args.config)
    except ConfigError as error:
        p.error(str(error))
    m = config.model
    print(f"# product LM benchmark: config {args.config} (d_model={m.d_model}, {m.n_layers} blocks, PEER "
          f"{m.peer.n_heads} heads x top-{m.peer.top_k} of {m.peer.n_keys}^2 experts, d_key={m.peer.d_key}), "
          f"batch {config.batch_size} x {config.seq_len} tokens, device={args.device}, torch {torch.__version__}, "
          f"{args.threads or torch.get_num_threads()} threads, at least {args.steps} calls per mode, "
          f"median of {args.repeat}")
    runs = interleaved([(mode,) for mode in args.modes], run_child, args.repeat)
    rows = []
    print("\n| mode | tokens/s | peak memory | experts per PEER layer | parameters |")
    print("|---|---:|---:|---|---:|")
    for (mode,), results in runs.items():
        row = {"mode": mode, **medians(results, ("tokens_per_s", "peak_bytes"))}
        rows.append(row)
        if "error" in row:
            print(f"| {mode} | error: {row['error']} | | | |")
            continue
        first = row["runs"][0]
        experts = ", ".join(f"{n:,}" for n in first["experts_per_peer_layer"])
        print(f"| {mode} | {row['tokens_per_s']:,.0f} | {row['peak_bytes'] / 2**30:.2f} GiB | {experts} "
              f"| {first['parameters']:,} |")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"args": vars(args), "rows": rows}, f, indent=2)


if __name__ == "__main__":
    main()
