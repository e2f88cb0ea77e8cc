"""Bounded input at the command line: refusals that come before torch loads, standard input and score input
with a bound, binary input refused by score as by ingest, and a file name that is not UTF-8 ingested."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from peer_store.db import Store
from tests.helpers.cli import one_line_error, peer
from tests.helpers.processes import peer_env
from trainer.data import source_path

# Runs `peer ARGS` and says on stderr's last line whether torch was imported by the time it ended.
WITH_TORCH_CHECK = (
    "import sys\nfrom cli.main import app\ntry:\n    app(prog_name='peer', args=sys.argv[1:])\n"
    "finally:\n    print('torch imported' if 'torch' in sys.modules else 'torch not imported', file=sys.stderr)\n"
)


def run_peer(*args, stdin: bytes = b"") -> tuple[subprocess.CompletedProcess, float]:
    """The finished process and the CPU seconds it used (not wall time: the machine may be busy)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, "-c", WITH_TORCH_CHECK, *map(str, args)], input=stdin, env=peer_env(),
                          capture_output=True, timeout=120)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return done, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


@pytest.mark.slow
def test_bad_input_is_refused_before_torch_loads(store, tmp_path):
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "token").write_text("secret-token\n")
    cases = [
        (["ingest", tmp_path / "nope.txt", "--store", store], "does not exist"),
        (["ingest", tmp_path / "pipe", "--store", store], "is not a regular file"),
        (["ingest", "-", "--max-corpus-bytes", "1000", "--store", store], "standard input holds more than 1,000"),
        (["ingest", tmp_path / "pipe", "--name", " bad", "--store", store], "pick another --name"),
        (["score", "-", "--max-bytes", "1000", "--store", store], "standard input holds more than 1,000"),
        (["rollback", "99", "--store", store], "99"),
        (["distill", "--version", "99", "--width", "32", "--store", store], "99"),
        (["distill", "--version", "1", "--width", "32", "--alpha", "2", "--store", store], "--alpha"),
        (["distill", "--version", "1", "--width", "0", "--store", store], "--width must be a positive"),
        (["distill", "--version", "1", "--width", "32", "--steps", "0", "--store", store], "--steps must be"),
        (["serve", "--host", "0.0.0.0", "--store", store], "refusing to serve on 0.0.0.0 without a token"),
        (["serve", "--auth-reads", "--store", store], "--auth-reads needs --token-file"),
    ]
    for args, expected in cases:
        done, seconds = run_peer(*args, stdin=b"x" * 5000)
        lines = done.stderr.decode().strip().splitlines()
        assert done.returncode != 0 and lines[-1] == "torch not imported", (args, done.stderr)
        assert len(lines) == 2 and lines[0].startswith("error: ") and expected in lines[0], (args, lines)
        assert seconds < 3, (args, seconds)  # importing torch alone takes about 5 s of CPU


def test_score_refuses_binary_input_and_input_over_its_bound(store, tmp_path):
    blob = tmp_path / "random.bin"
    blob.write_bytes(os.urandom(200_000) + b"\x00")
    one_line_error(peer("score", blob, "--store", store), "looks binary")
    big = tmp_path / "big.txt"
    big.write_bytes(b"some text\n" * 20_000)
    one_line_error(peer("score", big, "--max-bytes", "100000", "--store", store), "holds more than 100,000 bytes")
    one_line_error(peer("score", "-", "--max-bytes", "100", "--store", store, input=b"x" * 101),
                   "standard input holds more than 100 bytes (after decompression); split it, or raise --max-bytes")
    result = peer("score", "-", "--max-bytes", "100", "--store", store, "--json", input=b"x" * 100)
    assert result.exit_code == 0, result.output


def test_score_streams_long_input_in_batches(store, tmp_path, monkeypatch):
    import continual.inference

    monkeypatch.setattr(continual.inference, "SCORE_BATCH_BYTES", 4096)
    seen: list[int] = []
    real = continual.inference.score_documents

    def counting(model, tokenizer, documents, **kwargs):
        seen.append(sum(len(d.data) for d in documents))
        return real(model, tokenizer, documents, **kwargs)

    monkeypatch.setattr(continual.inference, "score_documents", counting)
    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(12):
        (folder / f"{i:02d}.txt").write_bytes(b"def f(x):\n    return x\n" * 60)  # 1,380 bytes each
    with Store.open(store) as opened:
        _, scores = continual.inference.score(opened, folder)
    assert sum(s.bytes for s in scores) == sum(seen) == 12 * 1380, seen  # every byte scored once
    assert len(seen) >= 4 and max(seen) < 4096 + 1380, seen  # in batches of about 4096 bytes


@pytest.mark.slow
def test_a_file_name_that_is_not_utf8_is_ingested_and_kept_exactly(store, text_corpora, tmp_path):
    path = Path(os.fsdecode(os.path.join(os.fsencode(tmp_path), b"caf\xe9 \xff.txt")))
    path.write_bytes(text_corpora["code"].read_bytes().replace(b"def", b"fun"))
    result = peer("ingest", path, "--steps", "2", "--store", store)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    with Store.open(store) as opened:
        (record,) = [c for c in opened.corpora() if c.name != "code"]
    assert source_path(record.source) == str(path.resolve())


def test_a_deeply_nested_manifest_is_one_line(store):
    (store / "store.json").write_text("[" * 100_000 + "]" * 100_000)
    one_line_error(peer("versions", "--store", store), "store.json is corrupted")


def test_db_upgrade_refuses_a_registry_that_lost_its_tables(store):
    (store / "registry.db").write_bytes(b"")
    one_line_error(peer("db", "upgrade", "--store", store), "is empty: it has no schema and no rows")
    assert (store / "registry.db").stat().st_size == 0  # nothing was made in its place


def test_versions_naming_no_version_is_refused(store):
    for value in ("", ",,,"):
        one_line_error(peer("evaluate", "forgetting", "--versions", value, "--store", store), "names no version")
