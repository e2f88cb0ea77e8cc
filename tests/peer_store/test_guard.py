"""RoutingGuard: thresholds and best new scores against brute force, and a guard loss that, trained,
keeps stored old queries' top-k exactly as it was before growth."""

import pytest
import torch

from peer_store import PEERConfig, PEERLayer, make_optimizer
from peer_store.errors import ConfigError
from peer_store.guard import RoutingGuard
from tests.peer_store.reference import full_keys


def grown_layer(seed=0):
    torch.manual_seed(seed)
    layer = PEERLayer(PEERConfig(d_model=16, n_heads=2, top_k=4, n_keys=6, query_norm="layer"))
    queries = layer.queries(torch.randn(64, 16)).detach()  # [128, 16]
    layer.memory.freeze()
    guard = RoutingGuard.build(layer.memory, queries, layer.config.top_k)
    # New keys right on top of the old queries: the worst case for intrusion.
    sub_keys = torch.stack([queries[:6, :8], queries[6:12, 8:]]) * 3.0  # [2, 6, 8]
    layer.memory.grow(6, sub_keys=sub_keys)
    return layer, queries, guard


def test_thresholds_and_new_best_match_brute_force():
    layer, queries, guard = grown_layer()
    old = full_keys(layer.memory.segments[0].sub_keys)  # [36, 16]
    new = full_keys(layer.memory.segments[1].sub_keys)
    assert torch.allclose(guard.thresholds, (queries @ old.T).topk(4, dim=1).values[:, -1], atol=1e-5)
    assert torch.allclose(guard.new_best(layer.memory), (queries @ new.T).max(1).values, atol=1e-5)
    # Intrusion on the stored queries is the share whose brute-force top-k holds a new expert.
    top = (queries @ torch.cat([old, new]).T).topk(4, dim=1).indices  # [M, 4]
    assert guard.intrusion(layer.memory) == pytest.approx(float((top >= 36).any(1).float().mean()))


def test_training_the_guard_loss_returns_old_queries_to_their_old_experts():
    layer, queries, guard = grown_layer()
    before_growth = layer.memory.segments[0]
    assert guard.intrusion(layer.memory) > 0.5
    opt = make_optimizer(layer, lr=3e-2, weight_decay=0.0)
    for _ in range(600):  # keys start 3x the queries' scale: a long way down
        opt.zero_grad(set_to_none=True)
        guard.loss(layer.memory).backward()
        opt.step()
    assert guard.intrusion(layer.memory) == 0.0
    _, ids = layer.memory.search(queries, 4)
    assert int(ids.max()) < before_growth.num_experts  # every stored query keeps old experts only
    # Only the new segment's keys moved: the guard loss reaches nothing else.
    assert layer.memory.segments[1].down.weight.grad is None and layer.query.weight.grad is None


def test_margin_leaves_room_under_the_threshold():
    layer, queries, _ = grown_layer()
    layer.memory.segments[1].requires_grad_(False)
    guard = RoutingGuard(queries, torch.zeros(queries.shape[0]), margin=0.5)
    best = guard.new_best(layer.memory)
    assert torch.allclose(guard.loss(layer.memory), torch.relu(best + 0.5).mean())


def test_bad_guards_are_refused():
    torch.manual_seed(0)
    layer = PEERLayer(PEERConfig(d_model=16, n_heads=2, top_k=4, n_keys=6))
    q = torch.randn(8, 16)
    with pytest.raises(ConfigError, match="frozen"):
        RoutingGuard.build(layer.memory, q, 4)
    layer.memory.freeze()
    with pytest.raises(ConfigError, match=r"\[M, 16\]"):
        RoutingGuard.build(layer.memory, torch.randn(8, 10), 4)
    with pytest.raises(ConfigError, match="margin"):
        RoutingGuard.build(layer.memory, q, 4, margin=-1.0)
