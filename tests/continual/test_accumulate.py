"""Routes that merge (the ``routed`` method on a corpus of a kind the store knows): the decision rule, its
overrides, a continued route's deltas, profile and tokens, and a new route leaving old routes bit-identical."""

from __future__ import annotations

import dataclasses
import math
import sysconfig
from pathlib import Path

import pytest
import torch

from continual.methods import NewCorpus
from continual.methods.routed import Routed
from continual.router import NgramProfile, divergence, merged
from continual.training import ReplayMix
from peer_store.errors import ConfigError
from study import recipes
from study.compare import run_method
from tests.helpers.routing import Bytes, routed_model, routing_config
from trainer.data import Corpus


@pytest.fixture(scope="module")
def config():
    return routing_config()


def _windows(low: int, count: int, length: int, seed: int) -> list[torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    return [torch.randint(low, low + 10, (length,), generator=g) for _ in range(count)]


def _new(config, low: int, route="auto") -> NewCorpus:
    """A corpus writing bytes ``low .. low + 9`` (the model's routes write 0..9 and 100..109)."""
    return NewCorpus(f"bytes{low}", _windows(low, 64, config.seq_len + 1, low + 1), Bytes(), config, 4,
                     first=False, route=route)


def _method(**kw) -> Routed:
    return Routed(rank=3, order=2, buckets=1 << 16, profile_windows=16, **kw)


def _state(model, r: int) -> dict[str, torch.Tensor]:
    route = model.routes[r]
    deltas = model.route_deltas(r)
    return {**({} if deltas is None else {k: v.clone() for k, v in deltas.state_dict().items()}),
            **{f"profile.{k}": v.clone() for k, v in route.profile.tensors().items()}}


def test_a_corpus_like_a_route_continues_it(config):
    """Text of route 1's kind: divergence near 0 from route 1, far from route 0; route 1 continues with its
    deltas as the start, the profiles merged, every segment; no route is added and its tokens stay on route 1."""
    model = routed_model(config)
    before = {k: v.clone() for k, v in model.deltas["1"].state_dict().items()}
    old_profile = model.routes[1].profile
    decision = _method().prepare(model, _new(config, 100))
    assert decision.continues and decision.route == 1 and decision.chosen_by == "profiles"
    assert decision.divergence[1] < 0.09 < decision.divergence[0]
    assert decision.rehearse == ("high",) and decision.replay == 0.5
    assert len(model.routes) == 2 and model.routes[1].learnt() == ("high", "bytes100")
    assert model.routes[1].segments == {i: 3 for i in model.routes[1].segments}  # the grown segment too
    assert all(torch.equal(before[k], v) for k, v in model.deltas["1"].state_dict().items())  # starts as the route
    assert all(p.requires_grad for p in model.deltas["1"].parameters())
    assert model.routes[1].profile.tokens > old_profile.tokens
    tokens = torch.randint(100, 110, (2, 12), generator=torch.Generator().manual_seed(3))
    assert model.route(tokens)[:, 2:].eq(1).all()


def test_a_distinct_corpus_gets_a_new_route_and_old_routes_stay_bit_identical(config):
    model = routed_model(config)
    before = [_state(model, r) for r in range(2)]
    decision = _method().prepare(model, _new(config, 200))
    assert not decision.continues and decision.route == 2 and min(decision.divergence.values()) > 0.09
    assert len(model.routes) == 3 and model.routes[2].learnt() == ("bytes200",)
    for r in range(2):
        after = _state(model, r)
        assert after.keys() == before[r].keys() and all(torch.equal(before[r][k], after[k]) for k in after)


def test_overrides_and_the_switch_off(config):
    """--new-route gives a new route to text of a known kind; --continue merges whatever the divergence;
    merge=False never merges; a route that does not exist is refused before the model changes."""
    decision = _method().prepare(model := routed_model(config), _new(config, 100, route="new"))
    assert not decision.continues and decision.chosen_by == "--new-route" and len(model.routes) == 3
    decision = _method().prepare(model := routed_model(config), _new(config, 200, route=0))
    assert decision.continues and decision.route == 0 and decision.chosen_by == "--continue"
    assert model.routes[0].learnt() == ("low", "bytes200") and model.route_deltas(0) is not None
    decision = _method(merge=False).prepare(model := routed_model(config), _new(config, 100))
    assert not decision.continues and len(model.routes) == 3
    model = routed_model(config)
    segments = [dict(r.segments) for r in model.routes]
    with pytest.raises(ConfigError, match="route 5 does not exist"):
        _method().prepare(model, _new(config, 100, route=5))
    assert len(model.routes) == 2 and [r.segments for r in model.routes] == segments
    with pytest.raises(ConfigError, match="rehearse"):
        Routed(rehearse=1.0)


def test_divergence_is_jensen_shannon_of_the_bigram_statistics():
    """Against the formula written out: 0 for the same statistics, symmetric, log 2 for disjoint ones."""
    a, b = NgramProfile(257, order=2, buckets=64), NgramProfile(257, order=2, buckets=64)
    a.add(torch.tensor([[1, 2, 3, 1, 2]]))
    b.add(torch.tensor([[1, 2, 4, 4, 5]]))
    p, q = a.grams[1] / a.grams[1].sum(), b.grams[1] / b.grams[1].sum()
    m = (p + q) / 2
    kl = lambda x: sum(float(x[i] * (x[i] / m[i]).log()) for i in range(64) if x[i] > 0)  # noqa: E731
    assert divergence(a, b) == pytest.approx((kl(p) + kl(q)) / 2) and divergence(a, b) == divergence(b, a)
    assert divergence(a, a) == pytest.approx(0.0, abs=1e-7)
    c = NgramProfile(257, order=2, buckets=1 << 16)
    c.add(torch.tensor([[200, 201]]))
    d = NgramProfile(257, order=2, buckets=1 << 16)
    d.add(torch.tensor([[100, 101]]))
    assert divergence(c, d) == pytest.approx(math.log(2))
    with pytest.raises(ConfigError, match="cannot be compared"):
        divergence(a, c)


def test_merged_profiles_count_both_corpora():
    a, b = NgramProfile(257, order=2, buckets=64), NgramProfile(257, order=2, buckets=64)
    a.add(torch.tensor([[1, 2, 3]]))
    b.add(torch.tensor([[1, 2, 4, 5]]))
    both = merged(a, b)
    assert both.tokens == 7 and torch.equal(both.grams, a.grams + b.grams)
    assert torch.equal(a.grams.sum(), torch.tensor(6.0))  # the inputs are left as they were
    with pytest.raises(ConfigError, match="different settings"):
        merged(a, NgramProfile(257, order=3, buckets=64))


@pytest.mark.slow
def test_the_study_runs_the_merge_as_the_product_does(config, text_corpora, tmp_path, monkeypatch):
    """Two corpora of Python source: the second continues the first's route in the study (one route, its two
    corpora), trains on a mix that rehearses the first, and the drift measure (route t = corpus t) is left out.
    (Profiles of 20 kB corpora sit further apart than those of real ones: two such Python files are 0.10-0.11
    apart, Python and prose 0.16-0.19, hence ``merge_at=0.13`` here.)"""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    more = tmp_path / "more.py"
    more.write_bytes(((stdlib / "string.py").read_bytes() + (stdlib / "shlex.py").read_bytes())[:20000])
    corpora = {"code": Corpus([str(text_corpora["code"])], doc_bytes=config.doc_bytes),
               "more": Corpus([str(more)], doc_bytes=config.doc_bytes)}
    routes, mixes = [], []
    original = ReplayMix.__iter__

    def spy(self):
        mixes.append((self.fraction, len(self.old)))
        return original(self)

    monkeypatch.setattr(ReplayMix, "__iter__", spy)
    monkeypatch.setitem(recipes.RECIPES, "peer-grow-routed", dataclasses.replace(
        recipes.RECIPES["peer-grow-routed"], policy=lambda: recipes.MethodStages(Routed(merge_at=0.13))))
    run = run_method("peer-grow-routed", corpora, config, steps=2,
                     on_stage=lambda t, model: routes.append([r.learnt() for r in model.routes]))
    assert routes == [[("code",)], [("code", "more")]]
    assert mixes and mixes[0] == (0.5, 1)
    assert run.drift_forgetting is None and run.routing is None  # one route: nothing to route between


def test_route_options_need_a_routed_store_with_a_version():
    from continual.accumulate import route_choice

    assert route_choice(None, None, new_route=False, continue_version=None, routes=False) == "auto"
    with pytest.raises(ConfigError, match="stores that grow by 'routed'"):
        route_choice(None, None, new_route=True, continue_version=None, routes=False)
    with pytest.raises(ConfigError, match="no version yet"):
        route_choice(None, None, new_route=False, continue_version=1, routes=True)
