"""The continual procedures: init, ingest (freeze, grow, train, evaluate, commit), rollback, generate,
and the forgetting report, on tiny models and small real corpora."""

from __future__ import annotations

import gzip
import json
import math
import shutil
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from peer_store.db import CorpusRecord, EvaluationRecord, IngestRecord, Store, fsck
from peer_store.db.errors import StoreLocked, VersionStateError
from peer_store.errors import ConfigError
from tests.conftest import tiny_continual_config
from tests.helpers.registry import tiny_segment
from continual import ingest as ingest_module
from continual.config import ContinualConfig
from continual.forgetting import evaluate_forgetting, missing_evaluations
from continual.heldout import fill_evaluations
from continual.inference import generate
from continual.ingest import check_corpus, create_store, ingest, rollback
from continual.training import evaluate_corpora
from continual.versions import load_version, open_registered, snapshot_path
from trainer.errors import CorpusError, DuplicateCorpus


@pytest.fixture(scope="module")
def grown(tmp_path_factory, text_corpora) -> Path:
    """A store of three versions and three routes: init on code, ingest prose, ingest more (with replay; more
    prose, which would continue prose's route, is given a route of its own)."""
    path = tmp_path_factory.mktemp("grown") / "store"
    store, first = create_store(path, config=tiny_continual_config(), base_corpus=text_corpora["code"])
    with store:
        assert first.version.number == 1 and first.version.kind == "init"
        ingest(store, text_corpora["prose"], name="prose", include=["*.txt"])
        ingest(store, text_corpora["more"], replay=0.5, keys=4, new_route=True)
    return path


@pytest.fixture
def copy_of(grown, tmp_path) -> Path:
    dest = tmp_path / "store"
    shutil.copytree(grown, dest)
    return dest


def test_versions_grow_one_frozen_segment_per_layer(grown):
    with Store.open(grown) as store:
        history = store.versions()
        assert [(v.number, v.status, v.kind, v.corpus) for v in history] == [
            (1, "ready", "init", "code"), (2, "ready", "ingest", "prose"), (3, "ready", "ingest", "more")]
        segs = {n: store.segments(n) for n in (1, 2, 3)}
        # The one PEER block (block 1) holds 1, 2, 3 segments; all but the newest are frozen.
        assert [(s.layer, s.n_keys, s.frozen) for s in segs[1]] == [(1, 8, False)]
        assert [(s.layer, s.n_keys, s.frozen) for s in segs[2]] == [(1, 8, True), (1, 8, False)]
        assert [(s.layer, s.n_keys, s.frozen) for s in segs[3]] == [(1, 8, True), (1, 8, True), (1, 4, False)]
        assert segs[3][0].sha256 == segs[2][0].sha256  # the same frozen file, shared
        # Frozen means bit-identical: version 1's trained segment is exactly version 3's first one.
        v1, v3 = store.load_segment(segs[1][0]), store.load_segment(segs[3][0])
        for name, tensor in v1.state_dict().items():
            assert torch.equal(tensor, v3.state_dict()[name]), name
        detail = store.detail(3)
        assert [e.corpus for e in detail.evaluations] == ["more"]  # an ingest evaluates its own corpus
        assert detail.ingest.settings["replay"] == 0.5 and detail.ingest.steps == 6
        assert [e.corpus for e in store.detail(2).evaluations] == ["prose"]
        assert fsck(store).ok


def test_a_loaded_version_reproduces_its_recorded_losses(grown):
    """Segments, backbone and snapshots round-trip: evaluating the reloaded version gives the recorded
    held-out losses exactly (same documents, same windows, same weights)."""
    with Store.open(grown) as store:
        config = ContinualConfig.of_store(store.config)
        loaded = load_version(store, 3)
        recorded = {e.corpus: e.loss for e in store.detail(3).evaluations}
        corpora = {c.name: open_registered(store, c, config.doc_bytes) for c in store.corpora() if c.name in recorded}
        again = {e.corpus: e.loss for e in evaluate_corpora(loaded.model, loaded.tokenizer, corpora, config)}
    assert again == pytest.approx(recorded, rel=1e-6, abs=1e-6) and list(again) == ["more"]
    assert all(2.0 < loss < math.log(257) + 0.5 for loss in again.values())


def test_the_forgetting_matrix_is_filled_once_when_asked(copy_of):
    """What ingests leave for later is evaluated on the first request, recorded, and equals evaluating
    the version by hand; the second request evaluates nothing."""
    with Store.open(copy_of) as store:
        assert missing_evaluations(store) == {2: ["code"], 3: ["code", "prose"]}
        assert missing_evaluations(store, [1, 2]) == {2: ["code"]}
        assert evaluate_forgetting(store).loss[1] == [None, store.detail(2).evaluations[0].loss, None]
        seen = []
        assert len(fill_evaluations(store, on_cell=lambda n, c: seen.append((n, c)))) == 3
        assert seen == [(2, "code"), (3, "code"), (3, "prose")]
        assert missing_evaluations(store) == {} and fill_evaluations(store) == []
        report = evaluate_forgetting(store)
        assert all(cell is not None for i, row in enumerate(report.loss) for cell in row[: i + 1])
        config = ContinualConfig.of_store(store.config)
        loaded = load_version(store, 2)
        code = open_registered(store, store.find_corpus(name="code"), config.doc_bytes)
        by_hand = evaluate_corpora(loaded.model, loaded.tokenizer, {"code": code}, config)[0].loss
        assert report.loss[1][0] == by_hand


def test_training_lowers_the_loss_on_the_new_corpus(tmp_path, text_corpora):
    with create_store(tmp_path / "s", config=tiny_continual_config(steps=40))[0] as store:
        result = ingest(store, text_corpora["code"])
    loss = result.evaluations[0].loss
    assert result.version.number == 1 and result.version.kind == "ingest"
    assert loss < math.log(257) - 1.0, loss  # far below uniform after 40 steps


def test_a_routed_ingest_writes_only_new_files(grown):
    with Store.open(grown) as store:
        v1, v2, v3 = (store.detail(n) for n in (1, 2, 3))
        # The backbone trains in version 1 only; later versions reference the same file.
        assert v1.checkpoint == v2.checkpoint == v3.checkpoint
        assert [r.corpus for r in v3.routes] == ["code", "prose", "more"]
        assert [r.learnt_by for r in v3.routes] == [1, 2, 3]
        assert [r.segments for r in v3.routes] == [{1: 1}, {1: 2}, {1: 3}]
        assert v3.routes[0].deltas is None and all(r.deltas is not None for r in v3.routes[1:])
        assert v3.routes[:2] == v2.routes and v2.routes[:1] == v1.routes  # old routes' files referenced again
    files = sorted(p.name for p in (grown / "routes").iterdir())
    assert len(files) == 3 + 2  # three profiles, two deltas: nothing written twice
    assert len(list((grown / "checkpoints").iterdir())) == 1


def test_freezing_the_backbone_of_a_grow_store_keeps_every_old_weight(tmp_path, text_corpora):
    config = tiny_continual_config(method="grow")
    with create_store(tmp_path / "s", config=config, base_corpus=text_corpora["code"])[0] as store:
        result = ingest(store, text_corpora["prose"], include=["*.txt"],
                        method_options={"freeze": "experts+backbone"})
        before, after = store.detail(1), store.detail(result.version.number)
        old = load_file(store.file_path(before.checkpoint))
        new = load_file(store.file_path(after.checkpoint))
        assert before.checkpoint.sha256 == after.checkpoint.sha256
        assert old.keys() == new.keys() and all(torch.equal(old[k], new[k]) for k in old)
        assert [s.frozen for s in after.segments] == [True, False]
        assert after.segments[0].frozen and not before.segments[0].frozen  # the file records the flag
        assert after.ingest.settings["options"] == {"freeze": "experts+backbone"} and after.routes == []
        assert after.version.method == {"name": "grow", "options": {"freeze": "experts+backbone"}}
        again = ingest(store, text_corpora["more"], steps=2)  # default: the backbone trains
        assert store.detail(again.version.number).checkpoint.sha256 != after.checkpoint.sha256


def test_a_duplicate_corpus_is_refused_unless_forced(copy_of, text_corpora, tmp_path):
    clone = tmp_path / "elsewhere.py"
    clone.write_bytes(text_corpora["code"].read_bytes())
    with Store.open(copy_of) as store:
        with pytest.raises(DuplicateCorpus, match="already ingested as 'code'.*--force"):
            ingest(store, clone)
        with pytest.raises(DuplicateCorpus, match="registered as 'code'"):
            ingest(store, clone, force=True, name="other")
        assert len(store.versions()) == 3
        again = ingest(store, clone, force=True, steps=2)
        assert again.corpus.name == "code" and again.version.number == 4
        assert len(store.corpora()) == 3


@pytest.mark.slow
def test_a_failure_before_the_commit_leaves_the_parent_current(copy_of, text_corpora, tmp_path, monkeypatch):
    text = tmp_path / "new.txt"
    text.write_bytes(text_corpora["code"].read_bytes()[::-1])  # new content, same size

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    with Store.open(copy_of) as store:
        files_before = sorted(p.name for p in (copy_of / "segments").iterdir())
        monkeypatch.setattr(ingest_module, "put_version_files", broken)
        with pytest.raises(RuntimeError, match="disk on fire"):
            ingest(store, text)
        failed = store.version(4)
        assert failed.status == "failed" and "disk on fire" in failed.error
        assert store.current().number == 3 and store.find_corpus(name="new") is None
        assert sorted(p.name for p in (copy_of / "segments").iterdir()) == files_before
        monkeypatch.undo()
        assert ingest(store, text).version.number == 5  # the same ingest again works
        assert store.current().number == 5


def test_bad_arguments_fail_before_anything_is_written(copy_of, text_corpora, tmp_path):
    binary = tmp_path / "blob.bin"
    binary.write_bytes(bytes(range(256)) * 100)
    small = tmp_path / "small.txt"
    small.write_text("print('hi')\n" * 3)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with Store.open(copy_of) as store:
        cases = [
            (dict(source=tmp_path / "missing"), CorpusError, "does not exist"),
            (dict(source=empty), CorpusError, "is empty"),
            (dict(source=binary), CorpusError, "looks binary"),
            (dict(source=small), CorpusError, "too small"),
            (dict(source=text_corpora["prose"], include=["*.md"]), CorpusError, "no files matching"),
            (dict(source=small, steps=3, tokens=10), ConfigError, "not both"),
            (dict(source=small, replay=1.5), ConfigError, "--replay"),
            (dict(source=small, method_options={"freeze": "experts"}), ConfigError,
             r"unknown method 'routed' option fields \['freeze'\]"),
            (dict(source=small, method_options={"rank": 0}), ConfigError, "option rank .* 1 to 4096"),
            (dict(source=small, method="finetune"), ConfigError, "grows by 'routed'.*cannot continue as 'finetune'"),
            (dict(source=small, method="nothing"), ConfigError, "cannot continue as 'nothing'"),
            (dict(source=text_corpora["code"], name="prose", force=True), DuplicateCorpus, "registered as 'code'"),
        ]
        for kwargs, error, message in cases:
            with pytest.raises(error, match=message):
                ingest(store, **kwargs)
        assert len(store.versions()) == 3
    assert not any((copy_of / "tmp").iterdir())


def test_invalid_utf8_is_ingested_as_bytes_and_snapshots_keep_them(tmp_path, text_corpora):
    raw = text_corpora["code"].read_bytes()
    latin = tmp_path / "latin1.txt"
    latin.write_bytes(raw.replace(b"e", b"\xe9"))  # Latin-1 bytes: not UTF-8
    config = tiny_continual_config()
    with create_store(tmp_path / "s", config=config)[0] as store:
        result = ingest(store, latin, steps=2)
        snapshot = snapshot_path(store, result.corpus.sha256)
        reopened = open_registered(store, store.find_corpus(name="latin1"), config.doc_bytes)
        original = check_corpus(latin, config).corpus
        assert [d.data for d in reopened.documents()] == [d.data for d in original.documents()]
    assert b"\\udce9" in gzip.decompress(snapshot.read_bytes())  # stored as a surrogate escape
    assert result.corpus.bytes == len(raw)


def test_a_second_writer_is_refused(copy_of, text_corpora):
    with Store.open(copy_of) as holder, holder.lock(purpose="peer ingest"):
        with Store.open(copy_of) as other, pytest.raises(StoreLocked, match="busy: peer ingest"):
            ingest(other, text_corpora["code"], force=True)


@pytest.mark.slow
def test_rollback_makes_a_new_equal_version_and_generate_samples(copy_of):
    with Store.open(copy_of) as store:
        with pytest.raises(VersionStateError, match="already the current"):
            rollback(store, 3)
        made = rollback(store, 1)
        assert (made.number, made.kind, made.parent) == (4, "rollback", 3)
        assert store.segments(4) == store.segments(1)
        assert store.detail(4).checkpoint == store.detail(1).checkpoint
        assert [v.status for v in store.versions()] == ["ready"] * 4  # history kept
        texts = [generate(store, "def ", tokens=30, seed=seed) for seed in range(6)]
        assert texts == [generate(store, "def ", tokens=30, seed=seed, version=1) for seed in range(6)]
        assert texts != [generate(store, "def ", tokens=30, seed=seed, version=3) for seed in range(6)]
        assert any(texts) and all(len(t.encode("utf-8", errors="surrogatepass")) <= 30 * 3 for t in texts)


def test_config_is_checked_and_round_trips(tmp_path):
    config = tiny_continual_config()
    assert ContinualConfig.from_dict(json.loads(json.dumps(config.to_dict()))) == config
    toml = tmp_path / "c.toml"
    toml.write_text("steps = 7\n[model]\nd_model = 64\n[model.peer]\nn_keys = 16\n")
    loaded = ContinualConfig.from_file(toml)
    assert (loaded.steps, loaded.model.d_model, loaded.model.peer.n_keys, loaded.model.n_layers) == (7, 64, 16, 4)
    with pytest.raises(ConfigError, match="must be 'peer'"):
        ContinualConfig.from_dict({"model": {"ffn": "dense"}})
    with pytest.raises(ConfigError, match="upgrade peer-store"):
        ContinualConfig.from_dict({**config.to_dict(), "format": "peer-store/continual/9"})
    with pytest.raises(ConfigError, match="unknown config fields"):
        ContinualConfig.from_dict({"stepz": 3})
    assert config.steps_for(None, 1000) == math.ceil(1000 / (8 * 32))


# -- the forgetting report, against numbers worked out by hand ---------------------------------------
def _record(store: Store, name: str, fill: str, losses: dict[str, float], kind: str = "ingest") -> None:
    corpus = CorpusRecord(name=name, source=f"/data/{name}", sha256=fill * 64, bytes=1, tokens=1, documents=1)
    with store.new_version(kind=kind, message=f"{kind} {name}") as draft:
        draft.commit(
            segments=[store.put_segment(tiny_segment(len(fill)), layer=0)],
            corpus=corpus,
            ingest=IngestRecord(name, steps=1, tokens=1, wall_seconds=0.1),
            evaluations=[EvaluationRecord(c, loss=v, tokens=10) for c, v in losses.items()],
        )


def test_forgetting_measures_match_a_hand_computation(tmp_path):
    with Store.create(tmp_path / "s") as store:
        _record(store, "a", "a", {"a": 2.0}, kind="init")
        _record(store, "b", "b", {"a": 2.5, "b": 3.0})
        _record(store, "c", "c", {"a": 2.2, "b": 3.6, "c": 1.5})
        report = evaluate_forgetting(store)
        assert report.versions == [1, 2, 3] and report.corpora == ["a", "b", "c"]
        assert report.loss == [[2.0, None, None], [2.5, 3.0, None], [2.2, 3.6, 1.5]]
        assert report.learnt_at == {"a": 1, "b": 2, "c": 3}
        assert report.plasticity == {"a": 2.0, "b": 3.0, "c": 1.5}
        # F_a = 2.2 - min(2.0, 2.5) = 0.2; F_b = 3.6 - 3.0 = 0.6; c is the last corpus: not measured.
        assert report.forgetting["a"] == pytest.approx(0.2) and report.forgetting["b"] == pytest.approx(0.6)
        assert report.forgetting["c"] is None
        assert report.average_forgetting == pytest.approx(0.4)
        assert report.backward_transfer == pytest.approx(((2.0 - 2.2) + (3.0 - 3.6)) / 2)
        assert report.average_final_loss == pytest.approx((2.2 + 3.6 + 1.5) / 3)
        sub = evaluate_forgetting(store, ["1", "2"])
        assert sub.forgetting == {"a": pytest.approx(0.5), "b": None}
        assert sub.labels == ["init a", "ingest b"]
        rows = report.to_csv().splitlines()
        assert rows[0] == "measure,version,corpus,value" and "loss,3,b,3.600000" in rows
        assert "average_forgetting,,,0.400000" in rows
        png = report.plot(tmp_path / "plot.png")
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
        with pytest.raises(ConfigError, match="ending in .png"):
            report.plot(tmp_path / "plot.pdf")
