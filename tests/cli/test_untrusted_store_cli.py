"""`peer fsck` and `peer gc` on a tampered store: one line on stderr, exit 1, and the file outside survives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from peer_store.db import Store, session_scope
from peer_store.db.models import Corpus as CorpusRow
from peer_store.db.models import Segment as SegmentRow
from tests.helpers.registry import tiny_segment

PRECIOUS = b"someone else's file\n"


@pytest.fixture
def tampered(tmp_path: Path) -> Path:
    """A store with one ready version whose registry has a segment row naming ``../outside.bin``."""
    path = tmp_path / "store"
    with Store.create(path) as store:
        with store.new_version(kind="init") as draft:
            draft.commit(segments=[store.put_segment(tiny_segment(1), layer=0)])
        with session_scope(store.engine) as s:
            s.add(SegmentRow(store_id=store.store_id, layer=0, n_keys=2, n_experts=4, frozen=True,
                             file="../outside.bin", sha256="0" * 64, bytes=3))
    (tmp_path / "outside.bin").write_bytes(PRECIOUS)
    return path


def refused(args: list[str], pattern: str) -> None:
    result = CliRunner().invoke(app, args, env={"PEER_HOME": None, "PEER_DB_URL": None})
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and pattern in lines[0], result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("command", [["fsck"], ["gc", "--dry-run"], ["gc"]])
def test_a_row_naming_a_file_outside_is_refused_in_one_line(tampered, command):
    refused([*command, "--store", str(tampered)], "names the file '../outside.bin', which is not inside")
    assert (tampered.parent / "outside.bin").read_bytes() == PRECIOUS


@pytest.mark.parametrize("command", [["fsck"], ["gc"]])
def test_a_linked_lock_is_refused_in_one_line(tampered, command):
    (tampered / "lock").unlink()
    os.symlink(tampered.parent / "outside.bin", tampered / "lock")
    refused([*command, "--store", str(tampered)], "is a symbolic link")
    assert (tampered.parent / "outside.bin").read_bytes() == PRECIOUS


@pytest.mark.parametrize("command", [["fsck"], ["gc", "--dry-run"], ["gc"]])
def test_a_corpus_fingerprint_naming_a_file_outside_is_refused_in_one_line(tmp_path, command):
    """A fingerprint names its corpus's snapshot (``corpora/<sha256>.jsonl.gz``); edited into ``../../x`` it is
    refused before fsck reports on, or gc deletes, anything by it."""
    path = tmp_path / "deep" / "store"
    with Store.create(path) as store:
        with store.new_version(kind="init") as draft:
            draft.commit(segments=[store.put_segment(tiny_segment(1), layer=0)])
        with session_scope(store.engine) as s:
            s.add(CorpusRow(store_id=store.store_id, name="docs", source="docs.txt", sha256="../../x", bytes=3,
                            tokens=4, documents=1))
    (tmp_path / "x.jsonl.gz").write_bytes(PRECIOUS)
    (path / "corpora" / "kept.jsonl.gz").write_bytes(PRECIOUS)  # a file gc would delete as unreferenced
    refused([*command, "--store", str(path)], "names the file 'corpora/../../x.jsonl.gz', which is not inside")
    assert (tmp_path / "x.jsonl.gz").read_bytes() == PRECIOUS
    assert (path / "corpora" / "kept.jsonl.gz").read_bytes() == PRECIOUS
