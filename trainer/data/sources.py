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

Limits (:class:`trainer.data.reading.ReadLimits`): a corpus holds at most
``max_bytes`` after decompression, refused as soon as a read passes it; a link
below a directory that ends outside it is refused unless ``follow_links``
(links to directories are never descended); fifos, sockets and devices are refused; text
with NUL bytes is refused as binary, however it was read.

Records are cut into documents of at most ``doc_bytes`` at line boundaries,
so one big file still splits into train and held-out parts. Text stays bytes:
the byte tokenizer handles any encoding.
"""

from __future__ import annotations

import fnmatch
import glob
import hashlib
import json
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from trainer.data.reading import (
    Budget, ReadLimits, leaves, read_bounded, read_chunks, read_stdin, shown,
    source_path,
)
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
    sources: Sequence[str | Path], *, include: Sequence[str] = ("*",), exclude: Sequence[str] = (),
    follow_links: bool = False,
) -> list[str]:
    """Files of every source in order (``-`` stays ``-``; a ``file://`` URI of :func:`source_text` is its path);
    raises CorpusError for a missing path, a source that matches no file, one that is not a regular file, or a
    link out of a directory (unless ``follow_links``)."""
    if not sources:
        raise CorpusError("no corpus sources given; pass a file, a directory, a glob, or '-' for stdin")
    files: list[str] = []
    for source in sources:
        src = source_path(str(source))
        if src == "-":
            files.append("-")
            continue
        path = Path(src).expanduser()
        try:
            kind = "file" if path.is_file() else "dir" if path.is_dir() else "other" if path.exists() else None
        except OSError as error:  # a name too long for the file system, a folder that cannot be searched
            raise CorpusError(f"corpus source {shown(src)!r} cannot be looked up ({error.strerror.lower()}); "
                              "check the path") from None
        if kind == "file":
            files.append(str(path))
        elif kind == "dir":
            files.extend(_folder_files(path, include, exclude, follow_links))
        elif kind == "other":
            raise CorpusError(f"corpus source {shown(src)} is not a regular file (a fifo, socket or device); "
                              "peer reads text from files, folders and standard input")
        elif _GLOB_CHARS & set(src):
            base = _glob_base(path)
            found = sorted(
                p
                for p in glob.glob(str(path), recursive=True)
                if Path(p).is_file() and not _matches(Path(p).relative_to(base).as_posix(), exclude)
            )
            if not found:
                raise CorpusError(f"glob {shown(src)!r} matches no files; check the pattern and the current directory")
            files.extend(found)
        else:
            raise CorpusError(f"corpus source {shown(src)} does not exist; check the path")
    return files


def _folder_files(folder: Path, include: Sequence[str], exclude: Sequence[str], follow_links: bool) -> list[str]:
    """The files below ``folder`` that the globs pick, sorted; a link among them that ends outside the folder
    is refused unless ``follow_links``."""
    found = []
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if not p.is_file() or not _matches(rel, include) or _matches(rel, exclude):
            continue
        if not follow_links and leaves(p, folder):
            raise CorpusError(f"{shown(str(p))} is a symbolic link out of {shown(str(folder))}; peer does not "
                              "follow links out of a folder: pass --follow-links to read it, or remove the link")
        found.append(str(p))
    if not found:
        raise CorpusError(
            f"directory {shown(str(folder))} has no files matching include={list(include)} exclude={list(exclude)}; "
            "check the globs"
        )
    return found


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
        limits: ReadLimits = ReadLimits(),
    ):
        if format not in FORMATS:
            raise CorpusError(f"corpus format must be one of {FORMATS}, got {format!r}")
        if doc_bytes < 1:
            raise CorpusError(f"doc_bytes must be positive, got {doc_bytes}")
        self.max_bytes, self._option = limits.max_bytes, limits.option
        self.files = resolve_sources(sources, include=include, exclude=exclude, follow_links=limits.follow_links)
        self.format, self.text_field, self.doc_bytes = format, text_field, doc_bytes
        self._stdin = None
        if "-" in self.files:
            if stdin is not None:
                Budget(self.max_bytes, "standard input", self._option).take(len(stdin))
            self._stdin = stdin if stdin is not None else read_stdin(limits)
        if all(f != "-" and Path(f).stat().st_size == 0 for f in self.files) and not self._stdin:
            raise CorpusError(f"corpus {self.describe()} is empty (0 bytes); give it some text")

    def describe(self) -> str:
        shown_files = ", ".join(shown(f) for f in self.files[:3])
        return f"[{shown_files}" + (f" and {len(self.files) - 3} more]" if len(self.files) > 3 else "]")

    # -- reading ---------------------------------------------------------------------------------
    def _is_jsonl(self, file: str) -> bool:
        if self.format != "auto":
            return self.format == "jsonl"
        return file.removesuffix(".gz").endswith(".jsonl")

    def by_file(self, order_seed: int | None = None) -> Iterator[tuple[str, list[Document]]]:
        """Each file and its records, in file order or in a file order shuffled by ``order_seed``; the files
        together may hold at most ``max_bytes``."""
        files = list(self.files)
        if order_seed is not None:
            random.Random(order_seed).shuffle(files)
        budget = self._budget()
        for file in files:
            yield file, list(self._parse(file, self._bytes(file, budget)))

    def _budget(self) -> Budget:
        return Budget(self.max_bytes, f"corpus {self.describe()}", self._option)

    def _bytes(self, file: str, budget: Budget) -> bytes:
        if file != "-":
            return read_bounded(file, budget)
        budget.take(len(self._stdin or b""))
        return self._stdin or b""

    def records(self, order_seed: int | None = None) -> Iterator[Document]:
        """Whole records (a file, or a JSONL line's text) in file order, or in a file order
        shuffled by ``order_seed``."""
        for _, records in self.by_file(order_seed):
            yield from records

    def _parse(self, file: str, data: bytes) -> Iterator[Document]:
        """The records of one file's bytes, refusing binary ones."""
        name = "standard input" if file == "-" else shown(file, limit=200)
        if not self._is_jsonl(file):
            if data:
                yield _text(Document(file, data), name)
            return
        for lineno, line in enumerate(data.splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except (ValueError, RecursionError) as e:
                raise CorpusError(f"{name}:{lineno}: not a JSON object ({str(e)[:200]})") from None
            text = record.get(self.text_field) if isinstance(record, dict) else None
            if not isinstance(text, str):
                raise CorpusError(
                    f"{name}:{lineno}: no string field {self.text_field!r}; set text_field to the field "
                    "that holds the text"
                )
            try:  # \udc80-\udcff stand for bytes that are not UTF-8 (as write_snapshot keeps them)
                data = text.encode("utf-8", errors="surrogateescape")
            except UnicodeEncodeError as e:
                raise CorpusError(f"{name}:{lineno}: the text holds a lone surrogate escape "
                                  f"({text[e.start]!r}), which is not a character; fix or drop the line") from None
            if data:
                yield _text(Document(f"{file}:{lineno}", data), f"{name}:{lineno}")

    def documents(self, order_seed: int | None = None) -> Iterator[Document]:
        """Records cut into documents of at most ``doc_bytes`` (the unit of the train/held-out split)."""
        for record in self.records(order_seed):
            if len(record.data) <= self.doc_bytes:
                yield record
                continue
            for i, piece in enumerate(split_lines(record.data, self.doc_bytes)):
                yield Document(f"{record.name}#{i}", piece)

    def _digests(self) -> Iterator[bytes]:
        """sha256 of every record. A text file is hashed as it streams, never held whole in memory."""
        budget = self._budget()
        for file in self.files:
            if file == "-" or self._is_jsonl(file):
                records = list(self._parse(file, self._bytes(file, budget)))
                yield from (hashlib.sha256(r.data).digest() for r in records)
                continue
            h, size = hashlib.sha256(), 0
            for chunk in read_chunks(file, budget):
                if b"\x00" in chunk:
                    raise _binary(shown(file, limit=200))
                h.update(chunk)
                size += len(chunk)
            if size:
                yield h.digest()

    def fingerprint(self) -> str:
        """sha256 (hex) of the content: the sorted sha256 digests of every record, hashed.

        Independent of paths, file order and ``doc_bytes``; two corpora with the same
        records (as a multiset) have the same fingerprint."""
        digests = sorted(self._digests())
        if not digests:
            raise CorpusError(f"corpus {self.describe()} has no text")
        h = hashlib.sha256()
        for d in digests:
            h.update(d)
        return h.hexdigest()


def _binary(name: str) -> CorpusError:
    return CorpusError(f"{name} looks binary (it holds NUL bytes); peer reads text: pass text files, or narrow a "
                       "directory with --include")


def _text(record: Document, name: str) -> Document:
    if b"\x00" in record.data:
        raise _binary(name)
    return record


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
        return cls([records for _, records in corpus.by_file()], doc_bytes=corpus.doc_bytes,
                   label=corpus.describe())

    def describe(self) -> str:
        return self.label

    def by_file(self, order_seed: int | None = None) -> Iterator[tuple[str, list[Document]]]:
        files = list(self.files)
        if order_seed is not None:
            random.Random(order_seed).shuffle(files)
        return ((file, self.groups[int(file)]) for file in files)

    def _digests(self) -> Iterator[bytes]:
        return (hashlib.sha256(r.data).digest() for r in self.records())


def is_heldout(data: bytes, fraction: float) -> bool:
    """Deterministic split by content hash: the document is held out when the first 8 bytes
    of its sha256, read as a fraction of 2**64, fall below ``fraction``."""
    return int.from_bytes(hashlib.sha256(data).digest()[:8], "big") < fraction * 2**64
