"""The hierarchical mixture (Shazeer 2017, appendix B): one group is the flat noisy top-k layer, and outputs and
auxiliary losses equal a slow per-token reference, with noise and without; config rules; its losses in the LM.
(Causality, gradients for DDP, bf16 and learning are in the per-kind tests of test_model, test_ffn, test_fit.)"""

from __future__ import annotations

import math

import pytest
import torch

from peer_store.errors import ConfigError
from trainer.config import ModelConfig, MoEConfig
from trainer.ffn import HierarchicalMoEFFN, NoisyTopKFFN, active_ffn_params
from trainer.model import LanguageModel

D, DE = 6, 8


@pytest.mark.parametrize("training,noisy", [(True, False), (False, False), (False, True)],
                         ids=["train-noiseless", "eval-noiseless", "eval-noisy"])
def test_one_group_equals_the_flat_noisy_top_k_layer(training, noisy):
    """a = 1: the primary gate is 1 for every token, Importance_H is the flat importance and Load_H the flat load."""
    torch.manual_seed(0)
    config = MoEConfig(n_experts=5, top_k=2, n_groups=1, group_top_k=1, noisy=noisy, importance_weight=0.3,
                       load_weight=0.7)
    flat = NoisyTopKFFN(D, DE, config).train(training)
    layer = HierarchicalMoEFFN(D, DE, config).train(training)
    with torch.no_grad():
        torch.nn.init.normal_(flat.w_gate.weight)  # tokens really go to different experts
        torch.nn.init.normal_(layer.w_gate.weight)  # one group: any primary logit gives gate 1
        layer.w_group_gate.weight.copy_(flat.w_gate.weight)
        layer.experts.load_state_dict(flat.experts.state_dict())
    x = torch.randn(3, 7, D)
    (y, aux), (y_flat, aux_flat) = layer(x), flat(x)
    torch.testing.assert_close(y, y_flat)
    assert aux_flat.stats["used_fraction"].item() > 0.5
    for name in ("importance", "load"):
        assert aux_flat.losses[f"topk_{name}"].item() > 0
        torch.testing.assert_close(aux.losses[f"hmoe_{name}"], aux_flat.losses[f"topk_{name}"])
    for name, value in aux_flat.stats.items():
        torch.testing.assert_close(aux.stats[name], value, msg=name)


# -- the slow reference ------------------------------------------------------------------------------
def normal_cdf(z: float) -> float:
    return 0.5 * (1 + math.erf(z / math.sqrt(2)))


def softmax(row: list[float]) -> list[float]:
    e = [math.exp(v - max(row)) for v in row]
    return [v / sum(e) for v in e]


def dot(u: list[float], v: list[float]) -> float:
    return sum(a * b for a, b in zip(u, v))


def gate(x: list[float], w: list[list[float]], w_noise: list[list[float]] | None, k: int, eps: list[float] | None):
    """One token through one noisy top-k gate: (gate per expert, P(x, i) per expert or None without noise)."""
    n = len(w)
    clean = [dot(x, row) for row in w]
    if eps is None:
        h, std = clean, None
    else:
        std = [math.log1p(math.exp(dot(x, row))) + 1e-2 for row in w_noise]
        h = [c + e * s for c, e, s in zip(clean, eps, std)]
    top = sorted(range(n), key=lambda i: -h[i])[:k]
    g = [0.0] * n
    for i, gi in zip(top, softmax([h[i] for i in top])):
        g[i] = gi
    if eps is None or k == n:
        return g, None
    p = []
    for i in range(n):  # stays in the top-k under a new draw of its own noise: beat the k-th of the others
        kth_excluding = sorted((h[j] for j in range(n) if j != i), reverse=True)[k - 1]
        p.append(normal_cdf((clean[i] - kth_excluding) / std[i]))
    return g, p


def cv2(v: list[float]) -> float:
    mean = sum(v) / len(v)
    return sum((a - mean) ** 2 for a in v) / len(v) / mean**2


def reference(layer: HierarchicalMoEFFN, x: torch.Tensor, eps: torch.Tensor | None, eps_in: torch.Tensor | None):
    """Output ``[T, d]``, L_importance and L_load of the appendix's equations, one token at a time."""
    c = layer.config
    a, b = c.n_groups, c.experts_per_group
    w = layer.w_gate.weight.tolist()
    w_in = layer.w_group_gate.weight.tolist()
    noise = None if eps is None else layer.w_noise.weight.tolist()
    noise_in = None if eps is None else layer.w_group_noise.weight.tolist()
    importance = [[0.0] * b for _ in range(a)]
    load_p, routed = [0.0] * a, [0] * a  # Load_p(X)_i; |X_i|
    load_in = [[0.0] * b for _ in range(a)]  # Load_i(X_i)_j
    ys = []
    for t, xt in enumerate(x.tolist()):
        g_p, p_p = gate(xt, w, noise, c.group_top_k, None if eps is None else eps[t].tolist())
        y = torch.zeros(x.shape[1])
        chosen = sorted((i for i in range(a) if g_p[i] > 0), key=lambda i: -g_p[i])  # slot order: by noisy logit
        for slot, i in enumerate(chosen):
            rows = slice(i * b, (i + 1) * b)
            g_i, p_i = gate(xt, w_in[rows], None if noise_in is None else noise_in[rows], c.top_k,
                            None if eps_in is None else eps_in[t, slot].tolist())
            routed[i] += 1
            for j in range(b):
                importance[i][j] += g_p[i] * g_i[j]
                load_in[i][j] += g_i[j] > 0 if p_i is None else p_i[j]
                if g_i[j] > 0:
                    e = i * b + j
                    h = torch.nn.functional.gelu(x[t] @ layer.experts.w_in[e]) @ layer.experts.w_out[e]
                    y += g_p[i] * g_i[j] * h
        for i in range(a):
            load_p[i] += g_p[i] > 0 if p_p is None else p_p[i]
        ys.append(y)
    load = [load_p[i] * load_in[i][j] / max(routed[i], 1) for i in range(a) for j in range(b)]
    flat_importance = [v for row in importance for v in row]
    return torch.stack(ys), c.importance_weight * cv2(flat_importance), c.load_weight * cv2(load)


@pytest.mark.parametrize("training", [True, False], ids=["train-noisy", "eval"])
def test_output_and_aux_losses_match_the_slow_reference(training):
    """3 groups of 3, two groups per token and two experts per group: both levels choose, and with noise both
    loads are the smooth P(x, i) estimates (the reference redraws the layer's noise: [T, a], then [T, k_a, b])."""
    torch.manual_seed(0)
    config = MoEConfig(n_experts=9, n_groups=3, group_top_k=2, top_k=2, importance_weight=0.3, load_weight=0.7)
    layer = HierarchicalMoEFFN(D, DE, config).train(training)
    with torch.no_grad():
        for gate_layer in (layer.w_gate, layer.w_group_gate, layer.w_noise, layer.w_group_noise):
            torch.nn.init.normal_(gate_layer.weight)
    x = torch.randn(2, 5, D)
    torch.manual_seed(7)
    y, aux = layer(x)
    torch.manual_seed(7)
    eps = torch.randn(10, 3) if training else None
    eps_in = torch.randn(10, 2, 3) if training else None
    with torch.no_grad():
        y_ref, importance, load = reference(layer, x.view(10, D), eps, eps_in)
    torch.testing.assert_close(y.view(10, D), y_ref, rtol=1e-5, atol=1e-6)
    assert aux.losses["hmoe_importance"].item() == pytest.approx(importance, rel=1e-5)
    assert aux.losses["hmoe_load"].item() == pytest.approx(load, rel=1e-5)
    assert importance > 0 and load > 0


def test_load_loss_has_a_gradient_to_both_gates_and_both_noise_nets():
    """Why Load_H keeps Load_p: the load loss alone trains the primary gate as well as the secondary ones."""
    torch.manual_seed(0)
    layer = HierarchicalMoEFFN(D, DE, MoEConfig(n_experts=12, n_groups=4, group_top_k=2, top_k=2)).train()
    with torch.no_grad():
        for gate_layer in (layer.w_gate, layer.w_group_gate, layer.w_noise, layer.w_group_noise):
            torch.nn.init.normal_(gate_layer.weight)
    _, aux = layer(torch.randn(4, 6, D))
    aux.losses["hmoe_load"].backward()
    for gate_layer in (layer.w_gate, layer.w_group_gate, layer.w_noise, layer.w_group_noise):
        assert gate_layer.weight.grad.abs().sum() > 0


def test_stats_count_the_experts_each_token_ran():
    torch.manual_seed(0)
    layer = HierarchicalMoEFFN(D, DE, MoEConfig(n_experts=8, n_groups=4, group_top_k=2, top_k=1)).eval()
    with torch.no_grad():
        torch.nn.init.normal_(layer.w_gate.weight)
        torch.nn.init.normal_(layer.w_group_gate.weight)
    _, aux = layer(torch.randn(3, 4, D))
    load = aux.stats["load"]
    assert load.shape == (8,) and load.sum().item() == pytest.approx(1.0)
    assert 0 < aux.stats["router_entropy"].item() <= math.log(2) + 1e-6  # two (group, expert) pairs per token


def test_config_rules():
    with pytest.raises(ConfigError, match="n_experts=9 is not a multiple of n_groups=2"):
        ModelConfig(ffn="hmoe", moe=dict(n_experts=9))
    with pytest.raises(ConfigError, match="group_top_k=3 exceeds n_groups=2"):
        ModelConfig(ffn="hmoe", moe=dict(group_top_k=3))
    with pytest.raises(ConfigError, match="top_k=3 exceeds the 2 experts of a group"):
        HierarchicalMoEFFN(D, DE, MoEConfig(n_experts=4, top_k=3))
    with pytest.raises(ConfigError, match="n_groups must be a positive integer"):
        MoEConfig(n_groups=0)
    ModelConfig(ffn="switch", moe=dict(n_experts=9))  # the other kinds ignore the groups
    # primary gate + one chosen group's secondary gate + its top-2 experts
    cfg = ModelConfig(d_model=16, ffn="hmoe", moe=dict(n_experts=8, n_groups=2, top_k=2, d_expert=12))
    assert active_ffn_params(cfg) == 16 * 2 + 16 * 4 + 2 * 2 * 16 * 12


def test_the_lm_reports_both_losses_and_each_sparse_blocks_stats():
    torch.manual_seed(0)
    cfg = ModelConfig(vocab_size=50, d_model=16, n_layers=2, n_heads=2, max_seq_len=8, ffn="hmoe",
                      sparse_blocks="every_other", moe=dict(n_experts=4, top_k=1, d_expert=8))
    out = LanguageModel(cfg).train()(torch.randint(0, 50, (2, 8)))
    assert set(out.aux_losses) == {"hmoe_importance", "hmoe_load"} and sorted(out.stats) == [1]
    torch.testing.assert_close(out.aux_loss, sum(out.aux_losses.values()))
    assert out.stats[1]["load"].shape == (4,)
