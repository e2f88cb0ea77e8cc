"""Generated input at the boundaries where a user's data enters: a config, a store's manifest, a version
reference. Each gives a valid result or one line of a known error, never another exception."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from continual.config import ContinualConfig
from peer_store.config import PEERConfig
from peer_store.db import Store
from peer_store.db.errors import VersionNotFound
from peer_store.db.layout import MANIFEST, read_manifest
from peer_store.errors import ConfigError, PeerError
from trainer.config import ModelConfig, OptimConfig

# JSON values of every shape, small: what a config file or a stored config can hold
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


def tables(cls: type, valid: dict) -> st.SearchStrategy[dict]:
    """Tables of ``cls``'s fields, each either a valid value or any JSON value (so most of a table is sane and
    the odd field is wrong, the way a hand-edited file goes wrong)."""
    names = [f.name for f in dataclasses.fields(cls)]
    return st.dictionaries(st.sampled_from(names), st.one_of(JSON, st.sampled_from(list(valid.values()) or [0])),
                           max_size=4)


PEER = {"n_heads": 2, "top_k": 4, "n_keys": 8, "d_key": None}
MODEL = {"d_model": 32, "n_layers": 2, "n_heads": 2, "max_seq_len": 32, "ffn": "peer"}
CONFIGS = st.fixed_dictionaries(
    {},
    optional={
        "model": st.one_of(JSON, tables(ModelConfig, MODEL).flatmap(
            lambda model: st.one_of(st.just(model), tables(PEERConfig, PEER).map(lambda peer: {**model, "peer": peer})))),
        "optim": st.one_of(JSON, tables(OptimConfig, {"lr": 1e-3})),
        "seq_len": JSON, "batch_size": JSON, "steps": JSON, "keys": JSON, "heldout_fraction": JSON,
        "doc_bytes": JSON, "eval_batches": JSON, "kmeans_batches": JSON, "seed": JSON, "method": JSON,
        "format": JSON,
    },
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(CONFIGS)
def test_a_config_is_valid_or_one_config_error(data):
    try:
        config = ContinualConfig.from_dict(data)
    except ConfigError as error:
        assert "\n" not in str(error) and str(error)
    else:
        assert ContinualConfig.from_dict(config.to_dict()) == config  # what a store records reads back


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(JSON, st.fixed_dictionaries({"format": st.just("peer-store/store/1")},
                                             optional={"name": JSON, "registry": JSON})))
def test_a_manifest_is_read_or_refused_in_one_line(tmp_path, data):
    (tmp_path / MANIFEST).write_text(json.dumps(data))
    try:
        manifest = read_manifest(tmp_path)
    except PeerError as error:
        assert "\n" not in str(error) and "restore it from a backup" in str(error) or "upgrade" in str(error)
    else:
        assert isinstance(manifest["name"], str) and manifest["registry"] in ("sqlite", "external")


@pytest.fixture(scope="module")
def empty_store(tmp_path_factory) -> Store:
    with Store.create(Path(tmp_path_factory.mktemp("refs")) / "s") as opened:
        yield opened


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.integers(-(2**80), 2**80), st.text(max_size=24), st.integers(-5, 5).map(lambda n: f"v{n}")))
def test_a_version_reference_is_a_version_or_one_line(empty_store, ref):
    with pytest.raises(VersionNotFound) as refused:  # the store has no version yet
        empty_store.version(ref)
    assert "\n" not in str(refused.value)
