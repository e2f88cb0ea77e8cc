"""Forward FLOPs per token: the backbone and every MoE kind against torch's FlopCounterMode, PEER against a
slow per-token forward that counts each multiply-add as it does it (and must give the layer's output)."""

from __future__ import annotations

import dataclasses

import pytest
import torch
from torch.nn.attention import SDPBackend, sdpa_kernel
from torch.utils.flop_counter import FlopCounterMode

from peer_store.errors import ConfigError
from peer_store.kernel import activation
from peer_store.reference import shell_pairs
from tests.conftest import tiny_continual_config
from trainer.config import ModelConfig, MoEConfig, PEERFFNConfig
from trainer.ffn import PEERFFN
from study.flops import ffn_flops, forward_flops, forward_flops_per_token
from trainer.model import LanguageModel
from continual.versions import peer_layers

B, S = 4, 16


def measured_flops_per_token(model: LanguageModel) -> float:
    """FlopCounterMode's count of one forward on a [B, S] batch, per token (dense S x S attention)."""
    tokens = torch.randint(0, model.config.vocab_size, (B, S))
    with torch.no_grad(), sdpa_kernel(SDPBackend.MATH), FlopCounterMode(display=False) as counter:
        model(tokens)  # the math kernel: scores and weighted sum as counted matmuls
    return counter.get_total_flops() / (B * S)


def tiny(ffn: str, **moe) -> ModelConfig:
    return ModelConfig(d_model=32, n_layers=2, n_heads=2, max_seq_len=S, ffn=ffn, sparse_blocks="every_other",
                       moe=MoEConfig(n_experts=4, d_expert=24, **moe))


@pytest.mark.parametrize("ffn", ["dense", "soft", "topk", "hmoe", "switch"])
def test_the_count_matches_torch_flop_counter(ffn):
    torch.manual_seed(0)
    # Switch: a capacity of every token in eval mode, so none is dropped and every token runs one expert.
    model = LanguageModel(tiny(ffn, capacity_factor_eval=4.0))
    model.train(ffn != "switch")  # top-k and hmoe: training mode runs the noise nets too
    analytic = forward_flops(model, seq_len=S, group_size=B, causal=False)
    assert measured_flops_per_token(model) == analytic.total
    assert analytic.head == 2 * 32 * 257 and len(analytic.ffn) == 2


def test_causal_attention_counts_the_mean_context():
    model = LanguageModel(tiny("dense"))
    full = forward_flops_per_token(model, seq_len=S, group_size=B, causal=False)
    causal = forward_flops_per_token(model, seq_len=S, group_size=B)
    # per block: 4 d (S - (S + 1) / 2) fewer
    assert full - causal == 2 * 4 * 32 * (S - (S + 1) / 2)


def counted_peer_forward(ffn: PEERFFN, x: torch.Tensor) -> tuple[torch.Tensor, int]:
    """The PEER output for one token ``x [d]`` computed one dot product at a time, and the FLOPs it took
    (2 per multiply-add, 1 per candidate sum); selections, norms and softmaxes are free."""
    layer = ffn.layer
    c, memory = layer.config, layer.memory
    flops = 0
    q = layer.query.weight @ x  # [h * d_key]
    flops += 2 * q.numel() * x.numel()
    q = layer.query_norm(q.unsqueeze(0)).view(c.n_heads, c.d_key)  # [h, d_key]
    half = c.d_key // 2
    y = torch.zeros_like(x)
    keys = torch.cat([s.sub_keys for s in memory.segments], 1)  # [2, n, half]: the grid's sub-keys
    n = keys.shape[1]
    pairs = torch.cat([torch.stack(shell_pairs(s.start, s.n_keys), 1) for s in memory.segments])  # [N, 2] by id
    expert_of = {tuple(p): e for e, p in enumerate(pairs.tolist())}
    rows = [(s.down.weight, s.up.weight) for s in memory.segments]
    downs, ups = torch.cat([r[0] for r in rows]), torch.cat([r[1] for r in rows])
    for head in range(c.n_heads):
        s1 = torch.stack([key @ q[head, :half] for key in keys[0]])  # [n]
        s2 = torch.stack([key @ q[head, half:] for key in keys[1]])  # [n]
        flops += 2 * 2 * n * half
        best1, best2 = s1.topk(min(c.top_k, n)).indices, s2.topk(min(c.top_k, n)).indices
        candidates = []  # (score, id) of the grid's product-key candidates
        for i in best1.tolist():
            for j in best2.tolist():
                candidates.append((float(s1[i] + s2[j]), expert_of[(i, j)]))
                flops += 1
        chosen = sorted(candidates, reverse=True)[: c.top_k]
        gates = torch.tensor([score for score, _ in chosen]).softmax(0)
        for gate, (_, expert) in zip(gates, chosen):
            u, v = downs[expert], ups[expert]
            a = activation(u @ x, c.activation)
            flops += 2 * x.numel()
            y = y + (gate * a) * v
            flops += 2 * x.numel()
    return y, flops


def test_peer_count_matches_a_counted_reference_after_growth():
    torch.manual_seed(0)
    ffn = PEERFFN(16, PEERFFNConfig(n_heads=2, top_k=3, n_keys=4, d_key=8))
    ffn.layer.memory.grow(2)  # shells: one grid of 4 + 2 + 5 sub-keys per half
    ffn.layer.memory.grow(5)
    ffn.eval()
    x = torch.randn(3, 16)
    with torch.no_grad():
        expected = ffn.layer(x)
        for t in range(3):
            y, flops = counted_peer_forward(ffn, x[t])
            torch.testing.assert_close(y, expected[t], rtol=1e-4, atol=1e-5)
            assert flops == ffn.flops_per_token(group_size=1)


def test_growth_costs_the_new_shells_scoring_only():
    config = tiny_continual_config()
    model = LanguageModel(config.model)
    before = forward_flops_per_token(model, seq_len=config.seq_len, group_size=config.batch_size)
    p = config.model.peer
    for _, layer in peer_layers(model):
        layer.memory.grow(3)
    after = forward_flops_per_token(model, seq_len=config.seq_len, group_size=config.batch_size)
    per_layer = p.n_heads * 2 * 3 * config.model.d_model  # d_key = d_model; still top_k**2 sums: one grid
    assert after - before == len(peer_layers(model)) * per_layer


def test_soft_moe_experts_are_shared_by_the_group():
    model = LanguageModel(dataclasses.replace(tiny("soft"), sparse_blocks="all"))
    ffn = model.blocks[0].ffn
    one, many = ffn_flops(ffn, group_size=1), ffn_flops(ffn, group_size=4)
    assert one - many == 4 * 2 * 2 * 32 * 24 * (1 - 1 / 4)  # 4 slots' experts, once per group of 4


def test_an_unknown_ffn_module_is_refused():
    model = LanguageModel(tiny("dense"))
    model.blocks[0].ffn = torch.nn.Identity()
    with pytest.raises(ConfigError, match="no FLOPs count for FFN module Identity"):
        forward_flops_per_token(model, seq_len=S, group_size=B)
