"""``peer compare --scale``: every preset builds its model, explicit options override a preset, an unknown
scale (or a GPU scale without a GPU) is one line; evaluation follows the training accelerator."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import torch
from typer.testing import CliRunner

from cli.main import app
from peer_store.errors import ConfigError
from study.scale import DEFAULT_SCALE, SCALES, resolve_study, study_scale
from continual.config import ContinualConfig
from trainer.devices import accelerator_device, on_device
from study.flops import forward_flops_per_token
from trainer.model import LanguageModel
from tests.helpers.study import TINY_TOML


@pytest.mark.parametrize("name", list(SCALES))
def test_every_scale_builds_its_model(name):
    config, steps, domain_bytes = study_scale(name)
    with torch.device("meta"):  # shapes only: the GPU scales hold tens of millions of weights
        model = LanguageModel(config.model)
    assert model.config.ffn == "peer" and steps == config.steps and domain_bytes > 0
    assert config.seq_len <= config.model.max_seq_len
    assert (config.accelerator == "gpu") == name.startswith("gpu")
    assert study_scale(name)[0] is not config  # a fresh config each time
    assert forward_flops_per_token(model, seq_len=config.seq_len, group_size=config.batch_size) > 0


def test_the_cpu_scale_is_the_default_study():
    config, steps, domain_bytes = study_scale(DEFAULT_SCALE)
    report = ContinualConfig.from_file(Path(__file__).parents[2] / "reports" / "forgetting-cpu" / "config.toml")
    assert config == dataclasses.replace(report, steps=150) and steps == 150 and domain_bytes == 1_500_000


def test_explicit_options_override_the_scale(tmp_path, monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    config, steps, domain_bytes = resolve_study("gpu-small", config_file=None, steps=None, domain_bytes=None)
    assert config.model.d_model == 256 and steps == 1000 and domain_bytes == SCALES["gpu-small"].domain_bytes
    _, steps, domain_bytes = resolve_study("gpu-small", config_file=None, steps=7, domain_bytes=1000)
    assert (steps, domain_bytes) == (7, 1000)
    file = tmp_path / "c.toml"
    file.write_text("steps = 3\n[model]\nd_model = 64\n")
    config, steps, _ = resolve_study("gpu", config_file=file, steps=None, domain_bytes=None)
    assert config.model.d_model == 64 and steps == 3 and config.accelerator == "auto"


def test_a_gpu_scale_without_a_gpu_is_refused(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(ConfigError, match="none is visible; use --scale cpu"):
        resolve_study("gpu", config_file=None, steps=None, domain_bytes=None)
    with pytest.raises(ConfigError, match="unknown scale 'huge'; choose from cpu, gpu-small, gpu"):
        study_scale("huge")


def test_peer_compare_refuses_an_unknown_scale_in_one_line(tmp_path):
    stream = tmp_path / "stream.txt"
    stream.write_text("python-code\npython-docs\n")
    result = CliRunner().invoke(app, ["compare", "--stream", str(stream), "--scale", "huge",
                                      "--out", str(tmp_path / "o")])
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert lines == ["error: unknown scale 'huge'; choose from cpu, gpu-small, gpu"]
    assert not (tmp_path / "o").exists()


def test_evaluation_follows_the_accelerator(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert accelerator_device("auto") == accelerator_device("cpu") == torch.device("cpu")
    assert accelerator_device("gpu") == torch.device("cuda")
    model = torch.nn.Linear(2, 2)
    pointer = model.weight.data_ptr()
    with on_device(model, torch.device("cpu")):  # on the CPU nothing moves
        assert model.weight.data_ptr() == pointer
    assert model.weight.data_ptr() == pointer


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_on_device_moves_a_model_there_and_back():
    model = torch.nn.Linear(2, 2)
    with on_device(model, torch.device("cuda")):
        assert model.weight.device.type == "cuda"
    assert model.weight.device.type == "cpu"


def test_the_reproduce_command_names_a_scale_that_is_not_the_default(tmp_path, text_corpora):
    stream = tmp_path / "stream.txt"
    stream.write_text(f"code = {text_corpora['code']}\nprose = {text_corpora['more']}\n")
    cfg = tmp_path / "tiny.toml"
    cfg.write_text(TINY_TOML)  # replaces the scale's config (and its GPU); the scale's domain bytes stay
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["compare", "--stream", str(stream), "--methods", "dense-finetune",
                                      "--config", str(cfg), "--scale", "gpu-small", "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = (out / "report.md").read_text()
    assert f"--steps 2 --seeds 0 --config {cfg} --scale gpu-small --out {out}" in report
