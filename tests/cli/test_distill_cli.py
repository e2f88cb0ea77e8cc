"""``peer distill``, ``peer students``, ``peer score --student`` and ``peer evaluate forgetting --student`` through
CliRunner on a tiny two-version store; bad input is one line and writes nothing; fsck and gc know students."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from peer_store.db import Store
from tests.helpers.cli import files_of, init_tiny_store, one_line_error, peer


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory, text_corpora) -> Path:
    """Version 1 learnt code, version 2 prose (routed), a few steps each."""
    root = tmp_path_factory.mktemp("distill")
    init_tiny_store(root, text_corpora["code"], steps=3)
    made = peer("ingest", text_corpora["prose"], "--include", "*.txt", "--store", root / "store")
    assert made.exit_code == 0, made.output
    return root / "store"


@pytest.fixture
def store(two_versions, tmp_path) -> Path:
    """A copy of ``two_versions`` (this module's ``store``, in place of the one-version store of conftest.py)."""
    dest = tmp_path / "store"
    shutil.copytree(two_versions, dest)
    return dest


@pytest.mark.parametrize("command", [["distill"], ["students"]], ids=" ".join)
def test_help_has_an_example(command):
    result = peer(*command, "--help")
    assert result.exit_code == 0 and "Example: peer " in result.output


def test_distill_then_score_and_compare_with_the_student(store, text_corpora):
    made = peer("distill", "--version", "2", "--width", "32", "--steps", "3", "--json", "--store", store)
    assert made.exit_code == 0, made.output
    student = json.loads(made.stdout)
    assert student["teacher"] == 2 and student["width"] == 32 and student["alpha"] == 0.25
    assert student["init"] == "teacher" and student["settings"]["d_ff"] == 128
    assert [e["corpus"] for e in student["evaluations"]] == ["code", "prose"]
    assert (store / student["file"]["file"]).is_file() and student["file"]["file"].startswith("students/")

    listed = json.loads(peer("students", "--version", "2", "--json", "--store", store).stdout)
    assert [s["id"] for s in listed] == [student["id"]]
    assert json.loads(peer("students", "--version", "1", "--json", "--store", store).stdout) == []

    scored = peer("score", text_corpora["code"], "--student", student["id"], "--json", "--store", store)
    assert scored.exit_code == 0, scored.output
    scores = json.loads(scored.stdout)
    assert scores["version"] == 2 and scores["student"] == student["id"]
    assert scores["total"]["routes"] == {f"student {student['id']}": pytest.approx(1.0)}
    table = peer("score", text_corpora["code"], "--student", student["id"], "--store", store)
    assert f"student {student['id']} of version 2" in table.stdout and "all" in table.stdout
    routed = json.loads(peer("score", text_corpora["code"], "--json", "--store", store).stdout)
    assert routed["total"]["loss"] != scores["total"]["loss"]  # the student scored, not the routed model

    compared = peer("evaluate", "forgetting", "--student", student["id"], "--format", "json", "--store", store)
    assert compared.exit_code == 0, compared.output
    report = json.loads(compared.stdout)
    assert report["corpora"] == ["code", "prose"] and report["teacher"] == 2
    assert report["student_loss"] == [e["loss"] for e in student["evaluations"]]
    assert all(isinstance(x, float) for x in report["teacher_loss"])  # the teacher's cell on code was filled
    text = peer("evaluate", "forgetting", "--student", student["id"], "--store", store).stdout
    assert "teacher v2" in text and f"student {student['id']}" in text and "average" in text
    assert peer("evaluate", "forgetting", "--student", student["id"], "--format", "csv",
                "--store", store).stdout.startswith("corpus,teacher,student\ncode,")

    # fsck and gc know the file: gc keeps it, fsck reports it missing once it is gone
    assert peer("fsck", "--store", store).exit_code == 0
    assert peer("gc", "--store", store, "--json").exit_code == 0
    assert (store / student["file"]["file"]).is_file()
    (store / student["file"]["file"]).unlink()
    checked = peer("fsck", "--store", store)
    assert checked.exit_code == 1 and f"missing   {student['file']['file']}: student {student['id']}" in checked.stdout
    one_line_error(peer("score", text_corpora["code"], "--student", student["id"], "--store", store), "is missing")


def test_a_narrower_fresh_student(store):
    made = peer("distill", "--version", "current", "--width", "16", "--steps", "2", "--alpha", "0", "--init", "fresh",
                "--store", store)
    assert made.exit_code == 0, made.output
    assert "student 1 of version 2 ready: width 16" in made.stdout and "fresh init" in made.stdout
    with Store.open(store) as opened:
        assert opened.student(1).settings["copied"] == []


@pytest.mark.parametrize(
    "args, pattern",
    [
        (["--version", "9", "--width", "32"], "has no version 9"),
        (["--version", "x", "--width", "32"], "is not a version"),
        (["--version", "2", "--width", "0"], "--width must be a positive"),
        (["--version", "2", "--width", "33"], "multiple of the teacher's 2 attention heads"),
        (["--version", "2", "--width", "2"], "even head width"),
        (["--version", "2", "--width", "32", "--alpha", "1.5"], "--alpha is the teacher's share"),
        (["--version", "2", "--width", "32", "--alpha", "-0.1"], "--alpha is the teacher's share"),
        (["--version", "2", "--width", "32", "--steps", "0"], "--steps must be at least 1"),
    ],
    ids=lambda a: " ".join(a) if isinstance(a, list) else "",
)
def test_bad_input_is_one_line_and_writes_nothing(store, args, pattern):
    before = files_of(store)
    one_line_error(peer("distill", *args, "--store", store), pattern)
    assert files_of(store) == before and not (store / "students").exists()
    with Store.open(store) as opened:
        assert opened.students() == []


def test_an_unknown_student_is_one_line(store, text_corpora):
    one_line_error(peer("score", text_corpora["code"], "--student", "4", "--store", store), "has no student 4")
    one_line_error(peer("evaluate", "forgetting", "--student", "4", "--store", store), "has no student 4")
    one_line_error(peer("evaluate", "forgetting", "--student", "1", "--versions", "1", "--store", store),
                   "drop --versions")
