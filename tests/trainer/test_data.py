"""Corpus sources, the held-out split, packing, sharding over workers and ranks, fingerprints."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import sys

import numpy as np
import pytest
import torch

from peer_store.errors import PeerError
from trainer.data import ByteTokenizer, Corpus, PackedStream, is_heldout, make_loader, resolve_sources
from trainer.data.sources import split_lines
from trainer.errors import CorpusError


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "b").mkdir()
    (tmp_path / "a" / "one.py").write_text("print(1)\n")
    (tmp_path / "a" / "b" / "two.py").write_text("print(2)\n")
    (tmp_path / "a" / "b" / "notes.txt").write_text("notes\n")
    (tmp_path / "a" / "b" / "test_x.py").write_text("assert x\n")
    return tmp_path


def texts(corpus: Corpus) -> list[bytes]:
    return [d.data for d in corpus.documents()]


# -- sources -----------------------------------------------------------------------------------
def test_directory_is_recursive_with_include_and_exclude(tree):
    files = resolve_sources([tree / "a"], include=["*.py"], exclude=["test_*"])
    assert [f.removeprefix(str(tree)) for f in files] == ["/a/b/two.py", "/a/one.py"]
    assert len(resolve_sources([tree / "a"])) == 4
    assert resolve_sources([tree / "a"], include=["b/*.txt"]) == [str(tree / "a/b/notes.txt")]


def test_glob_and_file_sources(tree):
    files = resolve_sources([str(tree / "a" / "**" / "*.py")], exclude=["*test_*"])
    assert files == [str(tree / "a/b/two.py"), str(tree / "a/one.py")]
    assert texts(Corpus([tree / "a" / "one.py"])) == [b"print(1)\n"]


@pytest.mark.parametrize(
    "source,kwargs,message",
    [
        ("missing.txt", {}, "does not exist"),
        ("a", {"include": ["*.rs"]}, "no files matching"),
        ("a/**/*.rs", {}, "matches no files"),
    ],
)
def test_clear_errors_for_bad_sources(tree, source, kwargs, message):
    with pytest.raises(CorpusError, match=message) as info:
        Corpus([str(tree / source)], **kwargs)
    assert isinstance(info.value, PeerError)
    assert "\n" not in str(info.value)


def test_empty_corpus_and_no_sources(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(CorpusError, match="empty"):
        Corpus([tmp_path / "empty.txt"])
    with pytest.raises(CorpusError, match="no corpus sources"):
        Corpus([])


def test_jsonl_text_field_and_gzip(tmp_path):
    lines = [{"text": "héllo"}, {"text": "world", "id": 2}, {"text": ""}]
    body = "\n".join(json.dumps(r) for r in lines) + "\n\n"
    (tmp_path / "d.jsonl").write_text(body)
    (tmp_path / "d.jsonl.gz").write_bytes(gzip.compress(body.encode()))
    (tmp_path / "t.txt.gz").write_bytes(gzip.compress(b"zipped text"))
    assert texts(Corpus([tmp_path / "d.jsonl"])) == ["héllo".encode(), b"world"]
    assert texts(Corpus([tmp_path / "d.jsonl.gz"])) == ["héllo".encode(), b"world"]
    assert texts(Corpus([tmp_path / "t.txt.gz"])) == [b"zipped text"]
    (tmp_path / "other.jsonl").write_text(json.dumps({"body": "x"}) + "\n")
    assert texts(Corpus([tmp_path / "other.jsonl"], text_field="body")) == [b"x"]
    with pytest.raises(CorpusError, match=r"other.jsonl:1: no string field 'text'"):
        texts(Corpus([tmp_path / "other.jsonl"]))
    (tmp_path / "bad.jsonl").write_text('{"text": "ok"}\n{oops\n')
    with pytest.raises(CorpusError, match=r"bad.jsonl:2: not a JSON object"):
        texts(Corpus([tmp_path / "bad.jsonl"]))
    (tmp_path / "broken.gz").write_bytes(b"not gzip at all")
    with pytest.raises(CorpusError, match="cannot read"):
        texts(Corpus([tmp_path / "broken.gz"]))


def test_stdin_is_read_once(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"from stdin \xff\n")))
    corpus = Corpus(["-"])
    assert texts(corpus) == [b"from stdin \xff\n"]
    assert texts(corpus) == [b"from stdin \xff\n"]  # a second epoch sees the same text
    assert texts(Corpus(["-"], stdin=b"given")) == [b"given"]


def test_long_records_are_cut_at_line_boundaries(tmp_path):
    data = b"".join(b"line %d\n" % i for i in range(100))
    pieces = list(split_lines(data, 50))
    assert b"".join(pieces) == data
    assert all(len(p) <= 50 and p.endswith(b"\n") for p in pieces)
    assert list(split_lines(b"x" * 25, 10)) == [b"x" * 10, b"x" * 10, b"x" * 5]  # no newline: hard cut
    (tmp_path / "big.txt").write_bytes(data)
    docs = list(Corpus([tmp_path / "big.txt"], doc_bytes=50).documents())
    assert docs[1].name.endswith("big.txt#1") and b"".join(d.data for d in docs) == data


# -- tokenizer, split, fingerprint -------------------------------------------------------------
def test_byte_tokenizer_round_trips_any_bytes():
    tok = ByteTokenizer()
    data = bytes(range(256))
    ids = tok.encode(data)
    assert ids.dtype == np.int64 and ids.tolist() == list(range(256))
    assert tok.decode([*ids.tolist(), tok.eos_id]) == data
    assert tok.vocab_size == 257


def test_heldout_split_is_deterministic_disjoint_and_near_the_fraction():
    docs = [b"doc %d" % i for i in range(4000)]
    held = [d for d in docs if is_heldout(d, 0.1)]
    assert held == [d for d in docs if is_heldout(d, 0.1)]
    assert 0.085 < len(held) / len(docs) < 0.115
    assert all(is_heldout(d, 0.2) for d in held)  # nested: growing the fraction only adds documents
    assert not any(is_heldout(d, 0.0) for d in docs)
    expected = int.from_bytes(hashlib.sha256(b"doc 0").digest()[:8], "big") < 0.1 * 2**64
    assert is_heldout(b"doc 0", 0.1) == expected


def test_fingerprint_is_sha256_of_content(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "1.txt").write_bytes(b"alpha")
    (tmp_path / "x" / "2.txt").write_bytes(b"beta")
    (tmp_path / "y.txt.gz").write_bytes(gzip.compress(b"beta"))
    (tmp_path / "z.txt").write_bytes(b"alpha")
    fp = Corpus([tmp_path / "x"]).fingerprint()
    digests = sorted(hashlib.sha256(t).digest() for t in (b"alpha", b"beta"))
    assert fp == hashlib.sha256(b"".join(digests)).hexdigest()
    assert Corpus([tmp_path / "y.txt.gz", tmp_path / "z.txt"]).fingerprint() == fp  # paths, order, gzip
    assert Corpus([tmp_path / "x"], doc_bytes=2).fingerprint() == fp
    (tmp_path / "z.txt").write_bytes(b"alphA")
    assert Corpus([tmp_path / "y.txt.gz", tmp_path / "z.txt"]).fingerprint() != fp


# -- packing and sharding ----------------------------------------------------------------------
@pytest.fixture
def corpus(tmp_path):
    for i in range(12):
        (tmp_path / f"f{i:02d}.txt").write_bytes(b"file %d: " % i + bytes(range(i * 7 % 200 + 1, 201)))
    return Corpus([tmp_path], doc_bytes=64)


def test_packing_covers_the_token_stream_once(corpus):
    stream = PackedStream(corpus, ByteTokenizer(), seq_len=16, split="all")
    tokens = np.concatenate(list(stream.tokens(0)))
    windows = [w.tolist() for w in stream]
    assert all(len(w) == 17 for w in windows)
    targets = [t for w in windows for t in w[1:]]
    assert targets == tokens[1 : 1 + len(targets)].tolist()
    assert len(tokens) - 1 - len(targets) < 16  # only a short tail is dropped
    assert (tokens == 256).sum() == len(list(corpus.documents()))  # one end-of-document each


def test_train_and_heldout_partition_the_documents(corpus):
    tok = ByteTokenizer()
    train = PackedStream(corpus, tok, seq_len=8, split="train", heldout_fraction=0.3)
    held = PackedStream(corpus, tok, seq_len=8, split="heldout", heldout_fraction=0.3)
    n_train, n_held = (sum(len(t) for t in s.tokens(0)) for s in (train, held))
    n_all = sum(len(d.data) + 1 for d in corpus.documents())
    assert n_train + n_held == n_all and n_held > 0 and n_train > n_held


@pytest.mark.parametrize("world,workers,batch", [(1, 1, 1), (2, 1, 2), (2, 3, 2), (3, 2, 1)])
def test_shards_partition_the_windows(corpus, world, workers, batch):
    tok = ByteTokenizer()
    full = [w.tolist() for w in PackedStream(corpus, tok, seq_len=16, split="all")]
    shards = []
    for rank in range(world):
        for worker in range(workers):
            stream = PackedStream(corpus, tok, seq_len=16, split="all", batch_size=batch)
            stream.placement = lambda r=rank, w=worker: (r, world, w, workers)  # as worker w of rank r
            shards.append([w.tolist() for w in stream])
    assert sorted(w for s in shards for w in s) == sorted(full)
    assert max(map(len, shards)) - min(map(len, shards)) <= batch


def test_dataloader_workers_split_the_stream(corpus):
    tok = ByteTokenizer()
    full = [w.tolist() for w in PackedStream(corpus, tok, seq_len=16, split="all")]
    stream = PackedStream(corpus, tok, seq_len=16, split="all", rank=0, world_size=1)
    batches = list(torch.utils.data.DataLoader(stream, batch_size=None, num_workers=2))
    assert [b.tolist() for b in batches] == full  # each window once, in the single-process order


@pytest.mark.parametrize("world,workers", [(2, 0), (2, 2)])
def test_global_batches_do_not_depend_on_ranks_and_workers(corpus, world, workers):
    """Step s of `world` ranks with batch 2 (each rank's DataLoader with `workers` workers) is
    exactly the batch of 2 * world windows a single process reads at step s."""
    tok = ByteTokenizer()
    kw = dict(seq_len=16, split="all", repeat=True, shuffle=True, seed=1)
    one = PackedStream(corpus, tok, batch_size=2 * world, rank=0, world_size=1, **kw)
    batches_one = list(itertools_islice(make_loader(one, batch_size=2 * world), 5))
    per_rank = []
    for rank in range(world):
        s = PackedStream(corpus, tok, batch_size=2, rank=rank, world_size=world, **kw)
        per_rank.append(list(itertools_islice(make_loader(s, batch_size=2, num_workers=workers), 5)))
    for step in range(5):
        assert torch.equal(torch.cat([r[step] for r in per_rank]), batches_one[step])


def itertools_islice(iterable, n):
    import itertools

    return itertools.islice(iter(iterable), n)


@pytest.mark.parametrize("workers", [0, 2])
def test_skip_batches_resumes_the_stream(corpus, workers):
    tok = ByteTokenizer()
    kw = dict(seq_len=8, split="all", repeat=True, shuffle=True, seed=3, batch_size=2, rank=0, world_size=1)
    full = list(itertools_islice(make_loader(PackedStream(corpus, tok, **kw), batch_size=2, num_workers=workers), 9))
    resumed = PackedStream(corpus, tok, skip_batches=5, **kw)
    tail = list(itertools_islice(make_loader(resumed, batch_size=2, num_workers=workers), 4))
    for a, b in zip(full[5:], tail):
        assert torch.equal(a, b)


def test_repeat_shuffles_file_order_per_epoch(corpus):
    stream = PackedStream(corpus, ByteTokenizer(), seq_len=8, split="all", shuffle=True, seed=0)
    first, second = (np.concatenate(list(stream.tokens(e))) for e in (0, 1))
    assert len(first) == len(second) and not np.array_equal(first, second)
    assert np.array_equal(first, np.concatenate(list(stream.tokens(0))))


def test_empty_split_raises(tmp_path):
    (tmp_path / "t.txt").write_bytes(b"short")
    stream = PackedStream(Corpus([tmp_path / "t.txt"]), ByteTokenizer(), seq_len=64, split="all")
    with pytest.raises(CorpusError, match="no window of 65 tokens"):
        list(stream)


def test_loader_batch_must_match_the_stream(corpus):
    stream = PackedStream(corpus, ByteTokenizer(), seq_len=8, split="all", batch_size=4)
    with pytest.raises(ValueError, match="batch_size=2"):
        make_loader(stream, batch_size=2)
