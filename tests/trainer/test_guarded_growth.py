"""Guarded growth and gated version adapters: the hook arithmetic against a hand-written forward, a new
adapter that starts as the old model, a gate that learns to tell stored old inputs from new ones, and the
peer-grow-guard / peer-grow-adapt / peer-grow-lora recipes keeping frozen weights bit-identical through a
stream. The LoRA versions of :mod:`trainer.version_lora` are checked against a hand-written forward too."""

from __future__ import annotations

import pytest
import torch

from peer_store.errors import ConfigError
from tests.conftest import merge_version, tiny_continual_config
from trainer.compare import RECIPES, parameter_counts, run_method
from trainer.data import Corpus
from trainer.flops import forward_flops
from trainer.gated_adapters import GatedAdapters
from trainer.guarded_growth import LoRAGuardedGrowth, embedding_inputs
from trainer.model import LanguageModel
from trainer.version_lora import GatedLoRA, embedding_features, exclusive_gates, pair_signs
from trainer.versioned import peer_layers


@pytest.fixture(scope="module")
def config():
    return tiny_continual_config(model=dict(
        d_model=32, n_layers=3, n_heads=2, max_seq_len=32, ffn="peer", sparse_blocks="every_other",
        peer=dict(n_heads=2, top_k=4, n_keys=8),
    ))


def manual_forward(model: LanguageModel, adapters: GatedAdapters, tokens: torch.Tensor) -> torch.Tensor:
    """The adapted model written out: blocks, then each adapted block's output plus gate x adapter."""
    from trainer.model import rotary_tables

    c = model.config
    x = model.embed(tokens)
    rope = rotary_tables(tokens.shape[1], c.d_model // c.n_heads, c.rope_base, tokens.device)
    gates = None
    for b, block in enumerate(model.blocks):
        if b == adapters.first:
            mean = torch.stack([x[:, : t + 1].mean(1) for t in range(x.shape[1])], 1)  # [B, S, d] causal means
            gates = [torch.sigmoid(a.gate(a.gate_norm(mean))) for a in adapters.versions]  # [B, S, 1] each
        x, _ = block.forward(x, rope)  # .forward: no hooks
        if gates is not None:
            for a, g in zip(adapters.versions, gates):
                x = x + g * a.adapt(b - adapters.first, x)
    return model.head(model.ln_out(x))


def test_adapters_add_gate_times_bottleneck_and_start_as_the_old_model(config):
    torch.manual_seed(0)
    model = LanguageModel(config.model).eval()
    tokens = torch.randint(0, 256, (2, 16))
    before = model(tokens).logits
    adapters = GatedAdapters(model, first=1)
    adapters.add(rank=4, negatives=torch.randn(10, 32))
    assert torch.equal(model(tokens).logits, before)  # up projections start at zero
    for a in adapters.versions:
        for up in a.up:
            torch.nn.init.normal_(up.weight, 0.0, 0.5)
    adapters.add(rank=3, negatives=torch.randn(10, 32))
    for up in adapters.versions[1].up:
        torch.nn.init.normal_(up.weight, 0.0, 0.5)
    out = model(tokens).logits
    assert not torch.allclose(out, before)
    assert torch.allclose(out, manual_forward(model, adapters, tokens), atol=1e-5)
    assert not any(p.requires_grad for p in adapters.versions[0].parameters())  # the older version froze
    # Every token runs both gates (2d) and both versions' bottlenecks on the 2 adapted blocks (4 d r each).
    assert forward_flops(model, seq_len=16, group_size=2).adapters == 2 * (2 * 32) + 2 * 4 * 32 * (4 + 3)
    adapters.remove()
    assert torch.equal(model(tokens).logits, before)


def test_the_gate_learns_to_close_on_stored_old_inputs(config):
    torch.manual_seed(0)
    model = LanguageModel(config.model)
    adapters = GatedAdapters(model, first=1)
    direction = torch.tensor([1.0, -1.0] * 16)  # zero mean: the gate's LayerNorm keeps it
    old, new = torch.randn(256, 32) + direction, torch.randn(256, 32) - direction
    a = adapters.add(rank=4, negatives=old)
    losses = a.fit_gate(new, steps=200, lr=1e-2)
    assert losses[-1] < 0.2 * losses[0]
    assert all(p.grad is None for p in a.parameters())
    assert all(torch.equal(up.weight, torch.zeros_like(up.weight)) for up in a.up)  # only the gate moved
    g_old, g_new = adapters.gates(old)[:, 0], adapters.gates(new)[:, 0]
    assert g_old.mean() < 0.05 and g_new.mean() > 0.95


def test_the_gate_must_read_a_block_after_the_first(config):
    model = LanguageModel(config.model)
    with pytest.raises(ConfigError, match="1..2"):
        GatedAdapters(model, first=0)


@pytest.mark.parametrize("method", ["peer-grow-guard", "peer-grow-adapt", "peer-grow-lora", "peer-grow-lora-exclusive",
                                    "peer-grow-lora-exclusive-bigram"])
def test_guarded_recipes_keep_frozen_weights_and_guard_old_queries(method, config, text_corpora, monkeypatch):
    corpora = {
        "code": Corpus([str(text_corpora["code"])], doc_bytes=config.doc_bytes),
        "prose": Corpus([str(text_corpora["prose"])], include=["*.txt"], doc_bytes=config.doc_bytes),
    }
    snapshots, grown = {}, {}
    policy = RECIPES[method].policy
    prepare = policy.prepare

    def prepare_and_snapshot(model, stage):
        prepare(model, stage)
        if stage.index == 1:
            grown.update({k: v.clone() for k, v in model.state_dict().items() if torch.is_tensor(v)})

    monkeypatch.setattr(policy, "prepare", prepare_and_snapshot)

    def on_stage(t, model):
        snapshots[t] = {k: v.clone() for k, v in model.state_dict().items() if torch.is_tensor(v)}
        if t == 1:
            for i, layer in peer_layers(model):
                guard = model.blocks[i].ffn.guard
                assert guard is not None and guard.queries.shape[1] == layer.config.d_key

    run = run_method(method, corpora, config, steps=4, on_stage=on_stage)
    assert len(run.loss) == 2 and all(v is not None for v in run.loss[-1])
    first, second = snapshots[0], snapshots[1]
    frozen = [k for k in first if "segments.1" not in k]
    assert all(torch.equal(first[k], second[k]) for k in frozen)  # backbone and the old segment
    trained = [k for k, v in second.items() if k in grown and not torch.equal(v, grown[k])]
    assert trained and all("segments.1" in k or k.startswith(("adapter_", "lora_")) for k in trained)
    if method != "peer-grow-guard":
        assert any(k.startswith(("adapter_0.", "lora_0.")) for k in trained)
        plain = parameter_counts(LanguageModel(config.model), config.model, group_size=config.batch_size)[1]
        assert run.active_params > plain  # every token runs the adapters: they are counted as active


def test_switching_newer_segments_off_isolates_backbone_drift(config, text_corpora):
    """With a frozen backbone, the model with the newer segments off is the model as the old corpus left it:
    no forgetting left (drift 0). With a trainable backbone, drift is what remains."""
    corpora = {
        "code": Corpus([str(text_corpora["code"])], doc_bytes=config.doc_bytes),
        "prose": Corpus([str(text_corpora["prose"])], include=["*.txt"], doc_bytes=config.doc_bytes),
    }
    frozen = run_method("peer-grow", corpora, config, steps=4)
    assert frozen.drift_forgetting == pytest.approx(0.0, abs=1e-6)
    lora = run_method("peer-grow-lora", corpora, config, steps=4)  # LoRA versions are switched off too
    assert lora.drift_forgetting == pytest.approx(0.0, abs=1e-6)
    trainable = run_method("peer-grow-trainable", corpora, config, steps=4)
    assert abs(trainable.drift_forgetting) > 1e-4
    assert run_method("peer-finetune", corpora, config, steps=2).drift_forgetting is None


def manual_lora_forward(model: LanguageModel, lora: GatedLoRA, tokens: torch.Tensor) -> torch.Tensor:
    """The LoRA-adapted model written out with plain tensor ops: gates from the running mean of the frozen
    embedding, the embedding delta, every attention projection and the head with gate x B A x added."""
    import torch.nn.functional as F

    from trainer.model import rotary_tables

    c = model.config
    lora._gates = None  # the hooks add nothing when no gates were computed; the deltas are written out here
    e = F.embedding(tokens, model.embed.weight)
    mean = torch.stack([e[:, : t + 1].mean(1) for t in range(e.shape[1])], 1)  # [B, S, d]
    gates = [torch.sigmoid(v.gate(v.gate_norm(mean))) for v in lora.versions]  # [B, S, 1] each
    x = e + sum(g * v.embed(tokens) for g, v in zip(gates, lora.versions))

    def linear(name: str, weight: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
        key = name.replace(".", "_")
        return h @ weight.T + sum(g * (h @ v.a[key].T @ v.b[key].T) for g, v in zip(gates, lora.versions))

    rope = rotary_tables(tokens.shape[1], c.d_model // c.n_heads, c.rope_base, tokens.device)
    for b, block in enumerate(model.blocks):
        attn = block.attn
        saved = attn.qkv.forward, attn.proj.forward  # route the block's own code through the written-out linears
        attn.qkv.forward = lambda h, b=b, w=attn.qkv.weight: linear(f"blocks.{b}.attn.qkv", w, h)
        attn.proj.forward = lambda h, b=b, w=attn.proj.weight: linear(f"blocks.{b}.attn.proj", w, h)
        try:
            x, _ = block.forward(x, rope)
        finally:
            attn.qkv.forward, attn.proj.forward = saved
    return linear("head", model.head.weight, model.ln_out(x))


def test_lora_versions_add_gated_deltas_and_start_as_the_old_model(config):
    torch.manual_seed(0)
    model = LanguageModel(config.model).eval()
    tokens = torch.randint(0, 256, (2, 12))
    before = model(tokens).logits
    lora = GatedLoRA(model)
    lora.add(rank=4, negatives=torch.randn(10, 32))
    assert torch.equal(model(tokens).logits, before)  # B and the embedding delta start at 0
    lora.add(rank=3, negatives=torch.randn(10, 32))
    with torch.no_grad():
        for v in lora.versions:
            v.embed.weight.normal_()
            for b in v.b.values():
                b.normal_()
    out = model(tokens).logits
    assert not torch.allclose(out, before, atol=1e-3)
    assert torch.allclose(out, manual_lora_forward(model, lora, tokens), atol=1e-4)
    assert not any(p.requires_grad for p in lora.versions[0].parameters())  # the older version froze
    # Every token: both gates (2d), and per version 2 r (in + out) for each attention projection and the head.
    d, v = 32, model.config.vocab_size
    per_rank = len(model.blocks) * ((d + 3 * d) + (d + d)) + (d + v)
    assert forward_flops(model, seq_len=16, group_size=2).adapters == 2 * (2 * d) + 2 * (4 + 3) * per_rank
    # A token looks up one row of each embedding delta; every other LoRA parameter is active.
    total, active = parameter_counts(model, config.model, group_size=config.batch_size)
    lora.remove()
    assert torch.equal(model(tokens).logits, before)  # hooks off: the frozen model again
    base_total, base_active = parameter_counts(LanguageModel(config.model), config.model, group_size=config.batch_size)
    assert total - base_total == sum(p.numel() for ver in lora.versions for p in ver.parameters())
    assert active - base_active == sum(ver.active_params() for ver in lora.versions)


def test_the_lora_gate_reads_only_the_frozen_embedding(config):
    """Gate features are running means of the frozen embedding: what an old corpus stored stays exact after a
    version trains its deltas, and the gate learns to close on it."""
    torch.manual_seed(0)
    model = LanguageModel(config.model)
    windows = [torch.randint(0, 128, (33,)) for _ in range(8)]  # the 'old corpus': low bytes
    old = embedding_inputs(model, windows, 2, 4)
    lora = GatedLoRA(model)
    new_windows = [torch.randint(128, 256, (33,)) for _ in range(8)]
    version = lora.add(rank=4, negatives=old)
    version.fit_gate(embedding_inputs(model, new_windows, 2, 4), steps=200)
    with torch.no_grad():
        version.embed.weight.normal_()
        for b in version.b.values():
            b.normal_()
    assert torch.equal(embedding_inputs(model, windows, 2, 4), old)
    g_old = lora.gates(old)[:, 0]
    g_new = lora.gates(embedding_inputs(model, new_windows, 2, 4))[:, 0]
    assert g_old.mean() < 0.2 < 0.8 < g_new.mean()
    lora.remove()


def test_lora_versions_keep_the_model_causal(config):
    """The gate averages the text so far only: logits at t do not move when tokens after t change."""
    torch.manual_seed(0)
    model = LanguageModel(config.model).eval()
    lora = GatedLoRA(model)
    version = lora.add(rank=4, negatives=torch.randn(10, 32))
    with torch.no_grad():
        version.embed.weight.normal_()
        for b in version.b.values():
            b.normal_()
    tokens = torch.randint(0, 256, (2, 12))
    changed = tokens.clone()
    changed[:, 7:] = torch.randint(0, 256, (2, 5))
    a, b = model(tokens).logits, model(changed).logits
    assert torch.allclose(a[:, :7], b[:, :7], atol=1e-5) and not torch.allclose(a[:, 7:], b[:, 7:], atol=1e-3)
    lora.remove()


def test_exclusive_gates_pick_the_newest_open_version_with_sigmoid_gradients():
    logits = torch.tensor([[1.0, 2.0, -1.0], [-1.0, -0.5, -2.0], [3.0, -1.0, -1.0], [4.0, 0.5, -3.0]], requires_grad=True)
    gates = exclusive_gates(logits)
    assert gates.tolist() == [[0, 1, 0], [0, 0, 0], [1, 0, 0], [0, 1, 0]]  # newest open gate, not the highest logit
    gates.sum().backward()
    s = torch.sigmoid(logits.detach())
    assert torch.allclose(logits.grad, s * (1 - s))  # straight-through: the soft gate's gradient


def test_exclusive_lora_equals_the_model_with_the_version_merged_in(config):
    """Routed exclusively, a token of version v is computed by the frozen model with W + B_v A_v in every adapted
    linear and E + D_v as embedding; so a token's active parameters and FLOPs are the base model's plus the gates."""
    torch.manual_seed(0)
    model = LanguageModel(config.model).eval()
    tokens = torch.randint(0, 256, (2, 12))
    lora = GatedLoRA(model, exclusive=True)
    for rank in (4, 3):
        lora.add(rank=rank, negatives=torch.randn(10, 32))
    with torch.no_grad():
        for v in lora.versions:
            v.embed.weight.normal_()
            for b in v.b.values():
                b.normal_()
            v.gate.weight.zero_()
        lora.versions[0].gate.bias.fill_(5.0)
        lora.versions[1].gate.bias.fill_(2.0)  # both open: every token takes the newer version (1) only
    routed = model(tokens).logits
    d = model.config.d_model
    total, active = parameter_counts(model, config.model, group_size=config.batch_size)
    assert forward_flops(model, seq_len=16, group_size=2).adapters == 2 * (2 * d)  # the gates
    with torch.no_grad():
        lora.versions[1].gate.bias.fill_(-1.0)
        lora.versions[0].gate.bias.fill_(-1.0)
    closed = model(tokens).logits
    lora.remove()
    base_total, base_active = parameter_counts(LanguageModel(config.model), config.model, group_size=config.batch_size)
    assert active - base_active == sum(sum(p.numel() for p in ver.gate_parameters()) for ver in lora.versions)
    assert total - base_total == sum(p.numel() for ver in lora.versions for p in ver.parameters())
    assert torch.allclose(closed, model(tokens).logits, atol=1e-6)  # every gate closed: the frozen model
    v = lora.versions[1]
    merge_version(model, lora.targets, v)
    assert torch.allclose(routed, model(tokens).logits, atol=1e-4)


def test_pair_signs_are_a_fixed_causal_sketch_of_token_pairs():
    tokens = torch.randint(0, 256, (3, 40), generator=torch.Generator().manual_seed(0))
    tokens[1, 10:12] = tokens[0, 0:2]  # the pair ending at [0, 1] again, ending at [1, 11]
    signs = pair_signs(tokens, 64, 256)
    assert signs.shape == (3, 40, 64) and set(signs.unique().tolist()) == {-1.0, 1.0}
    assert torch.equal(signs, pair_signs(tokens.clone(), 64, 256))  # hashed: no state, same every call
    assert torch.equal(signs[1, 11], signs[0, 1]) and not torch.equal(signs[1, 11], signs[1, 12])
    changed = tokens.clone()
    changed[:, 20] = (changed[:, 20] + 1) % 256  # changes the pairs ending at 20 and 21, nothing else
    moved = (pair_signs(changed, 64, 256) != signs).any(-1)  # [B, S]
    assert moved[:, 20:22].all() and not moved[:, :20].any() and not moved[:, 22:].any()
    # Over every byte pair the sign columns are nearly uncorrelated (a random projection of the pair histogram).
    pairs = torch.arange(257 * 256)
    every = pair_signs(torch.stack([pairs // 256, pairs % 256], 1), 64, 256)[:, 1]  # [pairs, 64]
    corr = every.T @ every / every.shape[0]
    assert (corr - torch.eye(64)).abs().max() < 0.05


def test_bigram_gate_features_extend_the_embedding_features(config):
    torch.manual_seed(0)
    model = LanguageModel(config.model)
    tokens = torch.randint(0, 256, (2, 12))
    plain, both = embedding_features(model, tokens), embedding_features(model, tokens, "bigram")
    d = config.model.d_model
    assert both.shape == (2, 12, 2 * d) and torch.equal(both[..., :d], plain)
    lora = GatedLoRA(model, exclusive=True, features="bigram")
    version = lora.add(rank=2, negatives=torch.randn(10, 2 * d))
    assert version.gate.in_features == 2 * d
    assert forward_flops(model, seq_len=16, group_size=2).adapters == 2 * (2 * d)
    with pytest.raises(ConfigError, match="gate features"):
        GatedLoRA(model, features="trigram")
    with pytest.raises(ConfigError, match="gate features"):
        LoRAGuardedGrowth(rank=2, gate_features="trigram")
    lora.remove()
