"""Corpus sources: text files, directories, globs, JSONL, gzip of those, and stdin.

A corpus is a list of sources resolved once to an ordered list of files; the
files are read lazily, one at a time, whenever documents are iterated.

- a file: one record (its whole content); ``.gz`` is decompressed
- ``*.jsonl`` / ``*.jsonl.gz`` (or ``format='jsonl'``): one record per line, the
  string under ``text_field``
- a directory: every file below it (recursive, sorted) whose path relative to
  the directory matches an ``include`` glob and no ``exclude`` glob
- a glob (``*``, ``?``, ``[``, ``**``): the matching files, sorted; ``exclude`` globs
  match the path below the pattern's first directory with a glob character
- ``-``: standard input, read once into memory when the corpus is opened (a
  stream cannot be read again for the next epoch or by other workers)

Records are cut into documents of at most ``doc_bytes`` at line boundaries,
so one big file still splits into train and held-out parts. Text stays bytes:
the byte tokenizer handles any encoding.
"""

from __future__ import annotations

import fnmatch
import glob
import gzip
import hashlib
import json
import random
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from trainer.errors import CorpusError

FORMATS = ("auto", "text", "jsonl")
_GLOB_CHARS = set("*?[")


@dataclass(frozen=True)
class Document:
    name: str
    """Where it came from: ``path``, ``path:line`` for JSONL, ``#i`` for the i-th piece."""
    data: bytes


def _matches(rel: str, patterns: Sequence[str]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(name, p) for p in patterns)


def _glob_base(pattern: Path) -> Path:
    """The leading directories of a glob that hold no glob characters (excludes match below it)."""
    parts = []
    for part in pattern.parts:
        if _GLOB_CHARS & set(part):
            break
        parts.append(part)
    return Path(*parts) if parts else Path(".")


def resolve_sources(
    sources: Sequence[str | Path], *, include: Sequence[str] = ("*",), exclude: Sequence[str] = ()
) -> list[str]:
    """Files of every source in order (``-`` stays ``-``); raises CorpusError for a missing path
    or a source that matches no file."""
    if not sources:
        raise CorpusError("no corpus sources given; pass a file, a directory, a glob, or '-' for stdin")
    files: list[str] = []
    for source in sources:
        src = str(source)
        if src == "-":
            files.append("-")
            continue
        path = Path(src).expanduser()
        try:
            kind = "file" if path.is_file() else "dir" if path.is_dir() else None
        except OSError as error:  # a name too long for the file system, a folder that cannot be searched
            shown = src if len(src) <= 80 else f"{src[:80]}… ({len(src)} characters)"
            raise CorpusError(f"corpus source {shown!r} cannot be looked up ({error.strerror.lower()}); "
                              "check the path") from None
        if kind == "file":
            files.append(str(path))
        elif kind == "dir":
            found = sorted(
                str(p)
                for p in path.rglob("*")
                if p.is_file()
                and _matches(p.relative_to(path).as_posix(), include)
                and not _matches(p.relative_to(path).as_posix(), exclude)
            )
            if not found:
                raise CorpusError(
                    f"directory {src} has no files matching include={list(include)} exclude={list(exclude)}; "
                    "check the globs"
                )
            files.extend(found)
        elif _GLOB_CHARS & set(src):
            base = _glob_base(path)
            found = sorted(
                p
                for p in glob.glob(str(path), recursive=True)
                if Path(p).is_file() and not _matches(Path(p).relative_to(base).as_posix(), exclude)
            )
            if not found:
                raise CorpusError(f"glob {src!r} matches no files; check the pattern and the current directory")
            files.extend(found)
        else:
            raise CorpusError(f"corpus source {src} does not exist; check the path")
    return files


def split_lines(data: bytes, limit: int) -> Iterator[bytes]:
    """Pieces of at most ``limit`` bytes, cut after a newline where there is one."""
    start = 0
    while start < len(data):
        end = start + limit
        if end < len(data):
            cut = data.rfind(b"\n", start, end)
            end = cut + 1 if cut >= start else end
        yield data[start:end]
        start = end


class Corpus:
    """Sources resolved to files; documents read lazily. Picklable (DataLoader workers get a copy)."""

    def __init__(
        self,
        sources: Sequence[str | Path],
        *,
        include: Sequence[str] = ("*",),
        exclude: Sequence[str] = (),
        format: str = "auto",
        text_field: str = "text",
        doc_bytes: int = 65536,
        stdin: bytes | None = None,
    ):
        if format not in FORMATS:
            raise CorpusError(f"corpus format must be one of {FORMATS}, got {format!r}")
        if doc_bytes < 1:
            raise CorpusError(f"doc_bytes must be positive, got {doc_bytes}")
        self.files = resolve_sources(sources, include=include, exclude=exclude)
        self.format, self.text_field, self.doc_bytes = format, text_field, doc_bytes
        self._stdin = None
        if "-" in self.files:
            self._stdin = stdin if stdin is not None else sys.stdin.buffer.read()
        if all(f != "-" and Path(f).stat().st_size == 0 for f in self.files) and not self._stdin:
            raise CorpusError(f"corpus {self.describe()} is empty (0 bytes); give it some text")

    def describe(self) -> str:
        shown = ", ".join(self.files[:3]) + (f" and {len(self.files) - 3} more" if len(self.files) > 3 else "")
        return f"[{shown}]"

    # -- reading ---------------------------------------------------------------------------------
    def _read(self, file: str) -> bytes:
        if file == "-":
            return self._stdin or b""
        try:
            raw = Path(file).read_bytes()
            return gzip.decompress(raw) if file.endswith(".gz") else raw
        except (OSError, EOFError) as e:  # BadGzipFile is an OSError
            raise CorpusError(f"cannot read corpus file {file}: {e}") from None

    def _is_jsonl(self, file: str) -> bool:
        if self.format != "auto":
            return self.format == "jsonl"
        return file.removesuffix(".gz").endswith(".jsonl")

    def records(self, order_seed: int | None = None) -> Iterator[Document]:
        """Whole records (a file, or a JSONL line's text) in file order, or in a file order
        shuffled by ``order_seed``."""
        files = list(self.files)
        if order_seed is not None:
            random.Random(order_seed).shuffle(files)
        for file in files:
            yield from self.file_records(file)

    def file_records(self, file: str) -> Iterator[Document]:
        """The records of one of :attr:`files`."""
        data = self._read(file)
        if not self._is_jsonl(file):
            if data:
                yield Document(file, data)
            return
        for lineno, line in enumerate(data.splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as e:
                raise CorpusError(f"{file}:{lineno}: not a JSON object ({e})") from None
            text = record.get(self.text_field) if isinstance(record, dict) else None
            if not isinstance(text, str):
                raise CorpusError(
                    f"{file}:{lineno}: no string field {self.text_field!r}; set text_field to the field "
                    "that holds the text"
                )
            if text:
                yield Document(f"{file}:{lineno}", text.encode("utf-8", errors="surrogateescape"))

    def documents(self, order_seed: int | None = None) -> Iterator[Document]:
        """Records cut into documents of at most ``doc_bytes`` (the unit of the train/held-out split)."""
        for record in self.records(order_seed):
            if len(record.data) <= self.doc_bytes:
                yield record
                continue
            for i, piece in enumerate(split_lines(record.data, self.doc_bytes)):
                yield Document(f"{record.name}#{i}", piece)

    def fingerprint(self) -> str:
        """sha256 (hex) of the content: the sorted sha256 digests of every record, hashed.

        Independent of paths, file order and ``doc_bytes``; two corpora with the same
        records (as a multiset) have the same fingerprint."""
        digests = sorted(hashlib.sha256(r.data).digest() for r in self.records())
        if not digests:
            raise CorpusError(f"corpus {self.describe()} has no text")
        h = hashlib.sha256()
        for d in digests:
            h.update(d)
        return h.hexdigest()


class MemoryCorpus(Corpus):
    """A corpus read once into memory, its records kept by the file they came from: reading it again costs
    no I/O, and it orders, cuts and fingerprints its documents exactly as the corpus it was read from."""

    def __init__(self, groups: list[list[Document]], *, doc_bytes: int, label: str):
        if doc_bytes < 1:
            raise CorpusError(f"doc_bytes must be positive, got {doc_bytes}")
        self.groups, self.doc_bytes, self.label = groups, doc_bytes, label
        self.files = [str(i) for i in range(len(groups))]  # one per group: the same shuffles as the source

    @classmethod
    def read(cls, corpus: Corpus) -> MemoryCorpus:
        """Every record of ``corpus``, read once."""
        return cls([list(corpus.file_records(f)) for f in corpus.files], doc_bytes=corpus.doc_bytes,
                   label=corpus.describe())

    def describe(self) -> str:
        return self.label

    def file_records(self, file: str) -> Iterator[Document]:
        return iter(self.groups[int(file)])


def is_heldout(data: bytes, fraction: float) -> bool:
    """Deterministic split by content hash: the document is held out when the first 8 bytes
    of its sha256, read as a fraction of 2**64, fall below ``fraction``."""
    return int.from_bytes(hashlib.sha256(data).digest()[:8], "big") < fraction * 2**64
