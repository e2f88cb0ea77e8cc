"""The benchmark's sparse memory fine-tuning (``peer-sparse``), growing Switch (``switch-grow``) and growing
hierarchical MoE (``hmoe-grow``) recipes: TF-IDF row selection against hand-computed values and a slow per-token
count, frozen rows, experts and groups bit-identical through training while the trainable ones move, per-run
policy state, and a grown Switch (hierarchical MoE) layer equal to one layer holding every expert (group)."""

from __future__ import annotations

import dataclasses
import math

import pytest
import torch

from tests.conftest import tiny_continual_config
from continual.routed import RoutedModel
from study.compare import run_method
from study.policies import Stage
from study.recipes import RECIPES, moe_model
from continual.training import train_windows
from trainer.data import ByteTokenizer, Corpus
from trainer.ffn.hmoe import HierarchicalMoEFFN
from trainer.ffn.switch import SwitchFFN
from study.sparse_finetune import RetrievalCounts, retrieval_counts, tfidf_scores, top_rows
from study.hmoe_grow import grow_hmoe
from study.switch_grow import ExpertGroups, ffn_inputs, group_usage, grow_switch, mixture_layers, switch_layers
from continual.versions import peer_layers


@pytest.fixture(scope="module")
def config():
    return tiny_continual_config()


@pytest.fixture(scope="module")
def corpora(text_corpora, config) -> dict[str, Corpus]:
    return {
        "code": Corpus([str(text_corpora["code"])], doc_bytes=config.doc_bytes),
        "prose": Corpus([str(text_corpora["prose"])], include=["*.txt"], doc_bytes=config.doc_bytes),
        "more": Corpus([str(text_corpora["more"])], doc_bytes=config.doc_bytes),
    }


def _two(corpora: dict[str, Corpus]) -> dict[str, Corpus]:
    return {k: corpora[k] for k in ("code", "prose")}


def _state(model) -> dict[str, torch.Tensor]:
    return {k: v.detach().clone() for k, v in model.state_dict().items() if torch.is_tensor(v)}


class AfterPrepare:
    """Wraps a policy and keeps the model's weights right after each stage's ``prepare``."""

    def __init__(self, policy):
        self.policy, self.grows, self.sequential = policy, policy.grows, policy.sequential
        self.prepared: dict[int, dict[str, torch.Tensor]] = {}

    def prepare(self, model, stage):
        self.policy.prepare(model, stage)
        self.prepared[stage.index] = _state(model)

    def windows(self, stage):
        return self.policy.windows(stage)


def _probed(monkeypatch, method: str) -> AfterPrepare:
    probe = AfterPrepare(RECIPES[method].policy())
    monkeypatch.setitem(RECIPES, method, dataclasses.replace(RECIPES[method], policy=lambda: probe))
    return probe


def _policies(monkeypatch, method: str) -> list:
    """Every policy the recipe ``method`` makes from now on, in order (one per run)."""
    made, factory = [], RECIPES[method].policy

    def make():
        made.append(factory())
        return made[-1]

    monkeypatch.setitem(RECIPES, method, dataclasses.replace(RECIPES[method], policy=make))
    return made


# -- peer-sparse -----------------------------------------------------------------------------------
def test_tfidf_keeps_the_rows_the_new_corpus_uses_and_the_background_did_not():
    new = RetrievalCounts(hits=torch.tensor([5, 5, 1, 0]), tokens_using=torch.tensor([4, 3, 1, 0]), tokens=4)
    old = RetrievalCounts(hits=torch.tensor([30, 0, 0, 2]), tokens_using=torch.tensor([10, 0, 0, 2]), tokens=10)
    scores = tfidf_scores(new, old)
    expected = [5 / 4 * math.log(11 / 11), 5 / 4 * math.log(11), 1 / 4 * math.log(11), 0.0]
    assert scores.tolist() == pytest.approx(expected)
    assert top_rows(scores, 1).tolist() == [False, True, False, False]
    # Expert 0 is used by every background token (idf 0), expert 3 not by the new corpus: never kept.
    assert top_rows(scores, 4).tolist() == [False, True, True, False]
    summed = old + old
    assert summed.tokens == 20 and summed.tokens_using.tolist() == [20, 0, 0, 4]


def test_retrieval_counts_match_a_slow_per_token_count(corpora, config):
    torch.manual_seed(0)
    model = RECIPES["peer-sparse"].build(config)
    windows = train_windows(corpora["code"], ByteTokenizer(), config, seed=0)
    counts = retrieval_counts(RoutedModel(model), windows, 1, config.batch_size)
    inputs: list[torch.Tensor] = []
    (i, layer), = peer_layers(model)
    hook = model.blocks[i].ffn.register_forward_pre_hook(lambda _m, args: inputs.append(args[0].flatten(0, -2)))
    it = iter(windows)
    with torch.no_grad():
        model.eval()
        model(torch.stack([next(it) for _ in range(config.batch_size)])[:, :-1])
        ids = layer.retrieve(inputs[0]).ids  # [T, h, k]
    hook.remove()
    hits, using = [0] * layer.memory.num_experts, [0] * layer.memory.num_experts
    for token in ids.tolist():
        seen = set()
        for head in token:
            for e in head:
                hits[e] += 1
                seen.add(e)
        for e in seen:
            using[e] += 1
    assert counts[i].tokens == config.batch_size * config.seq_len
    assert counts[i].hits.tolist() == hits and counts[i].tokens_using.tolist() == using


def test_peer_sparse_trains_only_the_selected_rows(monkeypatch, corpora, config):
    probe = _probed(monkeypatch, "peer-sparse")
    ended: dict[int, dict[str, torch.Tensor]] = {}
    run = run_method("peer-sparse", _two(corpora), config, steps=4,
                     on_stage=lambda t, m: ended.setdefault(t, _state(m)))
    assert len(run.loss) == 2 and all(len(u["code"][1]) == 1 for u in run.usage)  # one segment, no growth
    policy = probe.policy
    before, after = probe.prepared[1], ended[1]
    assert all(torch.equal(ended[0][k], before[k]) for k in before)  # prepare moves no weight
    assert any(not torch.equal(probe.prepared[0][k], ended[0][k]) for k in before if ".segments." not in k)

    (block,) = policy.selected
    rows = policy.selected[block]
    n = config.model.peer.n_keys ** 2
    assert 0 < rows.numel() <= n // 4  # the default: a quarter of the rows at most
    frozen = torch.ones(n, dtype=torch.bool)
    frozen[rows] = False
    tables = [k for k in before if k.endswith(("down.weight", "up.weight"))]
    assert len(tables) == 2
    for k in tables:
        assert torch.equal(before[k][frozen], after[k][frozen]), k  # bit-identical, no decay either
        assert not torch.equal(before[k][~frozen], after[k][~frozen]), k  # the selected rows trained
    others = [k for k in before if k not in tables]
    assert any(k.endswith("sub_keys") for k in others)
    assert all(torch.equal(before[k], after[k]) for k in others)  # backbone and sub-keys frozen


def test_peer_sparse_state_belongs_to_one_run(monkeypatch, corpora, config):
    made = _policies(monkeypatch, "peer-sparse")
    per_corpus = config.kmeans_batches * config.batch_size * config.seq_len
    first = run_method("peer-sparse", _two(corpora), config, steps=3)
    state = {i: (b.tokens, b.tokens_using.clone()) for i, b in made[0].background.items()}
    selected = {i: r.clone() for i, r in made[0].selected.items()}
    second = run_method("peer-sparse", _two(corpora), config, steps=3)
    policy = made[1]
    assert len(made) == 2 and policy is not made[0]  # a fresh policy per run
    assert second.loss == first.loss and second.train_loss == first.train_loss
    assert all(b.tokens == per_corpus for b in policy.background.values())  # not 2 runs' worth
    assert policy.background.keys() == state.keys()
    assert all(torch.equal(policy.background[i].tokens_using, state[i][1]) for i in state)
    assert all(torch.equal(policy.selected[i], selected[i]) for i in selected)


def test_peer_sparse_accumulates_the_background_and_replaces_its_hooks(monkeypatch, corpora, config):
    models = []
    made = _policies(monkeypatch, "peer-sparse")
    run_method("peer-sparse", corpora, config, steps=2, on_stage=lambda t, m: models.append(m))
    (policy,) = made
    assert policy.learnt == 2
    assert all(b.tokens == 2 * config.kmeans_batches * config.batch_size * config.seq_len
               for b in policy.background.values())
    tables = [w for _, layer in peer_layers(models[-1].lm) for _, *ws in layer.memory.tables() for w in ws]
    assert all(len(w._backward_hooks) == 1 for w in tables)  # stage 1's hooks went before stage 2's came
    policy.release()
    assert all(not w._backward_hooks for w in tables) and policy.selected == {}


# -- switch-grow -----------------------------------------------------------------------------------
def test_a_grown_switch_layer_is_one_switch_layer_holding_every_expert(config):
    torch.manual_seed(0)
    model = moe_model("switch")(config)
    (_, ffn), = switch_layers(model)
    d = ffn.router.weight.shape[1]
    capacity = (ffn.capacity(256), ffn.eval().capacity(256))
    grow_switch(ffn, torch.randn(5, d) * 0.3)
    assert isinstance(ffn.experts, ExpertGroups) and ffn.config.n_experts == 13 == ffn.experts.n_experts
    assert (ffn.train().capacity(256), ffn.eval().capacity(256)) == capacity  # every expert keeps its capacity
    reference = SwitchFFN(d, ffn.experts.w_in.shape[2], ffn.config)
    with torch.no_grad():
        reference.router.weight.copy_(ffn.router.weight)
        reference.experts.w_in.copy_(ffn.experts.w_in)
        reference.experts.w_out.copy_(ffn.experts.w_out)
    x = torch.randn(4, 16, d)
    for mode in (True, False):
        ffn.train(mode), reference.train(mode)
        (y, aux), (y_ref, aux_ref) = ffn(x), reference(x)
        assert torch.allclose(y, y_ref, atol=1e-6)
        assert all(torch.allclose(aux.losses[k], aux_ref.losses[k]) for k in aux_ref.losses)
        assert torch.equal(aux.stats["load"], aux_ref.stats["load"])


def test_switch_grow_freezes_old_experts_router_rows_and_backbone(monkeypatch, corpora, config):
    probe = _probed(monkeypatch, "switch-grow")
    ended: dict[int, dict[str, torch.Tensor]] = {}
    models = []

    def keep(t, model):
        ended[t] = _state(model)
        models.append(model)

    run = run_method("switch-grow", _two(corpora), config, steps=4, on_stage=keep)
    assert len(run.loss) == 2 and run.intrusion is None  # usage and intrusion are PEER-only in MethodRun
    model = models[-1]
    (block, ffn), = switch_layers(model.lm)
    n = config.model.moe.n_experts  # the default n_new: as many as the first model has
    assert ffn.config.n_experts == 2 * n == ffn.router.weight.shape[0] == ffn.experts.n_experts
    assert model.config.moe.n_experts == 2 * n

    stage0, before, after = ended[0], probe.prepared[1], ended[1]
    p = f"lm.blocks.{block}.ffn."
    renamed = {p + "router.blocks.0": p + "router.weight", p + "experts.groups.0.w_in": p + "experts.w_in",
               p + "experts.groups.0.w_out": p + "experts.w_out"}
    new = [k for k in before if k.startswith((p + "router.blocks.1", p + "experts.groups.1."))]
    assert len(new) == 3
    assert all(torch.equal(before[k], stage0[renamed.get(k, k)]) for k in before if k not in new)  # growth moves none
    assert all(not torch.equal(before[k], after[k]) for k in new)  # the new experts and router rows trained
    assert all(torch.equal(before[k], after[k]) for k in before if k not in new)  # all else bit-identical

    # Intrusion (not in MethodRun for Switch): each corpus's share of tokens processed by the new experts.
    tokenizer = ByteTokenizer()
    for name in ("code", "prose"):
        shares = group_usage(model, corpora[name], tokenizer, config)[block]
        assert len(shares) == 2 and sum(shares) == pytest.approx(1.0, abs=1e-4) and 0.0 <= shares[1] <= 1.0


def test_switch_grow_router_rows_point_at_the_new_corpus(corpora, config):
    torch.manual_seed(0)
    model = RoutedModel(moe_model("switch")(config))
    tokenizer = ByteTokenizer()
    names, docs = list(_two(corpora)), list(_two(corpora).values())
    streams = [train_windows(c, tokenizer, config, seed=config.seed + i) for i, c in enumerate(docs)]
    (block, ffn), = switch_layers(model.lm)
    old_norm = ffn.router.weight.detach().norm(dim=1).mean()
    RECIPES["switch-grow"].policy().prepare(model, Stage(1, names, docs, streams, tokenizer, config))
    rows = ffn.router.blocks[1].detach()
    assert torch.allclose(rows.norm(dim=1), old_norm.expand(rows.shape[0]), rtol=1e-4)
    x = ffn_inputs(model, streams[1], config.kmeans_batches, config.batch_size, [block])[block]
    cos = torch.nn.functional.normalize(x, dim=1) @ torch.nn.functional.normalize(rows, dim=1).T  # [T, n_new]
    assert cos.max(1).values.mean() > 0.5  # every new-corpus token has a close new row
    trainable = {id(q) for q in model.parameters() if q.requires_grad}
    assert trainable == {id(ffn.router.blocks[1])} | {id(q) for q in ffn.experts.groups[1].parameters()}


# -- hmoe-grow -------------------------------------------------------------------------------------
def test_a_grown_hmoe_layer_is_one_hmoe_layer_holding_every_group(config):
    torch.manual_seed(0)
    (_, ffn), = mixture_layers(moe_model("hmoe")(config), HierarchicalMoEFFN)
    with torch.no_grad():
        for gate in (ffn.w_gate, ffn.w_noise, ffn.w_group_gate, ffn.w_group_noise):
            torch.nn.init.normal_(gate.weight)  # route by content
    a, b = ffn.config.n_groups, ffn.config.experts_per_group
    d = ffn.w_gate.weight.shape[1]
    new = grow_hmoe(ffn, torch.randn(3, d))
    assert len(new) == 6 and ffn.config.n_groups == a + 3 and ffn.experts.n_experts == (a + 3) * b
    with torch.no_grad():  # new groups' secondary gates start at 0: give them rows so the comparison routes there
        for p in new[2:4]:
            torch.nn.init.normal_(p)
    reference = HierarchicalMoEFFN(d, ffn.experts.w_in.shape[2], ffn.config)
    with torch.no_grad():
        for name in ("w_gate", "w_noise", "w_group_gate", "w_group_noise"):
            getattr(reference, name).weight.copy_(getattr(ffn, name).weight)
        reference.experts.w_in.copy_(ffn.experts.w_in)
        reference.experts.w_out.copy_(ffn.experts.w_out)
    x = torch.randn(4, 16, d)
    for mode in (True, False):
        ffn.train(mode), reference.train(mode)
        torch.manual_seed(1)
        y, aux = ffn(x)
        torch.manual_seed(1)
        y_ref, aux_ref = reference(x)
        assert torch.allclose(y, y_ref, atol=1e-6)
        assert all(torch.allclose(aux.losses[k], aux_ref.losses[k]) for k in aux_ref.losses)
        assert torch.equal(aux.stats["load"], aux_ref.stats["load"])
        assert aux.stats["load"][a * b:].sum() > 0  # tokens reach the new groups


def test_hmoe_grow_freezes_old_groups_gate_rows_and_backbone(monkeypatch, corpora, config):
    probe = _probed(monkeypatch, "hmoe-grow")
    ended: dict[int, dict[str, torch.Tensor]] = {}
    models = []

    def keep(t, model):
        ended[t] = _state(model)
        models.append(model)

    run = run_method("hmoe-grow", _two(corpora), config, steps=4, on_stage=keep)
    assert len(run.loss) == 2 and run.intrusion is None
    (block, ffn), = mixture_layers(models[-1].lm, HierarchicalMoEFFN)
    a = config.model.moe.n_groups  # the default n_new: as many groups as the first model has
    assert ffn.config.n_groups == 2 * a == ffn.w_gate.weight.shape[0] == models[-1].config.moe.n_groups
    assert ffn.experts.n_experts == ffn.config.n_experts == ffn.w_group_gate.weight.shape[0]

    stage0, before, after = ended[0], probe.prepared[1], ended[1]
    p = f"lm.blocks.{block}.ffn."
    gates = ("w_gate", "w_noise", "w_group_gate", "w_group_noise")
    renamed = {p + f"{g}.blocks.0": p + f"{g}.weight" for g in gates}
    renamed |= {p + f"experts.groups.0.{w}": p + f"experts.{w}" for w in ("w_in", "w_out")}
    new = [k for k in before if k.startswith(tuple(p + f"{g}.blocks.1" for g in gates) + (p + "experts.groups.1.",))]
    assert len(new) == 6
    assert all(torch.equal(before[k], stage0[renamed.get(k, k)]) for k in before if k not in new)  # growth moves none
    assert all(not torch.equal(before[k], after[k]) for k in new)  # the new groups' gates, noise and experts trained
    assert all(torch.equal(before[k], after[k]) for k in before if k not in new)  # all else bit-identical
