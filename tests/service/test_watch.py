"""`peer watch` as a real subprocess: corpora dropped into a folder become versions in name order, once each;
a file being written is not read half-way; a restart after kill -9 repeats nothing."""

from __future__ import annotations

import shutil
import sysconfig
import time
from pathlib import Path

import pytest

from peer_store.db import Store, fsck
from peer_store.db.jobs import jobs
from service.jobs import JobRunner
from service.watch import Watcher
from tests.service.conftest import Peer, wait_for

pytestmark = pytest.mark.slow  # every test drives a real `peer` process

STDLIB = Path(sysconfig.get_paths()["stdlib"])


def registry(store: Path):
    """(corpora in order, {corpus: [job states, oldest first]}, versions' (number, status, corpus))."""
    with Store.open(store) as opened:
        by_corpus: dict[str, list[str]] = {}
        for job in reversed(jobs(opened)):
            by_corpus.setdefault(job.corpus, []).append(job.state)
        return ([c.name for c in opened.corpora()], by_corpus,
                [(v.number, v.status, v.corpus) for v in opened.versions()])


def test_watch_ingests_new_corpora_once_in_name_order(copy_store, text_corpora, tmp_path, peers):
    store, inbox = copy_store(), tmp_path / "inbox"
    inbox.mkdir()
    watch = ["watch", str(inbox), "--interval", "0.6", "--steps", "3", "--store", str(store)]
    peers.append(first := Peer(watch, tmp_path / "watch.log"))

    shutil.copytree(text_corpora["prose"], inbox / ".a-prose")  # a folder, moved in whole
    (inbox / ".a-prose").rename(inbox / "a-prose")
    shutil.copy(text_corpora["more"], inbox / "b-more.jsonl.gz")
    wait_for(lambda: len(registry(store)[0]) == 3, "two corpora to become versions", timeout=180, every=0.2)
    third = (STDLIB / "argparse.py").read_bytes()[:20_000]
    with open(inbox / "c-third.txt", "wb") as out:  # to an idle watcher, in pieces, never still for an interval
        for piece in range(5):
            out.write(third[piece * 4000:(piece + 1) * 4000])
            out.flush()
            time.sleep(0.25)
    wait_for(lambda: len(registry(store)[0]) == 4, "the third corpus to become a version", timeout=180, every=0.2)
    corpora, by_corpus, versions = registry(store)
    assert corpora == ["code", "a-prose", "b-more", "c-third"]
    assert versions[1:] == [(2, "ready", "a-prose"), (3, "ready", "b-more"), (4, "ready", "c-third")]
    assert by_corpus == {"a-prose": ["done"], "b-more": ["done"], "c-third": ["done"]}
    with Store.open(store) as opened:
        assert opened.find_corpus(name="c-third").bytes == len(third)  # the whole file, not a half

    first.kill()  # kill -9; then a watcher starts again on the same folder and store, here in this process

    said: list[str] = []
    with Store.open(store) as opened:
        runner = JobRunner(opened)
        assert runner.recover() == []  # nothing was left running
        again = Watcher(inbox, runner, interval=0.05, say=said.append)
        assert again.scan() == []  # a first look: everything is new to this watcher
        time.sleep(0.1)
        assert again.scan() == []  # stable now, and each corpus is known by its fingerprint
    assert sorted(line for line in said if "already ingested" in line) == [
        "a-prose: already ingested as corpus 'a-prose'", "b-more.jsonl.gz: already ingested as corpus 'b-more'",
        "c-third.txt: already ingested as corpus 'c-third'"]
    assert registry(store) == (corpora, by_corpus, versions)  # no job, no version: nothing repeated
    with Store.open(store) as opened:
        assert fsck(opened).ok
    assert "Traceback" not in first.said()
