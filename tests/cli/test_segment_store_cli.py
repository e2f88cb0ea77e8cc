"""A store made before shells (``tests/fixtures/segment_store``: segment files, registry schema 0005, made by
that code) is upgraded, scored as that code scored it, ingested into (its last grid grows by a shell, nothing
is rewritten) and scored again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from peer_store.db import Store, fsck
from tests.helpers.cli import one_line_error, peer

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "segment_store"


def losses(store: Path, corpus: Path) -> list[float]:
    result = peer("score", corpus, "--store", store, "--json")
    assert result.exit_code == 0, result.output
    return [doc["loss"] for doc in json.loads(result.stdout)["documents"]]


def test_a_segment_store_is_upgraded_scored_and_ingested_into(tmp_path):
    store = tmp_path / "store"
    shutil.copytree(FIXTURE / "store", store)
    before = {p.name for p in (store / "segments").iterdir()}
    one_line_error(peer("score", FIXTURE / "prose.txt", "--store", store), "peer db upgrade")
    assert peer("db", "upgrade", "--store", store).exit_code == 0
    want = json.loads((FIXTURE / "scores.json").read_text())
    for name in ("code", "prose"):  # the old code's losses: one grid per segment searches as the segments did
        assert losses(store, FIXTURE / f"{name}.txt") == pytest.approx(want[name], rel=1e-5)
    news = tmp_path / "news.txt"
    news.write_text((FIXTURE / "prose.txt").read_text()[::-1])  # a corpus the store has not seen
    ingest = peer("ingest", news, "--steps", "2", "--store", store)
    assert ingest.exit_code == 0 and "version 3 ready" in ingest.stdout, ingest.output
    with Store.open(store) as opened:
        refs = opened.segments(3)
        assert [r.frozen for r in refs] == [True, True, False]
        assert refs[2].n_experts == 2 * 8 * refs[2].n_keys + refs[2].n_keys**2
        shell = opened.load_segment(refs[2])
        assert shell.start == 8  # the last grid (version 2's segment) grew
        assert fsck(opened).ok
    after = {p.name for p in (store / "segments").iterdir()}
    assert before < after and len(after - before) == 1  # only the new shell was written
    assert all(loss > 0 for loss in losses(store, news))
