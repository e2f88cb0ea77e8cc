"""A store on a pretrained Hugging Face base: pretrain a small GPT-2, then grow it through the product.

1. ``pretrain``: a GPT-2-family model (``GPT2LMHeadModel``) with a byte-level BPE
   tokenizer trained locally (``tokenizers``) on a general mix of offline text
   (the standard library's Python source, pydoc reference prose, Debian's license
   texts), for a fixed wall-clock budget on one CPU thread. The result is saved
   with ``save_pretrained`` under ``~/.cache/peer-store/pretrained_base/`` (reused
   by later runs with the same settings), with the mix's held-out text beside it.
2. ``stream``: three corpora the methods were never tuned on (Shakespeare's plays,
   the system's C headers, English manual pages) through ``peer init --base-model
   --eval-corpus MIX`` and ``peer ingest`` with each method, then ``peer evaluate
   forgetting --json``: per method the forgetting of the general mix and of each
   corpus, each new corpus's bits per byte, and the seconds of each ingest.

    OMP_NUM_THREADS=1 python benchmarks/pretrained_base.py --minutes 12 --steps 60 --methods routed lora finetune
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from examples.continual_demo import (
    c_headers,
    licenses,
    manual_pages,
    python_source,
    reference_prose,
    shakespeare,
)

CACHE = Path(os.environ.get("PEER_STORE_CACHE", Path.home() / ".cache" / "peer-store")) / "pretrained_base"
MIX = {"python": python_source, "reference": reference_prose, "licenses": licenses}
STREAM = {"shakespeare": shakespeare, "c-headers": c_headers, "manpages": manual_pages(None)}


def texts_of(folder: Path) -> list[str]:
    """Every document of a source folder or JSONL file, as text."""
    files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else [folder]
    out = []
    for path in files:
        raw = path.read_text(encoding="utf-8", errors="replace")
        out += [json.loads(line)["text"] for line in raw.splitlines() if line] if path.suffix == ".jsonl" else [raw]
    return out


def build_sources(builders: dict, dest: Path, budget: int) -> dict[str, Path]:
    """Each source that is available, ``budget`` bytes of it, under ``dest``."""
    out = {}
    for name, build in builders.items():
        target = dest / (f"{name}.jsonl" if build is reference_prose else name)
        if target.exists() or build(target, budget) is not None:
            out[name] = target
    return out


def pretrain(args: argparse.Namespace) -> Path:
    """The pretrained base's folder (trained now unless the cache has it)."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

    key = hashlib.sha256(json.dumps([args.width, args.layers, args.vocab, args.minutes, args.mix_bytes]).encode())
    folder = CACHE / key.hexdigest()[:12]
    if (folder / "model" / "config.json").is_file():
        return folder
    mix = build_sources(MIX, folder / "mix", args.mix_bytes)
    docs = [d for p in mix.values() for d in texts_of(p)]
    random.Random(0).shuffle(docs)
    cut = max(1, len(docs) // 20)
    heldout, train = docs[:cut], docs[cut:]
    (folder / "general.jsonl").write_text("".join(json.dumps({"text": d}) + "\n" for d in heldout))

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(train, trainers.BpeTrainer(
        vocab_size=args.vocab, special_tokens=["<|endoftext|>"], initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False))
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|endoftext|>", bos_token="<|endoftext|>")
    ids = torch.tensor([i for d in train for i in tok.encode(d).ids + [fast.eos_token_id]])  # [N]
    config = GPT2Config(vocab_size=tok.get_vocab_size(), n_positions=256, n_embd=args.width, n_layer=args.layers,
                        n_head=max(1, args.width // 64), bos_token_id=fast.eos_token_id, eos_token_id=fast.eos_token_id)
    torch.manual_seed(0)
    model = GPT2LMHeadModel(config)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    seq, batch, started, step = 128, 16, time.perf_counter(), 0
    gen = torch.Generator().manual_seed(0)
    while time.perf_counter() - started < args.minutes * 60:
        starts = torch.randint(0, ids.numel() - seq - 1, (batch,), generator=gen)
        x = torch.stack([ids[s:s + seq + 1] for s in starts.tolist()])  # [B, S + 1]
        lr = 1e-3 * min(1.0, (step + 1) / 50)
        for g in opt.param_groups:
            g["lr"] = lr
        logits = model(x[:, :-1]).logits  # [B, S, V]
        loss = torch.nn.functional.cross_entropy(logits.flatten(0, 1), x[:, 1:].flatten())
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        if step % 50 == 0:
            print(f"pretrain step {step} loss {loss.item():.3f} ({time.perf_counter() - started:.0f} s)", flush=True)
    model.save_pretrained(folder / "model")
    fast.save_pretrained(folder / "model")
    (folder / "pretrain.json").write_text(json.dumps({
        "steps": step, "tokens": step * batch * seq, "train_tokens": ids.numel(), "last_loss": loss.item(),
        "seconds": time.perf_counter() - started, "parameters": sum(p.numel() for p in model.parameters()),
        "threads": torch.get_num_threads(), "sources": sorted(mix)}, indent=1))
    return folder


def peer(*args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "cli", *args], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise SystemExit(f"peer {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def bits_matrix(store: Path) -> dict[int, dict[str, float]]:
    """``{version: {corpus: held-out bits per byte}}`` as the store recorded them."""
    from peer_store.db import Store

    out: dict[int, dict[str, float]] = {}
    with Store.open(store) as opened:
        for number, e in opened.evaluations():
            if e.split == "heldout":
                out.setdefault(number, {})[e.corpus] = e.bits_per_byte
    return out


def run_stream(base: Path, method: str, corpora: dict[str, Path], args: argparse.Namespace, work: Path) -> dict:
    """One method through init, three ingests and the forgetting report; forgetting in bits per byte (last
    version minus the best earlier one, from the version that learnt the corpus on)."""
    store, config = work / method, work / "settings.json"
    config.write_text(json.dumps({"optim": {"lr": args.lr, "warmup_steps": 10}, "steps": args.steps}))
    peer("init", str(store), "--base-model", str(base / "model"), "--method", method, "--config", str(config),
         "--eval-corpus", str(base / "general.jsonl"), "--json")
    seconds = {}
    for name, path in corpora.items():
        out = json.loads(peer("ingest", str(path), "--store", str(store), "--name", name, "--json"))
        seconds[name] = round(out["wall_seconds"], 1)
    report = json.loads(peer("evaluate", "forgetting", "--store", str(store), "--json"))
    bits = bits_matrix(store)
    last = max(bits)
    learnt = {c: report["learnt_at"][c] for c in report["corpora"]}
    forgetting = {c: round(bits[last][c] - min(bits[v][c] for v in bits if learnt[c] <= v < last), 4)
                  for c in report["corpora"] if learnt[c] < last}
    new_bits = {c: round(bits[learnt[c]][c], 4) for c in report["corpora"]}
    return {"seconds_per_ingest": seconds, "forgetting_bits_per_byte": forgetting,
            "bits_per_byte_when_learnt": new_bits, "final_bits_per_byte": {c: round(b, 4) for c, b in bits[last].items()},
            "forgetting_nats_per_token": report["forgetting"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=12.0, help="pretraining wall-clock budget")
    parser.add_argument("--width", type=int, default=256)
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--vocab", type=int, default=4096)
    parser.add_argument("--mix-bytes", type=int, default=3_000_000, help="bytes of each general source")
    parser.add_argument("--stream-bytes", type=int, default=600_000, help="bytes of each stream corpus")
    parser.add_argument("--steps", type=int, default=60, help="training steps of each ingest")
    parser.add_argument("--lr", type=float, default=1e-3, help="learning rate of every ingest (every method)")
    parser.add_argument("--methods", nargs="+", default=["routed", "lora", "finetune"])
    parser.add_argument("--pretrain-only", action="store_true")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "pretrained_base_cpu.json")
    args = parser.parse_args()
    base = pretrain(args)
    print(f"base: {base / 'model'}  {(base / 'pretrain.json').read_text()}", flush=True)
    if args.pretrain_only:
        return
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        corpora = build_sources(STREAM, work / "corpora", args.stream_bytes)
        for method in args.methods:  # each method's result is written as soon as it is known
            results[method] = run_stream(base, method, corpora, args, work)
            args.out.write_text(json.dumps({"pretrain": json.loads((base / "pretrain.json").read_text()),
                                            "steps": args.steps, "lr": args.lr, "methods": results}, indent=1))
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
