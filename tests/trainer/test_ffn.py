"""FFN kinds: equivalences with a dense MLP, auxiliary losses against hand-computed values,
Switch overflow, and the registry."""

from __future__ import annotations

import math

import pytest
import torch

from peer_store.errors import ConfigError
from trainer.config import MoEConfig, ModelConfig
from trainer.ffn import (
    FFN,
    FFN_REGISTRY,
    DenseFFN,
    FFNAux,
    NoisyTopKFFN,
    PEERFFN,
    SoftMoEFFN,
    SwitchFFN,
    active_ffn_params,
    build_ffn,
    matched_dense_width,
)
from trainer.ffn.topk import cv_squared, prob_in_top_k
from trainer.model import Block

D, DE = 8, 16


def dense_like(experts, i: int = 0) -> DenseFFN:
    """A dense FFN holding expert i's weights."""
    dense = DenseFFN(D, DE)
    with torch.no_grad():
        dense.w_in.weight.copy_(experts.w_in[i].T)
        dense.w_out.weight.copy_(experts.w_out[i].T)
    return dense


def copy_expert_everywhere(experts) -> None:
    with torch.no_grad():
        experts.w_in.copy_(experts.w_in[:1].expand_as(experts.w_in))
        experts.w_out.copy_(experts.w_out[:1].expand_as(experts.w_out))


# -- equivalences ------------------------------------------------------------------------------
@pytest.mark.parametrize("training", [True, False])
def test_one_expert_switch_equals_dense(training):
    torch.manual_seed(0)
    switch = SwitchFFN(D, DE, MoEConfig(n_experts=1, top_k=1, capacity_factor_train=1.0))
    switch.train(training)
    x = torch.randn(3, 5, D)
    y, aux = switch(x)
    expected, _ = dense_like(switch.experts)(x)
    torch.testing.assert_close(y, expected)
    assert aux.stats["dropped_tokens"].item() == 0


@pytest.mark.parametrize("training", [True, False])
def test_top1_noiseless_topk_equals_dense(training):
    torch.manual_seed(0)
    layer = NoisyTopKFFN(D, DE, MoEConfig(n_experts=1, top_k=1, noisy=False)).train(training)
    x = torch.randn(3, 5, D)
    torch.testing.assert_close(layer(x)[0], dense_like(layer.experts)(x)[0])


def test_top1_noiseless_topk_with_identical_experts_equals_dense():
    """With k=1 the single kept logit gets gate 1, so whichever expert is chosen, identical
    experts give the dense output."""
    torch.manual_seed(0)
    layer = NoisyTopKFFN(D, DE, MoEConfig(n_experts=4, top_k=1, noisy=False)).train()
    torch.nn.init.normal_(layer.w_gate.weight)  # tokens really go to different experts
    copy_expert_everywhere(layer.experts)
    x = torch.randn(3, 5, D)
    y, aux = layer(x)
    torch.testing.assert_close(y, dense_like(layer.experts)(x)[0])
    assert aux.stats["used_fraction"].item() > 0.25


@pytest.mark.parametrize("n_experts,slots", [(1, 1), (3, 2)])
def test_soft_moe_with_one_token_per_group_equals_dense(n_experts, slots):
    """A group of one token (batch size 1): every slot's input is that token (dispatch softmax over
    one token is 1), and the combine weights sum to 1 over slots of identical experts."""
    torch.manual_seed(0)
    layer = SoftMoEFFN(D, DE, MoEConfig(n_experts=n_experts, top_k=1, slots_per_expert=slots))
    copy_expert_everywhere(layer.experts)
    x = torch.randn(1, 7, D)
    torch.testing.assert_close(layer(x)[0], dense_like(layer.experts)(x)[0])


def test_soft_moe_groups_by_position():
    """Changing sequence 1 at position 3 changes outputs at position 3 only (the group), in every sequence."""
    torch.manual_seed(0)
    layer = SoftMoEFFN(D, DE, MoEConfig(n_experts=2, top_k=1, slots_per_expert=2))
    x = torch.randn(3, 6, D)
    x2 = x.clone()
    x2[1, 3] = torch.randn(D)
    y, y2 = layer(x)[0], layer(x2)[0]
    changed = (y - y2).abs().amax(-1) > 1e-6  # [B, S]
    assert changed[:, 3].all()
    changed[:, 3] = False
    assert not changed.any()


# -- auxiliary losses --------------------------------------------------------------------------
def softmax(row):
    m = max(row)
    e = [math.exp(v - m) for v in row]
    return [v / sum(e) for v in e]


def test_switch_aux_losses_match_hand_computation():
    cfg = MoEConfig(n_experts=2, top_k=1, balance_alpha=0.01, z_loss=1e-3, capacity_factor_train=2.0)
    layer = SwitchFFN(2, 4, cfg).train()
    with torch.no_grad():
        layer.router.weight.copy_(torch.eye(2))  # logits = x
    tokens = [[2.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.0, 0.5]]
    _, aux = layer(torch.tensor(tokens))  # [T=4, d=2]
    probs = [softmax(t) for t in tokens]
    n, t = 2, len(tokens)
    f = [sum(1 for p in probs if p.index(max(p)) == i) / t for i in range(n)]  # [0.5, 0.5]
    p_mean = [sum(p[i] for p in probs) / t for i in range(n)]
    balance = 0.01 * n * sum(fi * pi for fi, pi in zip(f, p_mean))
    z = 1e-3 * sum(math.log(sum(math.exp(v) for v in row)) ** 2 for row in tokens) / t
    assert aux.losses["switch_balance"].item() == pytest.approx(balance, rel=1e-6)
    assert aux.losses["switch_z"].item() == pytest.approx(z, rel=1e-6)
    assert aux.stats["load"].tolist() == [0.5, 0.5]
    entropy = -sum(sum(q * math.log(q) for q in p) for p in probs) / t
    assert aux.stats["router_entropy"].item() == pytest.approx(entropy, rel=1e-5)


def test_balance_loss_is_alpha_when_perfectly_balanced():
    """Uniform router: f_i = P_i = 1/N, so alpha * N * sum f_i P_i = alpha (the paper's minimum)."""
    layer = SwitchFFN(4, 4, MoEConfig(n_experts=4, top_k=1)).train()
    with torch.no_grad():
        layer.router.weight.zero_()
    _, aux = layer(torch.randn(2, 8, 4))
    assert aux.losses["switch_balance"].item() == pytest.approx(0.01, rel=1e-6)
    assert aux.losses["switch_z"].item() == pytest.approx(1e-3 * math.log(4) ** 2, rel=1e-6)


def test_topk_noiseless_aux_losses_match_hand_computation():
    cfg = MoEConfig(n_experts=3, top_k=2, importance_weight=0.1, load_weight=0.2, noisy=False)
    layer = NoisyTopKFFN(3, 4, cfg).eval()
    with torch.no_grad():
        layer.w_gate.weight.copy_(torch.eye(3))  # clean logits = x
    tokens = [[1.0, 0.0, -1.0], [0.0, 2.0, 1.0], [3.0, -2.0, 0.5]]
    _, aux = layer(torch.tensor(tokens))
    importance, load = [0.0] * 3, [0.0] * 3
    for row in tokens:
        top = sorted(range(3), key=lambda i: -row[i])[:2]
        g = softmax([row[i] for i in top])  # softmax over the kept logits only
        for i, gi in zip(top, g):
            importance[i] += gi
            load[i] += 1

    def cv2(v):
        mean = sum(v) / len(v)
        return sum((a - mean) ** 2 for a in v) / len(v) / mean**2

    assert aux.losses["topk_importance"].item() == pytest.approx(0.1 * cv2(importance), rel=1e-5)
    assert aux.losses["topk_load"].item() == pytest.approx(0.2 * cv2(load), rel=1e-5)


def normal_cdf(z: float) -> float:
    return 0.5 * (1 + math.erf(z / math.sqrt(2)))


def test_topk_noisy_load_matches_slow_reference():
    """Smooth load P(x, i) = Phi((clean_i - kth_excluding(H, k, i)) / std_i), summed over tokens."""
    torch.manual_seed(0)
    n, k = 4, 2
    layer = NoisyTopKFFN(5, 4, MoEConfig(n_experts=n, top_k=k, load_weight=1.0, importance_weight=1.0)).train()
    with torch.no_grad():
        torch.nn.init.normal_(layer.w_gate.weight)
        torch.nn.init.normal_(layer.w_noise.weight)
    x = torch.randn(6, 5)
    torch.manual_seed(123)
    _, aux = layer(x)
    clean = (x @ layer.w_gate.weight.T).tolist()
    std = (torch.nn.functional.softplus(x @ layer.w_noise.weight.T) + 1e-2).tolist()
    torch.manual_seed(123)
    noise = torch.randn(6, n).tolist()  # the layer's draw: randn_like of the [T, N] logits
    load = [0.0] * n
    for c, s, e in zip(clean, std, noise):
        h = [ci + ei * si for ci, si, ei in zip(c, s, e)]
        for i in range(n):
            others = sorted((h[j] for j in range(n) if j != i), reverse=True)
            kth_excluding = others[k - 1]
            load[i] += normal_cdf((c[i] - kth_excluding) / s[i])
    mean = sum(load) / n
    expected = sum((v - mean) ** 2 for v in load) / n / mean**2
    assert aux.losses["topk_load"].item() == pytest.approx(expected, rel=1e-4)


def test_prob_in_top_k_on_a_fixed_example():
    clean = torch.tensor([[1.0, 0.0, 0.5]])
    noisy = torch.tensor([[1.2, -0.3, 0.4]])  # top-2 are experts 0 and 2
    std = torch.tensor([[0.5, 1.0, 2.0]])
    top_values, _ = noisy.topk(3, dim=-1)  # k+1 = 3 values
    p = prob_in_top_k(clean, noisy, std, top_values, k=2)[0].tolist()
    # expert 0 (in): must beat the 3rd value -0.3; expert 1 (out): must beat the 2nd, 0.4; expert 2 (in): -0.3
    assert p == pytest.approx([normal_cdf(1.3 / 0.5), normal_cdf(-0.4 / 1.0), normal_cdf(0.8 / 2.0)], rel=1e-5)


def test_cv_squared():
    assert cv_squared(torch.tensor([1.0, 1.0, 1.0])).item() == 0.0
    assert cv_squared(torch.tensor([0.0, 2.0])).item() == pytest.approx(1.0)
    assert cv_squared(torch.tensor([5.0])).item() == 0.0


def test_balance_loss_alone_spreads_a_collapsed_router():
    """Gradient descent on alpha*N*sum f_i P_i (f has no gradient; P does) moves tokens off an
    overloaded expert until every expert gets a share."""
    torch.manual_seed(0)
    layer = SwitchFFN(D, DE, MoEConfig(n_experts=4, top_k=1, balance_alpha=1.0, capacity_factor_train=4.0))
    x = torch.randn(256, D)
    with torch.no_grad():
        layer.router.weight[0] += 2 * x.mean(0) / x.mean(0).norm()  # most tokens pick expert 0
    assert layer(x)[1].stats["load"][0].item() > 0.5
    opt = torch.optim.Adam(layer.router.parameters(), lr=0.05)
    for _ in range(100):
        opt.zero_grad()
        layer(x)[1].losses["switch_balance"].backward()
        opt.step()
    stats = layer(x)[1].stats
    assert stats["used_fraction"].item() == 1.0 and stats["load"].max().item() < 0.35


@pytest.mark.parametrize("kind,noisy", [("switch", False), ("topk", False), ("soft", False), ("hmoe", False),
                                        ("hmoe", True)])
def test_every_parameter_gets_a_gradient_even_for_idle_experts(kind, noisy):
    """DDP (without find_unused_parameters) needs a gradient for every parameter on every rank,
    also for an expert (or a group's gate and noise net) that no token of this rank's batch was routed to."""
    torch.manual_seed(0)
    cfg = ModelConfig(d_model=D, n_heads=2, ffn=kind, moe=dict(n_experts=4, top_k=1, d_expert=DE, noisy=noisy))
    layer = build_ffn(kind, cfg).train()
    x = torch.randn(2, 3, D)
    y, aux = layer(x)
    if kind != "soft":
        assert aux.stats["used_fraction"].item() < 1.0 or kind == "topk"  # idle experts exist
    (y.sum() + sum(aux.losses.values(), torch.zeros(()))).backward()
    missing = [n for n, p in layer.named_parameters() if p.grad is None]
    assert not missing


def test_switch_expert_dropout_only_in_training():
    torch.manual_seed(0)
    layer = SwitchFFN(D, DE, MoEConfig(n_experts=2, top_k=1, expert_dropout=0.5, capacity_factor_train=2.0))
    x = torch.randn(2, 4, D)
    reference = SwitchFFN(D, DE, MoEConfig(n_experts=2, top_k=1, capacity_factor_train=2.0))
    reference.load_state_dict(layer.state_dict())
    torch.testing.assert_close(layer.eval()(x)[0], reference.eval()(x)[0])
    assert not torch.allclose(layer.train()(x)[0], reference.train()(x)[0])


def test_aux_losses_have_gradients_to_the_router():
    torch.manual_seed(0)
    layer = SwitchFFN(D, DE, MoEConfig(n_experts=4, top_k=1))
    _, aux = layer(torch.randn(2, 6, D))
    sum(aux.losses.values()).backward()
    assert layer.router.weight.grad.abs().sum() > 0


# -- Switch capacity and overflow --------------------------------------------------------------
def test_switch_overflow_is_counted_and_passes_through():
    """All tokens pick expert 0 whose capacity is 2: the first two tokens in position-major order
    are processed, the rest give exactly 0 (the residual carries them unchanged)."""
    cfg = MoEConfig(n_experts=2, top_k=1, capacity_factor_train=1.0, capacity_factor_eval=1.0)
    layer = SwitchFFN(D, DE, cfg).train()
    with torch.no_grad():
        layer.router.weight.zero_()
        layer.router.weight[0, 0] = 10.0
    x = torch.randn(2, 2, D)
    x[..., 0] = x[..., 0].abs() + 1.0  # every token prefers expert 0
    assert layer.capacity(4) == 2
    y, aux = layer(x)
    # position-major: (b0, s0), (b1, s0) come first, so both position-1 tokens overflow
    assert (y[:, 0].abs().amax(-1) > 0).all()
    assert torch.equal(y[:, 1], torch.zeros_like(y[:, 1]))
    assert aux.stats["dropped_tokens"].item() == 2
    # in a block, the residual carries a dropped token past the FFN unchanged
    block = Block(ModelConfig(d_model=D, n_heads=2, ffn="switch"), ffn=layer)
    h = x + block.attn(block.ln_attn(x), None)
    out, block_aux = block(x, None)
    assert block_aux.stats["dropped_tokens"].item() == 2
    assert torch.equal(out[:, 1], h[:, 1]) and not torch.equal(out[:, 0], h[:, 0])
    assert aux.stats["dropped_fraction"].item() == 0.5
    assert aux.stats["load"].tolist() == [1.0, 0.0]
    assert aux.stats["used_fraction"].item() == 0.5
    # kept tokens are gate * expert(x)
    gate = torch.softmax(x[:, 0] @ layer.router.weight.T, -1)[:, 0:1]
    torch.testing.assert_close(y[:, 0], gate * dense_like(layer.experts)(x[:, 0])[0])


def test_switch_capacity_uses_train_and_eval_factors():
    layer = SwitchFFN(D, DE, MoEConfig(n_experts=4, top_k=1, capacity_factor_train=1.0, capacity_factor_eval=2.0))
    assert layer.train().capacity(64) == 16
    assert layer.eval().capacity(64) == 32
    assert layer.capacity(3) == 2  # ceil(3 / 4 * 2)


def test_switch_router_runs_in_float32_under_autocast():
    torch.manual_seed(0)
    layer = SwitchFFN(D, DE, MoEConfig(n_experts=4, top_k=1))
    x = torch.randn(2, 3, D)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        y, aux = layer(x)
    assert aux.losses["switch_z"].dtype == torch.float32
    assert y.shape == x.shape


def test_switch_init_scale():
    torch.manual_seed(0)
    layer = SwitchFFN(256, 512, MoEConfig(n_experts=4, top_k=1, init_scale=0.1))
    std = math.sqrt(0.1 / 256)
    w = layer.router.weight
    assert w.abs().max().item() <= 2 * std + 1e-7
    assert w.std().item() == pytest.approx(std * 0.88, rel=0.15)  # a normal truncated at 2 std has 0.88 std


# -- PEER adapter ------------------------------------------------------------------------------
def test_peer_ffn_stats_from_routing():
    torch.manual_seed(0)
    cfg = ModelConfig(d_model=D, n_heads=2, ffn="peer", peer=dict(n_heads=2, top_k=3, n_keys=4))
    layer = build_ffn("peer", cfg)
    assert isinstance(layer, PEERFFN)
    x = torch.randn(2, 5, D)
    y, aux = layer(x)
    _, routing = layer.layer.forward_with_routing(x)
    counts = torch.bincount(routing.ids.flatten(), minlength=16).float()
    torch.testing.assert_close(aux.stats["load"], counts / counts.sum())
    assert aux.stats["used_fraction"].item() == (counts > 0).float().mean().item()
    assert aux.losses == {}
    torch.testing.assert_close(y, layer.layer(x))


# -- registry, configs, matched widths ---------------------------------------------------------
class ToyFFN(FFN):
    """A new FFN kind as a user would add one: a bias-free linear map ``d -> d``."""

    def __init__(self, d_model: int):
        super().__init__()
        self.w = torch.nn.Linear(d_model, d_model, bias=False)

    @classmethod
    def from_config(cls, config: ModelConfig) -> ToyFFN:
        return cls(config.d_model)

    @classmethod
    def check_config(cls, config: ModelConfig) -> None:
        if config.d_model % 8:
            raise ConfigError("the toy kind needs a width divisible by 8")

    @classmethod
    def active_params(cls, config: ModelConfig, *, group_size: int | None = None) -> int:
        return config.d_model**2

    def flops_per_token(self, *, group_size: int) -> int:
        return 2 * self.w.weight.numel()

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, FFNAux]:
        return self.w(x), FFNAux()


def test_a_new_ffn_kind_is_its_class_and_one_registry_line(monkeypatch):
    from study.flops import forward_flops
    from trainer.model import LanguageModel

    monkeypatch.setitem(FFN_REGISTRY, "toy", ToyFFN)
    with pytest.raises(ConfigError, match="divisible by 8"):
        ModelConfig(d_model=36, n_heads=2, ffn="toy")
    cfg = ModelConfig(d_model=32, n_layers=2, n_heads=2, max_seq_len=16, ffn="toy", sparse_blocks="all")
    model = LanguageModel(cfg)
    assert all(isinstance(block.ffn, ToyFFN) for block in model.blocks)
    assert model(torch.randint(0, cfg.vocab_size, (2, 8))).logits.shape == (2, 8, cfg.vocab_size)
    assert active_ffn_params(cfg) == 32 * 32 and matched_dense_width(cfg) == 16
    assert forward_flops(model, seq_len=8, group_size=2).ffn == (2 * 32 * 32, 2 * 32 * 32)


def test_registry_has_every_kind_and_raises_on_unknown():
    assert sorted(FFN_REGISTRY) == ["dense", "hmoe", "peer", "soft", "switch", "topk"]
    with pytest.raises(ConfigError, match="unknown FFN kind 'moe'"):
        build_ffn("moe", ModelConfig())
    with pytest.raises(ConfigError, match="unknown FFN kind"):
        ModelConfig(ffn="moe")


def test_config_round_trip_and_validation():
    cfg = ModelConfig(d_model=64, ffn="switch", moe=dict(n_experts=4, top_k=1), peer=dict(n_keys=8))
    again = ModelConfig.from_dict(cfg.to_dict())
    assert again == cfg
    assert isinstance(again.moe, MoEConfig)
    with pytest.raises(ConfigError, match="unknown ModelConfig fields"):
        ModelConfig.from_dict({"d_modle": 3})
    with pytest.raises(ConfigError, match="top_k=9 exceeds n_experts=8"):
        MoEConfig(top_k=9)
    with pytest.raises(ConfigError, match="divisible"):
        ModelConfig(d_model=30, n_heads=4)


@pytest.mark.parametrize("kind", ["switch", "topk", "hmoe", "peer", "dense"])
def test_matched_dense_width_matches_active_params(kind):
    cfg = ModelConfig(d_model=64, ffn=kind, moe=dict(n_experts=8, top_k=2, d_expert=96), peer=dict(n_keys=8))
    width = matched_dense_width(cfg)
    dense = DenseFFN(64, width)
    n_dense = sum(p.numel() for p in dense.parameters())
    assert abs(n_dense - active_ffn_params(cfg)) <= 64  # rounding of the width to an integer
    if kind == "switch":
        assert active_ffn_params(cfg) == 64 * 8 + 2 * 64 * 96
    if kind == "hmoe":  # primary gate over 2 groups + one group's gate over its 4 experts + 2 of them
        assert active_ffn_params(cfg) == 64 * 2 + 64 * 4 + 2 * 2 * 64 * 96
    if kind == "peer":  # query net 64 x (4 heads * 64) + 4 heads * 8 experts * (u, v)
        assert active_ffn_params(cfg) == 64 * 4 * 64 + 4 * 8 * 2 * 64


def test_soft_active_params_need_a_group_size():
    cfg = ModelConfig(d_model=64, ffn="soft", moe=dict(n_experts=4, slots_per_expert=2, d_expert=64))
    with pytest.raises(ConfigError, match="group_size"):
        active_ffn_params(cfg)
    assert active_ffn_params(cfg, group_size=8) == 64 * 8 + 8 * 2 * 64 * 64 // 8
