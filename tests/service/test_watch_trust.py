"""What a watch folder may make the watcher read: nothing outside it, no fifo, nothing over the limit; and a
file name that is not UTF-8 becomes a version whose registry row names it exactly."""

from __future__ import annotations

import gzip
import os
import time

import pytest

from peer_store.db import Store
from service.jobs import JobRunner
from service.watch import Watcher
from trainer.data import ReadLimits, source_path


def scan_until_quiet(watcher: Watcher) -> list:
    """Scans until every entry has been handled (an entry is read once it has been still for an interval)."""
    ran = watcher.scan()
    time.sleep(0.1)
    return ran + watcher.scan()


@pytest.mark.slow  # trains a version
def test_the_watcher_stays_inside_its_folder(copy_store, text_corpora, tmp_path):
    store, inbox = copy_store(), tmp_path / "inbox"
    inbox.mkdir()
    secret = tmp_path / "secret.jsonl"
    secret.write_text("".join(f'{{"text": "secret record {i} {"x" * 60}"}}\n' for i in range(200)))
    (inbox / "a-secret.jsonl").symlink_to(secret)
    (inbox / "b-etc").symlink_to("/etc")
    os.mkfifo(inbox / "c-pipe.txt")
    (inbox / "d-bomb.txt.gz").write_bytes(gzip.compress(b"text " * 400_000))  # 2 MB when read
    name = os.fsdecode(b"e-caf\xe9-\xff.txt")  # Latin-1 bytes: not UTF-8
    (inbox / name).write_bytes(b"".join(p.read_bytes() for p in sorted(text_corpora["prose"].glob("*.txt"))))
    said: list[str] = []
    with Store.open(store) as opened:
        runner = JobRunner(opened, limits=ReadLimits(max_bytes=1_000_000))
        runner.start()
        try:
            watcher = Watcher(inbox, runner, interval=0.05, steps=2, say=said.append)
            jobs = scan_until_quiet(watcher)
        finally:
            runner.stop(timeout=30)
        corpora = {c.name: c for c in opened.corpora()}
    text = "\n".join(said)
    assert "skipping a-secret.jsonl: it is a symbolic link out of the watched folder" in text
    assert text.count("skipping b-etc: it is a symbolic link out of the watched folder") == 1  # once, not per scan
    assert "d-bomb.txt.gz] holds more than 1,000,000 bytes" in text
    assert [job.state for job in jobs] == ["done"], said
    assert set(corpora) == {"code", "e-caf"}, corpora
    assert source_path(corpora["e-caf"].source) == str((inbox / name).resolve())
    assert not any("secret" in line for c in corpora.values() for line in (c.source, c.name))
