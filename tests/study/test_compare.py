"""The forgetting benchmark: measures against hand-computed values, every recipe on a tiny two-corpus
stream, growth that keeps old segments bit-identical, joint training that sees every corpus, and
``peer compare`` writing its report (or one line for a bad stream)."""

from __future__ import annotations

import json
import math

import pytest
import torch
from typer.testing import CliRunner

from cli.main import app
from peer_store.errors import ConfigError
from tests.conftest import tiny_continual_config
from tests.helpers.study import TINY_TOML
from continual.routed import RoutedModel
from study.compare import MethodRun, run_method, summarise
from study.policies import Joint, Stage
from study.recipes import DEFAULT_METHODS, NOT_DEFAULT, RECIPES, parameter_counts
from study.stream import StreamError, parse_stream
from trainer.data import ByteTokenizer, Corpus
from continual.forgetting import loss_measures


@pytest.fixture(scope="module")
def config():
    return tiny_continual_config()


@pytest.fixture(scope="module")
def two_corpora(text_corpora, config) -> dict[str, Corpus]:
    return {
        "code": Corpus([str(text_corpora["code"])], doc_bytes=config.doc_bytes),
        "prose": Corpus([str(text_corpora["prose"])], include=["*.txt"], doc_bytes=config.doc_bytes),
    }


# -- the measures ----------------------------------------------------------------------------------
def test_loss_measures_match_a_hand_computation():
    loss = [[1.0, 4.0, 5.0], [1.5, 2.0, 4.5], [1.8, 2.6, 1.2]]
    m = loss_measures(loss, [0, 1, 2])
    assert m.plasticity == [1.0, 2.0, 1.2]
    # F_0 = 1.8 - min(1.0, 1.5) = 0.8; F_1 = 2.6 - 2.0 = 0.6; the last corpus is not measured.
    assert m.forgetting[0] == pytest.approx(0.8) and m.forgetting[1] == pytest.approx(0.6) and m.forgetting[2] is None
    assert m.average_forgetting == pytest.approx(0.7)
    assert m.backward_transfer == pytest.approx(((1.0 - 1.8) + (2.0 - 2.6)) / 2)
    assert m.final_loss == [1.8, 2.6, 1.2] and m.average_final_loss == pytest.approx(5.6 / 3)
    # An improvement after learning is negative forgetting, and the best earlier value counts.
    better = loss_measures([[3.0, 9.0], [2.0, 1.0], [2.5, 1.1]], [0, 1])
    assert better.forgetting[0] == pytest.approx(0.5) and better.forgetting[1] == pytest.approx(0.1)
    assert better.backward_transfer == pytest.approx(((3.0 - 2.5) + (1.0 - 1.1)) / 2)


def _run(method: str, plasticity: list[float], forgetting: float) -> MethodRun:
    return MethodRun(
        method=method, seed=0, corpora=["a", "b"], loss=[[1.0, 5.0], [1.0, 2.0]], plasticity=plasticity,
        forgetting=[forgetting, None], average_forgetting=forgetting, backward_transfer=-forgetting,
        final_loss=[1.0, 2.0], average_final_loss=1.5, total_params=10, active_params=5, flops_per_token=40,
        train_seconds=1.0,
        wall_seconds=2.0, train_loss=[1.0, 1.0],
    )


def test_the_summary_compares_each_method_with_dense_finetuning():
    runs = [_run("dense-finetune", [2.0, 4.0], 0.5), _run("peer-grow", [2.1, 4.0], 0.1),
            _run("peer-grow", [2.1, 4.4], 0.2)]  # two seeds
    dense, grow = summarise(runs, ["dense-finetune", "peer-grow"])
    assert dense.forgetting_vs_dense == pytest.approx(1.0) and dense.worst_new_loss_vs_dense == pytest.approx(0.0)
    assert grow.average_forgetting == pytest.approx(0.15) and grow.forgetting_vs_dense == pytest.approx(0.3)
    # Plasticity per corpus over seeds: a 2.1 (+5%), b 4.2 (+5%).
    assert grow.worst_new_loss_vs_dense == pytest.approx(0.05)
    assert grow.mean_plasticity == pytest.approx((3.05 + 3.25) / 2)


def test_several_seeds_give_a_standard_deviation_in_the_headline():
    from study.compare import CompareResult
    from study.report import headline_table

    one, two = _run("peer-grow", [2.1, 4.0], 0.1), _run("peer-grow", [2.1, 4.4], 0.2)
    two.seed, two.average_final_loss = 1, 1.7
    single, = summarise([one], ["peer-grow"])
    assert single.average_final_loss_std is None and single.average_forgetting_std is None
    assert single.mean_plasticity_std is None
    grow, = summarise([one, two], ["peer-grow"])
    # sample std of two values a, b: |a - b| / sqrt(2)
    assert grow.average_final_loss == pytest.approx(1.6) and grow.average_final_loss_std == pytest.approx(0.2 / 2**0.5)
    assert grow.average_forgetting_std == pytest.approx(0.1 / 2**0.5)
    assert grow.mean_plasticity_std == pytest.approx(0.2 / 2**0.5)
    assert grow.flops_per_token == 40
    result = CompareResult(corpora=["a", "b"], methods=["peer-grow"], seeds=[0, 1], steps=1, replay=0.0, config={},
                           runs=[one, two], summary=[grow])
    header, _, row = headline_table(result)
    assert "FLOPs/token (fwd)" in header
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[:3] == ["peer-grow", "1.600 ± 0.141", "0.150 ± 0.071"] and cells[4] == "3.150 ± 0.141"
    assert cells[-2] == "40"
    result.summary = [single]
    assert headline_table(result)[2].startswith("| peer-grow | 1.500 | 0.100 |")


# -- the recipes -----------------------------------------------------------------------------------
def test_every_method_has_the_same_active_parameters_per_token(config):
    counts = {name: parameter_counts(RoutedModel(r.build(config)), config.model, group_size=config.batch_size)
              for name, r in RECIPES.items()}
    peer_active = counts["peer-grow"][1]
    for name, (total, active) in counts.items():
        assert abs(active - peer_active) <= 0.02 * peer_active, (name, active, peer_active)
        assert total >= active
    assert counts["switch-finetune"][0] > counts["dense-finetune"][0]  # sparse: more weights than it uses


def test_the_default_run_has_every_method_the_study_compares():
    required = ["peer-grow", "peer-grow-trainable", "peer-grow-routed", "peer-finetune", "peer-lora", "peer-sparse",
                "dense-finetune", "switch-finetune", "switch-grow", "topk", "hmoe", "hmoe-grow", "soft", "joint"]
    assert set(required) == set(DEFAULT_METHODS) == set(RECIPES) - NOT_DEFAULT


@pytest.mark.parametrize("method", list(RECIPES))
def test_each_method_runs_a_two_corpus_stream(method, two_corpora, config):
    run = run_method(method, two_corpora, config, steps=3)
    assert run.corpora == ["code", "prose"] and len(run.loss) == 2
    assert all(len(row) == 2 and all(0.5 < v < math.log(257) + 1.0 for v in row) for row in run.loss)
    assert run.plasticity == [run.loss[0][0], run.loss[1][1]]
    assert run.forgetting[0] == pytest.approx(run.loss[1][0] - run.loss[0][0]) and run.forgetting[1] is None
    assert run.train_seconds > 0 and run.wall_seconds >= run.train_seconds
    grows = RECIPES[method].policy().grows
    assert (run.intrusion is not None) == grows and (run.usage_at_growth is not None) == grows
    if run.usage is not None:
        for stage, snapshot in enumerate(run.usage):
            for per_block in snapshot.values():
                for shares in per_block.values():
                    assert len(shares) == (stage + 1 if grows else 1) and sum(shares) == pytest.approx(1.0, abs=1e-4)
    if grows:
        assert 0.0 <= run.intrusion <= 1.0 and 0.0 <= run.intrusion_at_growth <= 1.0
        # Intrusion is the code corpus's share in segment 1 after the last stage, mean over PEER blocks.
        final = run.usage[-1]["code"]
        assert run.intrusion == pytest.approx(sum(s[1] for s in final.values()) / len(final))


def test_replay_mixes_earlier_corpora_into_later_stages(two_corpora, config):
    plain = run_method("dense-finetune", two_corpora, config, steps=3)
    replayed = run_method("dense-finetune", two_corpora, config, steps=3, replay=0.5)
    assert replayed.loss[0] == plain.loss[0]  # the first stage has nothing to replay
    assert replayed.loss[1] != plain.loss[1]
    with pytest.raises(ConfigError, match="--replay"):
        run_method("dense-finetune", two_corpora, config, steps=3, replay=1.0)
    with pytest.raises(ConfigError, match="unknown method 'nope'"):
        run_method("nope", two_corpora, config, steps=3)


@pytest.mark.parametrize("method", ["peer-grow", "peer-grow-trainable"])
def test_growth_keeps_old_segments_bit_identical(method, two_corpora, config):
    snapshots: dict[int, dict[str, torch.Tensor]] = {}

    def keep(stage: int, model) -> None:
        snapshots[stage] = {k: v.detach().clone() for k, v in model.state_dict().items() if torch.is_tensor(v)}

    run_method(method, two_corpora, config, steps=4, on_stage=keep)
    first, second = snapshots[0], snapshots[1]
    old = [k for k in first if ".segments.0." in k]
    assert old and all(torch.equal(first[k], second[k]) for k in old)
    assert any(".segments.1." in k for k in second)
    backbone = [k for k in first if ".segments." not in k]
    unchanged = all(torch.equal(first[k], second[k]) for k in backbone)
    assert unchanged == (method == "peer-grow")  # the backbone is frozen after the first corpus only there
    new = [k for k in second if ".segments.1." in k and k.endswith("weight")]
    assert new  # the new segment's tables exist and were trained from k-means keys


def test_joint_trains_on_every_corpus_seen_so_far(config):
    streams = [[torch.full((3,), k)] * 400 for k in range(3)]  # stand-ins: windows tagged by corpus
    seen = []
    for t in range(3):
        stage = Stage(t, [], [], streams, ByteTokenizer(), config)
        it = iter(Joint().windows(stage))
        seen.append({int(next(it)[0]) for _ in range(200)})
    assert seen == [{0}, {0, 1}, {0, 1, 2}]


# -- the stream file and the command ---------------------------------------------------------------
def test_a_stream_file_lists_paths_and_built_in_domains(tmp_path, text_corpora):
    stream = tmp_path / "stream.txt"
    stream.write_text(f"# two domains\npython-code\n\nnotes = {text_corpora['prose']}  # a folder\n"
                      f"{text_corpora['more']}\n")
    entries = parse_stream(stream)
    assert [(e.name, e.source) for e in entries] == [
        ("python-code", "builtin:python-code"), ("notes", str(text_corpora["prose"])),
        ("more", str(text_corpora["more"]))]
    cases = [
        ("python-code\npython-code\n", "listed twice"),
        ("python-code\n", "at least two"),
        ("python-code\nno/such/place\n", "neither an existing path nor a built-in domain"),
    ]
    for text, message in cases:
        stream.write_text(text)
        with pytest.raises(StreamError, match=message):
            parse_stream(stream)
    with pytest.raises(StreamError, match="does not exist"):
        parse_stream(tmp_path / "missing.txt")


def _one_line_error(result, pattern: str) -> None:
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert pattern in lines[0], lines[0]


@pytest.mark.slow
def test_peer_compare_writes_the_report(tmp_path, text_corpora):
    stream = tmp_path / "stream.txt"
    stream.write_text(f"code = {text_corpora['code']}\nprose = {text_corpora['more']}\n")
    cfg = tmp_path / "tiny.toml"
    cfg.write_text(TINY_TOML)
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["compare", "--stream", str(stream), "--methods", "peer-grow,dense-finetune",
                                      "--config", str(cfg), "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = (out / "report.md").read_text()
    assert report.startswith("# Forgetting benchmark")
    assert f"peer compare --stream {stream} --methods peer-grow,dense-finetune --steps 2 --seeds 0" in report
    assert "| peer-grow |" in report and "| dense-finetune |" in report
    pngs = sorted(p.name for p in out.glob("*.png"))
    assert pngs == ["expert-usage.png", "forgetting-vs-plasticity.png", "loss-curves.png"]
    assert all((out / p).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)
    data = json.loads((out / "results.json").read_text())
    assert data["corpora"] == ["code", "prose"] and data["methods"] == ["peer-grow", "dense-finetune"]
    assert [len(r["loss"]) for r in data["runs"]] == [2, 2]
    assert all(r["flops_per_token"] > 0 for r in data["runs"]) and "FLOPs/token (fwd)" in report
    peer_flops, dense_flops = (r["flops_per_token"] for r in data["runs"])
    assert peer_flops > dense_flops  # the same active parameters, plus scoring two segments' sub-keys
    assert "report written to" in result.stdout


def test_peer_compare_refuses_a_bad_stream_in_one_line(tmp_path):
    runner = CliRunner()
    stream = tmp_path / "stream.txt"
    stream.write_text("python-code\nnot-a-domain\n")
    result = runner.invoke(app, ["compare", "--stream", str(stream), "--out", str(tmp_path / "o")])
    _one_line_error(result, "'not-a-domain' is neither an existing path nor a built-in domain")
    result = runner.invoke(app, ["compare", "--stream", str(tmp_path / "nope.txt"), "--out", str(tmp_path / "o")])
    _one_line_error(result, "does not exist")
    stream.write_text("python-code\npython-docs\n")
    result = runner.invoke(app, ["compare", "--stream", str(stream), "--methods", "peer-grow,bogus",
                                 "--out", str(tmp_path / "o")])
    _one_line_error(result, "unknown method 'bogus'")
    assert not (tmp_path / "o").exists()
