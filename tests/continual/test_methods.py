"""The growth-method registry: a method is one class (name, options dataclass, behaviour) and one registry line;
the CLI, the store's config, ingest and the study's recipes read it."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
import torch
from safetensors.torch import load_file

from continual.config import ContinualConfig
from continual.ingest import ingest
from continual.methods import METHODS, Method, MethodEntry, MethodOptions, make_method
from continual.methods.routed import RoutedOptions
from continual.routed import RoutedModel
from peer_store.db import Store
from peer_store.errors import ConfigError
from study.recipes import method_recipes
from tests.conftest import tiny_continual_config
from tests.helpers.cli import one_line_error, peer


@dataclass(frozen=True)
class ToyOptions(MethodOptions):
    keep_embedding: bool = True


class Toy(Method):
    """Fine-tune everything but, after the first corpus, the token embedding (when ``keep_embedding``)."""

    name, grows, routes = "toy", False, False
    options_type = ToyOptions

    def prepare(self, model: RoutedModel, new) -> None:
        if not new.first and self.options.keep_embedding:
            model.lm.embed.weight.requires_grad_(False)


@pytest.fixture
def toy(monkeypatch):
    """The toy method registered, as its one registry line would."""
    monkeypatch.setitem(METHODS, "toy", MethodEntry("toy", f"{__name__}:Toy", "fine-tune, the embedding fixed"))


@pytest.mark.slow
def test_a_registered_method_runs_through_peer_init_and_ingest(toy, tmp_path, text_corpora):
    (tmp_path / "tiny.json").write_text(json.dumps(tiny_continual_config().to_dict()))
    store = tmp_path / "store"
    made = peer("init", store, "--config", tmp_path / "tiny.json", "--method", "toy",
                "--method-option", "keep_embedding=true", "--base-corpus", text_corpora["code"])
    assert made.exit_code == 0, made.output
    with Store.open(store) as opened:
        assert opened.config["method"] == "toy" and opened.config["method_options"] == {"keep_embedding": True}
    grown = peer("ingest", text_corpora["prose"], "--include", "*.txt", "--steps", "2", "--store", store)
    assert grown.exit_code == 0, grown.output
    shown = json.loads(peer("show", "--json", "--store", store).stdout)
    assert shown["version"]["method"] == {"name": "toy", "options": {"keep_embedding": True}}
    listed = json.loads(peer("versions", "--json", "--store", store).stdout)
    assert [v["method"]["name"] for v in listed] == ["toy", "toy"]
    assert "method toy (keep_embedding=True)" in peer("show", "--store", store).stdout
    with Store.open(store) as opened:
        v1, v2 = (load_file(opened.file_path(opened.detail(n).checkpoint)) for n in (1, 2))
    assert torch.equal(v1["embed.weight"], v2["embed.weight"])  # the toy's prepare ran
    assert not torch.equal(v1["ln_out.weight"], v2["ln_out.weight"])  # and the rest trained


def test_bad_method_or_options_at_init_are_one_line_and_create_nothing(toy, tmp_path):
    for args, message in [
        (["--method", "nothing"], "unknown method 'nothing'; choose one of routed, grow, finetune, lora, toy"),
        (["--method", "toy", "--method-option", "keep_embedding=3"], "option keep_embedding must be bool, got 3"),
        (["--method", "toy", "--method-option", "rank=8"], "unknown method 'toy' option fields ['rank']"),
        (["--method-option", "rank=0"], "option rank (of the LoRA deltas) must be 1 to 4096"),
        (["--method-option", "=3"], "--method-option takes KEY=VALUE"),
    ]:
        one_line_error(peer("init", tmp_path / "s", *args), message)
        assert not (tmp_path / "s").exists()


def test_options_are_recorded_whole_and_checked_by_type():
    config = ContinualConfig.from_dict({"method": "routed", "method_options": {"rank": 8}})
    assert config.method_options == {**RoutedOptions().to_dict(), "rank": 8}
    assert ContinualConfig.from_dict(config.to_dict()) == config
    for options, message in [({"rank": True}, "rank must be int"), ({"inherit": "yes"}, "inherit must be bool"),
                             ({"order": 2.0}, "order must be int"), ({"buckets": 3}, "power of two"),
                             # refused before anything is allocated or counted
                             ({"buckets": 1 << 31}, "counts per route"), ({"order": 10**9}, "counts per route"),
                             ({"rank": 10**9}, "1 to 4096"), ({"profile_windows": 10**12}, "1 to 65536")]:
        with pytest.raises(ConfigError, match=message):
            make_method("routed", options)
    assert make_method("grow", {"freeze": "experts+backbone"}).options.freeze == "experts+backbone"


@pytest.mark.slow
def test_a_store_recorded_before_options_loads_with_the_defaults(tmp_path, text_corpora):
    today = tiny_continual_config(method="grow").to_dict()
    del today["method_options"]
    legacy = {k: v for k, v in today.items() if k != "method"}  # before stores had a method: 'grow'
    for recorded, method in [(today, "grow"), (legacy, "grow")]:
        assert ContinualConfig.of_store(recorded).method_options == make_method(method).options.to_dict()
    with Store.create(tmp_path / "s", config=today) as store:
        result = ingest(store, text_corpora["code"], steps=1)
        assert store.detail(result.version.number).ingest.settings["options"] == {"freeze": "experts"}


def test_every_registered_method_is_a_study_recipe(toy):
    recipes = {r.name: r for r in method_recipes()}
    assert {"peer-grow", "peer-grow-trainable", "peer-grow-routed", "peer-finetune", "peer-toy"} <= set(recipes)
    assert isinstance(recipes["peer-toy"].policy().method, Toy)
    assert recipes["peer-grow"].policy().method.options.freeze == "experts+backbone"
