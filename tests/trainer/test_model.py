"""The decoder: causality for every FFN kind in train and eval mode, block layout, positions."""

from __future__ import annotations

import pytest
import torch

from trainer.config import ModelConfig
from trainer.ffn import DenseFFN, SwitchFFN
from trainer.model import LanguageModel

KINDS = ["dense", "peer", "switch", "soft", "topk", "hmoe"]


def tiny(ffn: str, **overrides) -> ModelConfig:
    base = dict(
        vocab_size=50,
        d_model=16,
        n_layers=2,
        n_heads=2,
        max_seq_len=16,
        ffn=ffn,
        # a low train capacity factor makes Switch drop tokens, which must not leak the future either
        moe=dict(n_experts=4, top_k=2, d_expert=16, capacity_factor_train=0.5, capacity_factor_eval=1.0),
        peer=dict(n_heads=2, top_k=4, n_keys=4),
    )
    base.update(overrides)
    return ModelConfig(**base)


def logits_after_future_change(model: LanguageModel, t: int, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    tokens = torch.randint(0, 50, (4, 12), generator=g)
    changed = tokens.clone()
    changed[:, t + 1 :] = torch.randint(0, 50, changed[:, t + 1 :].shape, generator=g)
    torch.manual_seed(1)  # same noise draw (noisy top-k) in both passes
    a = model(tokens).logits
    torch.manual_seed(1)
    b = model(changed).logits
    return a, b


@pytest.mark.parametrize("training", [True, False], ids=["train", "eval"])
@pytest.mark.parametrize("kind", KINDS)
def test_logits_do_not_see_the_future(kind, training):
    torch.manual_seed(0)
    # hmoe: 2 groups of 4, one group and 2 of its experts per token, so both levels choose
    overrides = dict(moe=dict(n_experts=8, n_groups=2, top_k=2, d_expert=16)) if kind == "hmoe" else {}
    model = LanguageModel(tiny(kind, **overrides)).train(training)
    if kind in ("topk", "hmoe"):
        for block in model.blocks:  # route by content so different tokens take different experts
            for name, gate in block.ffn.named_parameters():
                if name.startswith(("w_gate", "w_noise", "w_group_gate", "w_group_noise")):
                    torch.nn.init.normal_(gate)
    t = 5
    a, b = logits_after_future_change(model, t)
    torch.testing.assert_close(a[:, : t + 1], b[:, : t + 1], rtol=0, atol=1e-5)
    assert (a[:, t + 1 :] - b[:, t + 1 :]).abs().max() > 1e-3  # the test can see a change


def test_switch_drops_tokens_in_the_causality_setup():
    """Guard for the test above: the Switch layers really overflow there."""
    torch.manual_seed(0)
    model = LanguageModel(tiny("switch")).train()
    out = model(torch.randint(0, 50, (4, 12)))
    assert any(s["dropped_tokens"].item() > 0 for s in out.stats.values())


def test_peer_with_batch_norm_is_not_causal_in_training():
    """Why the LM defaults PEER to query_norm='layer': BatchNorm statistics span every position."""
    torch.manual_seed(0)
    model = LanguageModel(tiny("peer", peer=dict(n_heads=2, top_k=4, n_keys=4, query_norm="batch")))
    t = 5
    a, b = logits_after_future_change(model.train(), t)
    assert (a[:, : t + 1] - b[:, : t + 1]).abs().max() > 1e-4
    a, b = logits_after_future_change(model.eval(), t)  # running statistics: causal again
    torch.testing.assert_close(a[:, : t + 1], b[:, : t + 1], rtol=0, atol=1e-5)


@pytest.mark.parametrize(
    "layout,sparse", [("all", [0, 1, 2, 3]), ("every_other", [1, 3]), ("middle", [2])]
)
def test_sparse_block_layout(layout, sparse):
    model = LanguageModel(tiny("switch", n_layers=4, sparse_blocks=layout))
    kinds = [type(b.ffn) for b in model.blocks]
    assert [i for i, k in enumerate(kinds) if k is SwitchFFN] == sparse
    assert all(k is DenseFFN for i, k in enumerate(kinds) if i not in sparse)
    out = model(torch.randint(0, 50, (2, 8)))
    assert sorted(out.stats) == sparse
    assert set(out.aux_losses) == {"switch_balance", "switch_z"}
    torch.testing.assert_close(out.aux_loss, sum(out.aux_losses.values()))


def test_aux_losses_sum_over_blocks():
    torch.manual_seed(0)
    model = LanguageModel(tiny("switch", n_layers=3)).eval()
    tokens = torch.randint(0, 50, (2, 8))
    out = model(tokens)
    x = model.embed(tokens)
    rope = None
    from trainer.model import rotary_tables

    rope = rotary_tables(8, 8, 10000.0, tokens.device)
    total = 0.0
    for block in model.blocks:
        x, aux = block(x, rope)
        total = total + aux.losses["switch_balance"]
    torch.testing.assert_close(out.aux_losses["switch_balance"], total)


def test_learned_positions_and_tied_embeddings():
    torch.manual_seed(0)
    model = LanguageModel(tiny("dense", positions="learned"))
    assert model.pos is not None and model.pos.weight.shape == (16, 16)
    assert model.head.weight is model.embed.weight
    a, b = logits_after_future_change(model, 3)
    torch.testing.assert_close(a[:, :4], b[:, :4], rtol=0, atol=1e-5)
    with pytest.raises(ValueError, match="max_seq_len"):
        model(torch.zeros(1, 17, dtype=torch.long))


def test_rope_scores_depend_on_relative_position_only():
    """<rot(q, m), rot(k, n)> is a function of m - n: shifting both positions keeps the score."""
    from trainer.model import apply_rotary, rotary_tables

    torch.manual_seed(0)
    q, k = torch.randn(8), torch.randn(8)
    cos, sin = rotary_tables(20, 8, 10000.0, torch.device("cpu"))
    seq = torch.stack([q, k]).expand(20, 2, 8).transpose(0, 1)[None, :, :, :]  # [1, 2, 20, 8]
    rot = apply_rotary(seq, cos, sin)[0]  # [2, 20, 8]: q and k placed at every position
    score = lambda m, n: (rot[0, m] * rot[1, n]).sum().item()  # noqa: E731
    assert score(7, 3) == pytest.approx(score(15, 11), rel=1e-4)
    assert score(7, 3) != pytest.approx(score(7, 4), rel=1e-3)
    assert torch.allclose(rot[:, 0], seq[0, :, 0])  # position 0 is not rotated
    assert LanguageModel(tiny("dense")).pos is None  # rope has no parameters


def test_the_lm_peer_config_is_peer_config_without_d_model():
    """One PEER config: the LM's has every PEERConfig field but d_model, and PEERConfig's rules."""
    import dataclasses

    from peer_store import PEERConfig
    from peer_store.errors import ConfigError
    from trainer.config import PEERFFNConfig

    lm = {f.name for f in dataclasses.fields(PEERFFNConfig)}
    assert lm == {f.name for f in dataclasses.fields(PEERConfig)} - {"d_model"}
    layer = PEERFFNConfig(n_heads=2, d_key=8).layer_config(16)
    assert (layer.d_model, layer.n_heads, layer.d_key, layer.query_norm) == (16, 2, 8, "layer")
    for bad, message in [(dict(query_norm="group"), "model.peer.query_norm must be one of"),
                         (dict(d_key=7), "model.peer.d_key must be even"), (dict(top_k=0), "model.peer.top_k"),
                         (dict(n_keys=2, top_k=5), "exceeds the 4 experts")]:
        with pytest.raises(ConfigError, match=message):
            PEERFFNConfig(**bad)
