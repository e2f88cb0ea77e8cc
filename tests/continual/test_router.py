"""Routing by n-gram profiles (the ``routed`` method): hashed profiles against exact counts written out with
dicts, routes against a per-position argmax, a routed token equal to the old model (its segments, no deltas)
or to the model with its version merged in, mixed batches equal to their tokens computed one route at a time,
and the method keeping frozen weights bit-identical in the study."""

from __future__ import annotations

import math
from collections import Counter

import pytest
import torch

from peer_store.errors import ConfigError
from continual.methods import NewCorpus
from continual.methods.routed import Routed
from continual.routed import RoutedModel
from continual.router import DomainRouter, NgramProfile
from continual.versions import peer_layers
from study import recipes
from study.compare import run_method
from study.recipes import parameter_counts
from study.report import routing_table
from tests.conftest import merge_version
from tests.helpers.routing import Bytes, routed_model, routing_config, two_route_router
from trainer.data import Corpus
from trainer.model import LanguageModel


@pytest.fixture(scope="module")
def config():
    return routing_config()


def reference_log_probs(windows: torch.Tensor, queries: torch.Tensor, vocab: int, order: int,
                        smoothing: float) -> torch.Tensor:
    """The interpolated n-gram model with exact counts in dicts, one position at a time."""
    start = vocab  # before the window

    def context(w: list[int], s: int, n: int) -> tuple[int, ...]:
        return tuple(w[j] if j >= 0 else start for j in range(s - n + 1, s))

    contexts, grams = Counter(), Counter()
    for w in windows.tolist():
        for s, x in enumerate(w):
            for n in range(1, order + 1):
                contexts[n, context(w, s, n)] += 1
                grams[n, context(w, s, n), x] += 1
    out = torch.zeros(queries.shape, dtype=torch.float64)
    for b, w in enumerate(queries.tolist()):
        for s, x in enumerate(w):
            p = 1.0 / vocab
            for n in range(1, order + 1):
                ctx = context(w, s, n)
                seen = contexts[n, ctx]
                lam = seen / (seen + smoothing)
                p = lam * grams[n, ctx, x] / max(seen, 1) + (1 - lam) * p
            out[b, s] = math.log(p)
    return out


@pytest.mark.parametrize("order", [1, 2, 3])
def test_hashed_profile_equals_exact_counts(order):
    g = torch.Generator().manual_seed(order)
    vocab = 5
    windows = torch.randint(0, 3, (6, 20), generator=g)  # tokens 3 and 4 never seen
    profile = NgramProfile(vocab, order=order, buckets=1 << 22, smoothing=1.5)
    profile.add(windows[:4])
    profile.add(windows[4:])  # counts add up across calls
    queries = torch.randint(0, vocab, (3, 15), generator=g)
    want = reference_log_probs(windows, queries, vocab, order, 1.5)
    assert torch.allclose(profile.log_probs(queries).double(), want, atol=1e-5)
    assert profile.tokens == windows.numel()
    # A distribution over the next token for each context (no bucket collisions at this size).
    every_next = torch.cat([queries[:1, :7].repeat(vocab, 1), torch.arange(vocab)[:, None]], 1)  # [vocab, 8]
    assert profile.log_probs(every_next)[:, -1].exp().sum().item() == pytest.approx(1.0, abs=1e-5)


def test_profile_settings_and_windows_are_checked():
    for kw, what in [(dict(order=0), "order"), (dict(buckets=1000), "power of two"), (dict(smoothing=0.0), "smoothing")]:
        with pytest.raises(ConfigError, match=what):
            NgramProfile(10, **kw)
    with pytest.raises(ConfigError, match=r"windows \[B, S\]"):
        NgramProfile(10).add(torch.zeros(5, dtype=torch.long))
    with pytest.raises(ConfigError, match="no corpus profiles"):
        DomainRouter().route(torch.zeros(1, 3, dtype=torch.long))
    router = DomainRouter()
    router.add(NgramProfile(10))
    with pytest.raises(ConfigError, match="one tokenizer"):  # profiles share the hashes of one vocabulary
        router.add(NgramProfile(12))
    with pytest.raises(ConfigError, match="at least one window"):
        Routed(profile_windows=0)
    with pytest.raises(ConfigError, match="power of two"):
        Routed(buckets=3)  # when the recipe is built, not a corpus later


def test_route_is_the_argmax_of_each_corpus_s_likelihood_so_far():
    router = two_route_router()
    g = torch.Generator().manual_seed(1)
    tokens = torch.cat([torch.randint(0, 10, (3, 6), generator=g), torch.randint(100, 110, (3, 10), generator=g)], 1)
    tokens[1] = torch.randint(0, 10, (16,), generator=g)
    route = router.route(tokens)
    logp = torch.stack([p.log_probs(tokens) for p in router.profiles])  # [C, B, S]
    for b in range(3):
        for s in range(16):
            totals = [float(logp[c, b, : s + 1].sum()) for c in range(2)]
            assert route[b, s] == max(range(2), key=lambda c: (totals[c], -c))
    assert route[1].eq(0).all() and route[0, :6].eq(0).all() and route[0, -1] == 1  # switches once the text does
    assert router.route(tokens, 1).eq(0).all()  # among the first corpus only


def test_a_token_routed_to_the_old_corpus_meets_only_the_old_model(config):
    model = routed_model(config)
    tokens = torch.randint(0, 10, (2, 12), generator=torch.Generator().manual_seed(2))  # corpus 0 throughout
    assert model.route(tokens).eq(0).all()
    routed = model(tokens).logits
    lm = model.lm
    newest = {}
    for i, layer in peer_layers(lm):
        newest[i] = layer.memory.segments[1]
        layer.memory.segments = torch.nn.ModuleList([layer.memory.segments[0]])
    assert torch.equal(routed, lm(tokens).logits)  # the old model, to the bit
    for i, layer in peer_layers(lm):
        layer.memory.segments.append(newest[i])
    assert not torch.allclose(routed, lm(tokens).logits, atol=1e-3)  # the new segment would have changed it


def test_a_token_routed_to_a_new_corpus_is_the_model_with_its_version_merged_in(config):
    """So a token's active parameters are the base model's: the router's work is table lookups."""
    model = routed_model(config)
    tokens = torch.randint(100, 110, (2, 12), generator=torch.Generator().manual_seed(3))  # corpus 1 throughout
    assert model.route(tokens).eq(1).all()
    routed = model(tokens).logits
    total, active = parameter_counts(model, config.model, group_size=config.batch_size)
    v = model.deltas["1"]
    base_total, base_active = parameter_counts(RoutedModel(model.lm), config.model, group_size=config.batch_size)
    assert active == base_active and total == base_total + sum(p.numel() for p in v.parameters())
    modules = dict(model.lm.named_modules())
    merge_version(model.lm, {name: modules[name] for name in model.lm.linear_names()}, v)
    assert torch.allclose(routed, model.lm(tokens).logits, atol=1e-4)


def test_a_mixed_batch_equals_each_window_computed_alone(config):
    """Grouping tokens by route inside a batch changes nothing: each window gives what it gives alone."""
    model = routed_model(config)
    g = torch.Generator().manual_seed(6)
    low, high = torch.randint(0, 10, (2, 12), generator=g), torch.randint(100, 110, (2, 12), generator=g)
    mixed = torch.cat([low, high, torch.cat([low[:1, :3], high[:1, :9]], 1)])  # [5, 12]: both routes, and a switch
    route = model.route(mixed)
    assert route[:2].eq(0).all() and route[2:4].eq(1).all() and route[4, 0] == 0 and route[4, -1] == 1
    together = model(mixed).logits
    for b in range(mixed.shape[0]):
        assert torch.allclose(together[b], model(mixed[b : b + 1]).logits[0], atol=1e-5)


@pytest.mark.parametrize("inherit", [True, False])
def test_a_new_route_starts_from_a_copy_of_the_previous_route_s_deltas(config, inherit):
    """As fine-tuning starts a corpus where the last one left the model, a third corpus's deltas start as the
    second's; training them leaves the second route's own deltas as they were learnt. ``inherit=False`` starts
    from zero (``B = 0``: the backbone alone)."""
    model = routed_model(config)
    g = torch.Generator().manual_seed(7)
    windows = [torch.randint(200, 210, (config.seq_len + 1,), generator=g) for _ in range(64)]
    new = NewCorpus("third", windows, Bytes(), config, 4, first=False)
    Routed(rank=3, order=2, buckets=1 << 16, profile_windows=8, inherit=inherit).prepare(model, new)
    learnt, started = model.deltas["1"], model.deltas["2"]
    if not inherit:
        assert all(b.eq(0).all() for b in started.b.values()) and started.embed.weight.eq(0).all()
        return
    before = {k: v.clone() for k, v in learnt.state_dict().items()}
    assert all(torch.equal(before[k], v) for k, v in started.state_dict().items())
    assert all(p.requires_grad for p in started.parameters()) and not any(p.requires_grad for p in learnt.parameters())
    with torch.no_grad():
        for p in started.parameters():
            p.add_(1.0)
    assert all(torch.equal(before[k], v) for k, v in learnt.state_dict().items())


def test_routing_keeps_the_model_causal(config):
    """A token's route reads the window up to it, so logits at t do not move when later tokens change, even when
    the change flips the later tokens' routes."""
    model = routed_model(config)
    tokens = torch.randint(0, 10, (2, 16), generator=torch.Generator().manual_seed(4))
    changed = tokens.clone()
    changed[:, 5:] = torch.randint(100, 110, (2, 11), generator=torch.Generator().manual_seed(5))
    before, after = model(tokens).logits, model(changed).logits
    assert torch.allclose(before[:, :5], after[:, :5], atol=1e-6)
    assert not torch.allclose(before[:, 5:], after[:, 5:], atol=1e-3)
    assert model.route(changed)[:, -1].eq(1).all()  # the changed tail went to the new corpus


def test_routes_need_profiles_of_one_vocabulary(config):
    model = RoutedModel(LanguageModel(config.model))
    model.add_route("a", NgramProfile(257, buckets=16))
    with pytest.raises(ConfigError, match="needs an n-gram profile"):
        model.add_route("b", None)
    with pytest.raises(ConfigError, match="vocabulary 300"):
        model.add_route("b", NgramProfile(300, buckets=16))
    with pytest.raises(ConfigError, match="no routes to add to"):
        from continual.methods import NewCorpus
        Routed(profile_windows=1).prepare(RoutedModel(LanguageModel(config.model)), NewCorpus(
            "x", [torch.zeros(33, dtype=torch.long)], None, config, 4, first=False))


def test_peer_grow_routed_keeps_frozen_weights_and_old_corpora_exact(config, text_corpora, monkeypatch):
    corpora = {
        "code": Corpus([str(text_corpora["code"])], doc_bytes=config.doc_bytes),
        "prose": Corpus([str(text_corpora["prose"])], include=["*.txt"], doc_bytes=config.doc_bytes),
    }
    monkeypatch.setitem(recipes.RECIPES, "peer-grow-routed", recipes.RECIPES["peer-grow-routed"].__class__(
        **{**recipes.RECIPES["peer-grow-routed"].__dict__,
           "policy": lambda: recipes.MethodStages(Routed(rank=128, profile_windows=16, merge=False))}))
    snapshots = {}
    routed = {}

    def on_stage(t, model):
        snapshots[t] = {k: v.clone() for k, v in model.state_dict().items() if torch.is_tensor(v)}
        routed[t] = (len(model.routes), len(model.deltas))

    run = run_method("peer-grow-routed", corpora, config, steps=4, on_stage=on_stage)
    first, second = snapshots[0], snapshots[1]
    assert all(torch.equal(first[k], second[k]) for k in first if "segments.1" not in k)
    moved = [k for k in second if k not in first or not torch.equal(first[k], second[k])]
    assert any(k.startswith("deltas.1.b.") for k in moved) and any("segments.1" in k for k in moved)
    assert all(k.startswith("deltas.1.") or "segments.1" in k for k in moved)
    assert routed == {0: (1, 0), 1: (2, 1)}
    plain = run_method("peer-grow", corpora, config, steps=1)
    assert run.active_params == plain.active_params and run.total_params > plain.total_params
    assert run.drift_forgetting == pytest.approx(0.0, abs=1e-6)  # versions and segments off: the old model exactly
    assert len(run.routing) == 2 and all(len(row) == 2 and sum(row) == pytest.approx(1.0) for row in run.routing)
    assert run.routing[0][0] > 0.5 and run.routing[1][1] > 0.5  # code and prose tell apart by their n-grams
    table = routing_table(run)
    assert len(table) == 4 and table[2].startswith("| code |")
    assert plain.routing is None
