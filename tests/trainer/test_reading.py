"""Reading a corpus with limits: decompressed bytes, links out of a folder, fifos and devices, binary text,
lone surrogates, and file names that are not UTF-8."""

from __future__ import annotations

import gzip
import io
import json
import os
import tracemalloc

import pytest
from hypothesis import given, settings, strategies as st

from trainer.data import Corpus, ReadLimits, source_path, source_text
from trainer.data.reading import read_stdin
from trainer.errors import CorpusError

MiB = 2**20


def peak_bytes(work) -> int:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_gzip_bomb_stops_at_the_limit_without_expanding(tmp_path):
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b"a" * (64 * MiB), compresslevel=9))  # ~64 KiB on disk
    corpus = Corpus([bomb], limits=ReadLimits(max_bytes=4 * MiB))

    def read():
        with pytest.raises(CorpusError, match=r"holds more than 4,194,304 bytes \(after decompression\)"):
            list(corpus.records())

    assert peak_bytes(read) < 12 * MiB  # the 64 MiB are never held


def test_the_limit_is_per_corpus_and_exact(tmp_path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_bytes(b"x" * 600)
    assert sum(len(r.data) for r in Corpus([tmp_path], limits=ReadLimits(max_bytes=1200)).records()) == 1200
    with pytest.raises(CorpusError, match="holds more than 1,199 bytes"):
        list(Corpus([tmp_path], limits=ReadLimits(max_bytes=1199)).records())
    with pytest.raises(CorpusError, match="holds more than 1,199 bytes"):
        Corpus([tmp_path], limits=ReadLimits(max_bytes=1199)).fingerprint()


def test_standard_input_is_read_with_a_bound():
    assert read_stdin(ReadLimits(max_bytes=10), io.BytesIO(b"x" * 10)) == b"x" * 10
    with pytest.raises(CorpusError, match="standard input holds more than 10 bytes"):
        read_stdin(ReadLimits(max_bytes=10), io.BytesIO(b"x" * 11))
    with pytest.raises(CorpusError, match="standard input holds more than 10 bytes"):
        Corpus(["-"], stdin=b"x" * 11, limits=ReadLimits(max_bytes=10))


def test_fingerprinting_a_text_file_streams_it(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"line of text\n" * (3 * MiB))  # 39 MiB
    corpus = Corpus([big])
    assert peak_bytes(corpus.fingerprint) < 8 * MiB
    assert corpus.fingerprint() == Corpus([big]).fingerprint()


def test_fifos_and_devices_are_refused(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    for source in (fifo, "/dev/zero"):
        with pytest.raises(CorpusError, match="is not a regular file"):
            Corpus([source])


def test_a_link_out_of_a_folder_is_refused_unless_followed(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("secret records\n")
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("inside\n")
    (folder / "again.txt").symlink_to(folder / "a.txt")  # a link that stays inside is read
    (folder / "leak.txt").symlink_to(outside)
    with pytest.raises(CorpusError, match=r"leak.txt is a symbolic link out of .*--follow-links"):
        Corpus([folder])
    assert len(Corpus([folder], limits=ReadLimits(follow_links=True)).files) == 3
    (folder / "leak.txt").unlink()
    assert len(Corpus([folder]).files) == 2


@pytest.mark.parametrize("content,suffix", [(b"text\x00more", ".txt"), (b'{"text": "a\\u0000b"}\n', ".jsonl")])
def test_binary_text_is_refused_however_it_is_read(tmp_path, content, suffix):
    path = tmp_path / f"blob{suffix}"
    path.write_bytes(content)
    for read in (lambda c: list(c.records()), lambda c: c.fingerprint()):
        with pytest.raises(CorpusError, match="looks binary"):
            read(Corpus([path]))


def test_a_lone_surrogate_in_jsonl_is_one_line(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text('{"text": "fine"}\n{"text": "\\ud800 abc"}\n')
    with pytest.raises(CorpusError, match=r"s.jsonl:2: the text holds a lone surrogate escape"):
        list(Corpus([path]).records())
    path.write_text('{"text": "byte \\udcff kept"}\n')  # how a snapshot keeps a byte that is not UTF-8
    assert [r.data for r in Corpus([path]).records()] == [b"byte \xff kept"]


def test_a_deeply_nested_jsonl_line_is_one_line(tmp_path):
    path = tmp_path / "deep.jsonl"
    path.write_text("[" * 100_000 + "]" * 100_000 + "\n")
    with pytest.raises(CorpusError, match="deep.jsonl:1: not a JSON object"):
        list(Corpus([path]).records())


@settings(max_examples=60, deadline=None)
@given(st.binary(min_size=1, max_size=40).filter(lambda b: b"/" not in b and b"\x00" not in b
                                                  and b not in (b".", b"..")))
def test_any_file_name_survives_the_registry_text(tmp_path_factory, name):
    folder = tmp_path_factory.mktemp("names")
    path = os.fsdecode(os.path.join(os.fsencode(folder), name))
    text = source_text(path)
    text.encode("utf-8")  # storable
    assert source_path(text) == path
    with open(path, "wb") as f:
        f.write(b"some text\n")
    assert [r.data for r in Corpus([text]).records()] == [b"some text\n"]


LINES = st.one_of(
    st.binary(max_size=30),
    st.text(max_size=20).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.builds(lambda v: json.dumps({"text": v}).encode(), st.text(max_size=20) | st.integers() | st.none()),
    st.sampled_from([b'{"text": "\\ud800"}', b'{"text": "\\udcff"}', b"[" * 3000, b'{"text": 1e999}', b"\xff\xfe"]),
)


@settings(max_examples=80, deadline=None)
@given(lines=st.lists(LINES, max_size=6), suffix=st.sampled_from([".txt", ".jsonl", ".txt.gz", ".jsonl.gz"]))
def test_any_corpus_content_is_read_or_refused_in_one_line(tmp_path_factory, lines, suffix):
    path = tmp_path_factory.mktemp("content") / f"c{suffix}"
    data = b"\n".join(lines)
    path.write_bytes(gzip.compress(data) if suffix.endswith(".gz") else data)
    try:
        corpus = Corpus([path], limits=ReadLimits(max_bytes=4096))
        records = list(corpus.records())
        fingerprint = corpus.fingerprint() if records else None
    except CorpusError as error:
        assert "\n" not in str(error) and str(error)
        return
    assert all(r.data and b"\x00" not in r.data for r in records)
    assert fingerprint is None or len(fingerprint) == 64
