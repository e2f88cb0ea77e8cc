"""The product and the study run one code path: ``peer ingest`` of a stream and ``peer compare``'s recipe of the
same method give the same losses, to the bit; and a store made before methods existed upgrades and keeps
working (its versions route as 'grow')."""

from __future__ import annotations

import json

import pytest
import torch
from typer.testing import CliRunner

from cli.main import app
from continual.ingest import create_store, ingest
from continual.heldout import fill_evaluations
from continual.inference import load_model, score_documents
from peer_store.db import SchemaMismatch, Store, fsck
from peer_store.db.schema import downgrade_engine
from study.compare import run_method
from tests.conftest import tiny_continual_config
from trainer.data import Corpus


@pytest.mark.slow
@pytest.mark.parametrize("method, recipe", [("routed", "peer-grow-routed"), ("finetune", "peer-finetune")])
def test_a_store_and_the_study_give_the_same_losses(tmp_path, text_corpora, method, recipe):
    config = tiny_continual_config(method=method)
    with create_store(tmp_path / "s", config=config, base_corpus=text_corpora["code"])[0] as store:
        ingest(store, text_corpora["prose"], name="prose", include=["*.txt"])
        assert len(fill_evaluations(store)) == 1  # version 2 on code: what `peer evaluate forgetting` asks for
        product = [{e.corpus: e.loss for e in store.detail(n).evaluations} for n in (1, 2)]
    corpora = {
        "code": Corpus([str(text_corpora["code"])], doc_bytes=config.doc_bytes),
        "prose": Corpus([str(text_corpora["prose"])], include=["*.txt"], doc_bytes=config.doc_bytes),
    }
    run = run_method(recipe, corpora, config, steps=config.steps)
    assert run.loss[0][0] == product[0]["code"]  # what the study measured after stage 1 is version 1's record
    assert run.loss[1] == [product[1]["code"], product[1]["prose"]]


def test_routed_scoring_of_an_old_corpus_is_the_old_version_s_for_tokens_routed_home(tmp_path, text_corpora):
    config = tiny_continual_config()
    with create_store(tmp_path / "s", config=config, base_corpus=text_corpora["code"])[0] as store:
        ingest(store, text_corpora["prose"], name="prose", include=["*.txt"])
        old, new = load_model(store, 1).model, load_model(store, 2).model
    docs = [d.data for d in Corpus([str(text_corpora["code"])], doc_bytes=config.doc_bytes).documents()]
    windows = torch.stack([torch.frombuffer(bytearray(d[:32]), dtype=torch.uint8).long() for d in docs
                           if len(d) >= 32])  # [n, 32]
    route = new.route(windows)
    home = windows[route.eq(0).all(1)]  # windows whose every token version 2 sends to version 1's route
    assert 0 < home.shape[0] < windows.shape[0]  # some code windows look like prose to the router
    with torch.no_grad():
        assert torch.equal(new(home).logits, old(home).logits)  # bit-identical: nothing learnt later touches them
        away = windows[~route.eq(0).all(1)]
        assert not torch.allclose(new(away).logits, old(away).logits, atol=1e-4)
    scores = score_documents(new, load_model(tmp_path / "s", 2).tokenizer, docs[:4])
    assert all(sum(s.routes.values()) == pytest.approx(1.0) for s in scores)
    assert all(set(s.routes) <= {"v1 code", "v2 prose"} for s in scores)


@pytest.mark.slow
def test_a_store_from_before_methods_upgrades_and_keeps_growing(tmp_path, text_corpora):
    """A store written by the previous release: registry at revision 0001, a config without 'method'."""
    config = tiny_continual_config(method="grow")
    path = tmp_path / "old"
    with create_store(path, config=config, base_corpus=text_corpora["code"])[0] as store:
        engine = store.engine
        assert downgrade_engine(engine, "0001") == "0001"
        with engine.begin() as conn:
            raw = {k: v for k, v in config.to_dict().items() if k != "method"}
            conn.exec_driver_sql("UPDATE stores SET config = ?", (json.dumps(raw),))
    with pytest.raises(SchemaMismatch, match="peer db upgrade"):
        Store.open(path)
    runner = CliRunner()
    upgraded = runner.invoke(app, ["db", "upgrade", "--store", str(path)])
    assert upgraded.exit_code == 0, upgraded.output
    with Store.open(path) as store:
        assert "method" not in store.config
        result = ingest(store, text_corpora["prose"], name="prose", include=["*.txt"], steps=2)
        detail = store.detail(result.version.number)
        assert detail.routes == [] and len(detail.segments) == 2  # it grew, and routes as 'grow': no routes
        assert result.to_dict()["version"]["number"] == 2 and detail.ingest.settings["method"] == "grow"
        assert fsck(store).ok
    scored = runner.invoke(app, ["score", str(text_corpora["code"]), "--store", str(path), "--json"])
    assert scored.exit_code == 0, scored.output
    assert set(json.loads(scored.stdout)["total"]["routes"]) == {"base"}



def test_a_crafted_corpus_fingerprint_cannot_reach_outside_the_store(tmp_path, text_corpora):
    from sqlalchemy import text

    from peer_store.db.errors import UnsafePath

    config = tiny_continual_config()
    outside = tmp_path / "outside.jsonl.gz"
    outside.write_bytes(b"not yours")
    with create_store(tmp_path / "s", config=config, base_corpus=text_corpora["code"])[0] as store:
        with store.engine.begin() as conn:
            conn.execute(text("UPDATE corpora SET sha256 = '../../outside'"))
        with pytest.raises(UnsafePath, match="not inside its folders"):
            ingest(store, text_corpora["prose"], name="prose", include=["*.txt"], steps=1)
        assert store.current().number == 1
    assert outside.read_bytes() == b"not yours"
