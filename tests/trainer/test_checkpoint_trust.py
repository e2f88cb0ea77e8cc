"""A checkpoint is data, not code: a crafted pickle whose loading would create a file is refused in one line, and
the file is never created. The oracle: the same checkpoint loaded with pickles allowed does create it."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from peer_store.errors import StoreError
from tests.helpers.trainer import tiny_config
from trainer.fit import load_checkpoint, read_checkpoint, train


class CreatesAFile:
    """Unpickling this calls ``open(path, "w")``: the file appearing is the proof that code ran."""

    def __init__(self, path: Path):
        self.path = path

    def __reduce__(self):
        return (open, (str(self.path), "w"))


def crafted_checkpoint(tmp_path: Path, marker: Path) -> Path:
    """Shaped like a Lightning checkpoint, with the payload where a resume reads first."""
    path = tmp_path / "crafted.ckpt"
    torch.save({"global_step": CreatesAFile(marker), "hyper_parameters": {"tokenizer": {"kind": "byte"}},
                "state_dict": {}}, path)
    return path


def test_the_crafted_checkpoint_is_armed(tmp_path):
    marker = tmp_path / "armed"
    torch.load(crafted_checkpoint(tmp_path, marker), weights_only=False)
    assert marker.exists()


@pytest.mark.parametrize("load", ["read", "resume", "load_checkpoint"])
def test_a_pickle_that_runs_code_is_refused_in_one_line(tmp_path, stdlib_files, load):
    marker = tmp_path / "code-ran"
    path = crafted_checkpoint(tmp_path, marker)
    with pytest.raises(StoreError, match="would run code when loaded") as info:
        if load == "read":
            read_checkpoint(path)
        elif load == "resume":
            train(tiny_config(stdlib_files, "dense", max_steps=2, resume=str(path)))
        else:
            load_checkpoint(path)
    assert "\n" not in str(info.value) and "io.open" in str(info.value)
    assert not marker.exists()


def test_a_file_that_is_no_checkpoint_is_refused_in_one_line(tmp_path):
    path = tmp_path / "junk.ckpt"
    path.write_bytes(b"not a checkpoint at all")
    with pytest.raises(StoreError, match="is not a readable checkpoint") as info:
        read_checkpoint(path)
    assert "\n" not in str(info.value)
