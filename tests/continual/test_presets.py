"""``peer init --config PRESET_OR_FILE``: named presets beside config files. The million-expert preset is built
on the meta device only (its tables would take 4 GiB)."""

from __future__ import annotations

import json

import pytest
import torch
from typer.testing import CliRunner

from cli.main import app
from continual.config import ContinualConfig
from continual.presets import PRESETS
from continual.versions import peer_layers
from peer_store.errors import ConfigError
from trainer.model import LanguageModel


def test_default_preset_is_the_default_config():
    assert ContinualConfig.from_preset("default").to_dict() == ContinualConfig().to_dict()


def test_million_preset_holds_a_million_experts_per_peer_layer():
    config = ContinualConfig.from_preset_or_file("million")
    assert config.model.peer.n_keys == 1024 and config.new_keys == 32
    with torch.device("meta"):
        model = LanguageModel(config.model)
    layers = [layer for _, layer in peer_layers(model)]
    assert len(layers) == 2
    for layer in layers:
        assert [seg.num_experts for seg in layer.memory.segments] == [1024**2]
        assert layer.memory.segments[0].down.weight.shape == (1024**2, config.model.d_model)
        assert (layer.config.n_heads, layer.config.top_k, layer.config.d_key) == (8, 16, 128)
    assert ContinualConfig.from_preset("million").to_dict() == config.to_dict()  # presets are not shared state


def test_a_file_is_read_and_a_wrong_name_lists_the_presets(tmp_path):
    file = tmp_path / "c.json"
    file.write_text(json.dumps({"steps": 7}))
    assert ContinualConfig.from_preset_or_file(file).steps == 7
    with pytest.raises(ConfigError, match="neither a preset \\(default, million\\) nor a config file"):
        ContinualConfig.from_preset_or_file("milion")
    with pytest.raises(ConfigError, match="unknown preset 'milion'; presets are default, million"):
        ContinualConfig.from_preset("milion")


def test_cli_lists_presets_and_refuses_an_unknown_one_in_one_line(tmp_path):
    runner = CliRunner()
    help_text = runner.invoke(app, ["init", "--help"], env={"COLUMNS": "200"}).output
    assert all(f"'{name}'" in help_text for name in PRESETS)
    result = runner.invoke(app, ["init", str(tmp_path / "s"), "--config", "milion"], env={"PEER_HOME": None})
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: milion is neither a preset (default, million) nor a config file"
    assert not (tmp_path / "s").exists()
