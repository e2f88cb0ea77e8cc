"""Every command on a store whose base is a pretrained Hugging Face model (a tiny random GPT-2 saved into a temp
folder): bad bases refused in one line with nothing written, init -> ingest (finetune, lora) -> forgetting,
score, generate, versions, show, rollback, fsck, gc, export, and kill -9 during an ingest."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from continual.versions import load_version
from peer_store.db import Store
from tests.conftest import tiny_continual_config
from tests.helpers.cli import one_line_error, peer
from tests.helpers.hf import IDS, save_tiny_base
from tests.helpers.kills import DYING_PEER, after_a_kill
from tests.helpers.processes import peer_env


@pytest.fixture(scope="module")
def gpt2(tmp_path_factory) -> Path:
    return save_tiny_base(tmp_path_factory.mktemp("base") / "gpt2", "gpt2")


@pytest.fixture
def tiny(tmp_path) -> Path:
    """The tiny training settings (short windows, few steps) as a config file."""
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(tiny_continual_config().to_dict()))
    return path


def init_base(store: Path, base: Path, tiny: Path, *args):
    result = peer("init", store, "--base-model", base, "--config", tiny, *args)
    assert result.exit_code == 0, result.output
    return result


def test_bad_bases_are_one_line_and_write_nothing(gpt2, tiny, tmp_path, text_corpora):
    store = tmp_path / "store"
    (tmp_path / "notes").mkdir()
    cases = [
        (["--base-model", tmp_path / "notes"], "is not a Hugging Face model folder (it has no config.json)"),
        (["--base-model", tmp_path / "missing"], "cannot load a model config from"),
        (["--base-model", gpt2, "--memory-blocks", "5"], "--memory-blocks must be block indices in [0, 2]"),
        (["--base-model", gpt2, "--memory-blocks", "one"], "--memory-blocks takes block indices"),
        (["--base-model", gpt2, "--method", "routed"], "'routed' on a pretrained base needs --eval-corpus"),
        (["--eval-corpus", text_corpora["code"]], "--eval-corpus describe a pretrained base"),
        (["--memory-blocks", "1"], "describe a pretrained base: pass them with --base-model"),
    ]
    for args, message in cases:
        one_line_error(peer("init", store, "--config", tiny, *args), message)
        assert not store.exists()


@pytest.mark.slow
def test_finetune_store_through_every_command(gpt2, tiny, tmp_path, text_corpora):
    store = tmp_path / "store"
    made = init_base(store, gpt2, tiny, "--eval-corpus", text_corpora["more"], "--memory-blocks", "1", "--json")
    assert json.loads(made.stdout)["version"] is None  # version 1 is the base: nothing was trained
    ingested = peer("ingest", text_corpora["code"], "--steps", "2", "--store", store, "--json")
    assert ingested.exit_code == 0, ingested.output
    assert json.loads(ingested.stdout)["evaluations"][0]["bits_per_byte"] > 0
    report = peer("evaluate", "forgetting", "--store", store, "--json")
    assert report.exit_code == 0, report.output
    data = json.loads(report.stdout)
    assert data["corpora"] == ["more", "code"]  # the base's own ability is the first column
    assert data["versions"] == [1, 2] and data["forgetting"]["more"] is not None
    for args in (["score", text_corpora["code"], "--json"], ["generate", "--prompt", "def ", "--tokens", "5"],
                 ["versions"], ["show", "2"], ["fsck"], ["gc"]):
        result = peer(*args, "--store", store)
        assert result.exit_code == 0, (args, result.output)
    # version 2 trained the memory beside block 1: a plain folder cannot hold it
    one_line_error(peer("export", "2", "--out", tmp_path / "out", "--store", store), "trained PEER memories")
    assert not (tmp_path / "out").exists()
    one_line_error(peer("distill", "--version", "2", "--width", "16", "--store", store), "use `peer export`")
    rolled = peer("rollback", "1", "--store", store)
    assert rolled.exit_code == 0, rolled.output
    exported = peer("export", "current", "--out", tmp_path / "v3", "--store", store)
    assert exported.exit_code == 0, exported.output
    _same_logits(store, 3, tmp_path / "v3")


def _same_logits(store: Path, version: int, folder: Path) -> None:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    with Store.open(store) as opened:
        loaded = load_version(opened, version)
    exported = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32).eval()
    tokens = torch.randint(0, IDS, (2, 10))
    with torch.no_grad():
        assert (exported(tokens).logits - loaded.model.eval()(tokens).logits).abs().max().item() < 1e-5
    text = "def f(x):\n    return x\n"
    assert AutoTokenizer.from_pretrained(folder)(text)["input_ids"] == loaded.tokenizer.encode(text.encode()).tolist()


@pytest.mark.slow
def test_lora_versions_export_merged(gpt2, tiny, tmp_path, text_corpora):
    store = tmp_path / "store"
    init_base(store, gpt2, tiny, "--method", "lora")
    for corpus in ("code", "prose"):
        result = peer("ingest", text_corpora[corpus], "--steps", "2", "--store", store)
        assert result.exit_code == 0, result.output
    exported = peer("export", "3", "--out", tmp_path / "lora", "--store", store)
    assert exported.exit_code == 0, exported.output
    _same_logits(store, 3, tmp_path / "lora")
    with Store.open(store) as opened:
        base = load_version(opened, 1).model.lm.state_dict()
        last = load_version(opened, 3).model.lm.state_dict()
    moved = {k for k in base if not torch.equal(base[k], last[k])}
    assert moved and all(k.split(".")[-2] in ("c_attn", "c_proj", "c_fc") for k in moved)


@pytest.mark.slow
def test_routed_store_routes_and_refuses_export(gpt2, tiny, tmp_path, text_corpora):
    store = tmp_path / "store"
    init_base(store, gpt2, tiny, "--method", "routed", "--method-option", "rank=4", "--eval-corpus",
              text_corpora["more"])
    result = peer("ingest", text_corpora["code"], "--steps", "2", "--store", store)
    assert result.exit_code == 0, result.output
    assert "route 2 of 2" in result.stdout + result.stderr
    scored = peer("score", text_corpora["code"], "--json", "--store", store)
    assert scored.exit_code == 0, scored.output
    assert set(json.loads(scored.stdout)["total"]["routes"]) <= {"v1 more", "v2 code"}
    report = json.loads(peer("evaluate", "forgetting", "--json", "--store", store).stdout)
    assert report["corpora"] == ["more", "code"] and report["forgetting_bits_per_byte"]["more"] is not None
    one_line_error(peer("export", "2", "--out", tmp_path / "out", "--store", store), "per-version deltas")


@pytest.mark.slow
def test_kill_during_an_ingest_leaves_the_base_current(gpt2, tiny, tmp_path, text_corpora):
    store = tmp_path / "store"
    init_base(store, gpt2, tiny)
    args = ["ingest", str(text_corpora["prose"]), "--steps", "2", "--store", str(store), "--no-progress"]
    done = subprocess.run([sys.executable, "-c", DYING_PEER, "commit", *args], env=peer_env(), capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert "writing the new files" in done.stderr
    after_a_kill(store, text_corpora["prose"])
