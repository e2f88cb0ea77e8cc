"""Build the accumulation study's streams: folders of whole files, one per corpus, and a stream file per stream.

Tuning streams (the candidates were compared and the decision threshold chosen on these only):

- ``tune-same``: the Python standard library (modules and subpackages, no tests), 6 slices: slice ``k`` takes
  every 6th file starting at ``k``, whole files until ``--bytes``.
- ``tune-look``: Python source of three projects from the venv (sqlalchemy, rich, click).

Held-out streams (written down before any measurement; looked at only in the final product check):

- ``held-same``: Perl modules (/usr/share/perl5 and /usr/lib/x86_64-linux-gnu/perl*), 6 slices of every 6th file.
- ``held-look``: C headers of three projects (/usr/include/linux, X11, openssl).

    python reports/accumulation/streams.py /tmp/accum/streams [--bytes 400000]
"""
import argparse
import sysconfig
from pathlib import Path

SITE = Path(sysconfig.get_paths()["purelib"])
STDLIB = Path(sysconfig.get_paths()["stdlib"])


def python_stdlib() -> list[Path]:
    return sorted(p for p in STDLIB.rglob("*.py")
                  if "test" not in p.relative_to(STDLIB).as_posix() and "site-packages" not in p.parts
                  and p.is_file())


def perl_modules() -> list[Path]:
    roots = [Path("/usr/share/perl5"), *Path("/usr/lib/x86_64-linux-gnu").glob("perl*")]
    return sorted({p for r in roots for p in r.rglob("*.pm") if p.is_file() and not p.is_symlink()})


def tree(root: Path, suffix: str) -> list[Path]:
    return sorted(p for p in root.rglob(f"*{suffix}") if p.is_file() and "test" not in p.relative_to(root).as_posix())


def copy_until(files: list[Path], dest: Path, budget: int) -> int:
    dest.mkdir(parents=True, exist_ok=True)
    total = 0
    for i, path in enumerate(files):
        data = path.read_bytes()
        if b"\0" in data:
            continue
        (dest / f"{i:05d}-{path.name}").write_bytes(data)
        total += len(data)
        if total >= budget:
            break
    return total


def slices(files: list[Path], n: int = 6) -> list[list[Path]]:
    return [files[k::n] for k in range(n)]


STREAMS = {
    "tune-same": lambda: [(f"py{k + 1}", s) for k, s in enumerate(slices(python_stdlib()))],
    "tune-look": lambda: [(name, tree(SITE / name, ".py")) for name in ("sqlalchemy", "rich", "click")],
    "held-same": lambda: [(f"perl{k + 1}", s) for k, s in enumerate(slices(perl_modules()))],
    "held-look": lambda: [(name.lower(), tree(Path("/usr/include") / name, ".h")) for name in ("linux", "X11", "openssl")],
}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out", type=Path)
    p.add_argument("--bytes", type=int, default=400_000, help="bytes per corpus (whole files, about)")
    p.add_argument("--streams", default=",".join(STREAMS))
    args = p.parse_args()
    for stream in args.streams.split(","):
        lines = []
        for name, files in STREAMS[stream]():
            size = copy_until(files, args.out / stream / name, args.bytes)
            lines.append(f"{name} = {stream}/{name}")
            print(f"{stream}/{name}: {size:,} bytes")
        (args.out / f"{stream}.txt").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
