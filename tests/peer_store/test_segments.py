"""A grid grown by shells, and the grids of a store made before shells (one per segment), in one pass:
exact retrieval, per-query limits to a version's square, the chosen experts' score gradients, bit-identical
scoring of tokens limited to an earlier version, and the expert kernel reading the frozen shells as one
table. Oracles: brute force over full keys and the dense reference layer."""

import pytest
import torch

from peer_store import ExpertMemory, PEERConfig, PEERLayer, Segment, expert_mixture, make_optimizer
from peer_store.index import ProductKeyIndex
from peer_store.index.product import ExpertScores, product_topk
from peer_store.memory import pair_ids
from peer_store.reference import full_keys, memory_keys, reference_forward, reference_search, shell_pairs
from tests.helpers.layers import Densify


def mixed_memory(sizes, d_key=8, d_model=6, frozen=0, seed=0, dtype=torch.float32, legacy=False):
    """A grid grown by shells of ``sizes`` sub-keys, or (``legacy``) one grid per size, as a store made before
    shells loads; the first ``frozen`` shells frozen."""
    torch.manual_seed(seed)
    memory = ExpertMemory(d_model, d_key)
    for n in sizes:
        if legacy:
            memory.segments.append(Segment(n, d_model, d_key // 2))
        else:
            memory.grow(n)
        if len(memory.segments) <= frozen:
            memory.freeze()
    return memory.to(dtype)


def test_shell_ids_enumerate_each_square_first():
    """Growing appends one contiguous id range; the ids below n**2 are exactly the square [0, n)**2, and the
    fast id of every pair of sub-key rows names the expert whose full key is that pair."""
    memory = mixed_memory([3, 2, 4, 1])
    assert [s.num_experts for s in memory.segments] == [9, 2 * 3 * 2 + 4, 2 * 5 * 4 + 16, 2 * 9 + 1]
    assert memory.offsets == [0, 9, 25, 81] and memory.num_experts == 100 == memory.n_keys**2
    pairs = torch.cat([torch.stack(shell_pairs(s.start, s.n_keys), 1) for s in memory.segments])  # [N, 2] in id order
    for n in (3, 5, 9, 10):
        assert {tuple(p) for p in pairs[: n * n].tolist()} == {(i, j) for i in range(n) for j in range(n)}
    a, b = torch.meshgrid(torch.arange(10), torch.arange(10), indexing="ij")
    ids = pair_ids(a.reshape(1, -1), b.reshape(1, -1), memory._layout(torch.device("cpu")))[0]
    assert sorted(ids.tolist()) == list(range(100))
    grid = torch.cat([s.sub_keys for s in memory.segments], 1).detach()  # [2, 10, d_half]
    want = torch.cat([grid[0][a.reshape(-1)], grid[1][b.reshape(-1)]], 1)
    torch.testing.assert_close(memory_keys(memory).detach()[ids], want, atol=0, rtol=0)


@pytest.mark.parametrize(
    "sizes,k,d_key",
    [([5], 4, 8), ([5], 25, 8), ([3, 7, 2, 7, 5], 1, 8), ([3, 7, 2, 7, 5], 13, 8), ([3, 7, 2, 7, 5], 30, 8),
     ([2, 2, 2, 2], 13, 8), ([9, 1, 4], 30, 8), ([7], 5, 16), ([4, 9, 3], 8, 16), ([2, 5], 16, 16), ([16], 16, 16)],
)
@pytest.mark.parametrize("legacy", [False, True])
def test_batched_search_equals_brute_force(sizes, k, d_key, legacy):
    """Shells of different sizes, or the grids of a store made before shells (some holding fewer than k
    experts), give the brute-force top-k over every full key."""
    memory = mixed_memory(sizes, d_key=d_key, legacy=legacy)
    q = torch.randn(300, memory.d_key)
    with torch.no_grad():
        scores, ids = memory.search(q, k)
    want_scores, want_ids = reference_search(memory, q, k)
    torch.testing.assert_close(scores, want_scores, atol=1e-5, rtol=0)
    assert (ids == want_ids).float().mean() > 0.999  # ties aside
    assert ids.min() >= 0 and ids.max() < memory.num_experts


@pytest.mark.parametrize("sizes,k", [([3, 7, 2, 7, 5], 6), ([2, 9, 1, 4], 4), ([4, 4, 4], 16)])
@pytest.mark.parametrize("legacy", [False, True])
def test_limited_queries_see_only_their_first_segments(sizes, k, legacy):
    """A query limited to the first s shells gets the brute-force top-k of their square and never an id of a
    later one, whatever the sizes of the hidden shells (or grids of a store made before shells)."""
    memory = mixed_memory(sizes, legacy=legacy)
    ends = torch.tensor(memory.offsets[1:] + [memory.num_experts])
    fewest = next(s for s in range(1, len(sizes) + 1) if ends[s - 1] >= k)  # the first limit holding k experts
    q = torch.randn(300, memory.d_key)
    limits = torch.randint(fewest, len(sizes) + 1, (300,))
    with torch.no_grad():
        scores, ids = memory.search(q, k, segments=limits)
    want_scores, want_ids = reference_search(memory, q, k, limits)
    torch.testing.assert_close(scores, want_scores, atol=1e-5, rtol=0)
    assert (ids == want_ids).float().mean() > 0.99
    assert (ids < ends[limits - 1].unsqueeze(1)).all()


def test_faiss_served_and_live_segments_merge_under_limits():
    memory = mixed_memory([3, 5, 4], frozen=2)
    assert memory.serve_frozen_with_faiss() == 2  # the last segment stays on the torch path
    q = torch.randn(200, memory.d_key)
    limits = torch.randint(1, 4, (200,))
    with torch.no_grad():
        scores, ids = memory.search(q, 6, segments=limits)
    want_scores, want_ids = reference_search(memory, q, 6, limits)
    torch.testing.assert_close(scores, want_scores, atol=1e-5, rtol=0)
    assert (ids == want_ids).float().mean() > 0.99


@pytest.mark.parametrize("legacy", [False, True])
def test_product_topk_reports_visible_columns(legacy):
    memory = mixed_memory([3, 5, 3], legacy=legacy)
    q = torch.randn(50, memory.d_key)
    h = memory.d_half
    keys = [s.sub_keys for s in memory.segments]
    limits = torch.randint(2, 4, (50,))
    layout = memory._layout(torch.device("cpu"))
    hidden = layout["shell_of"].unsqueeze(0) >= limits.unsqueeze(1)  # [M, C]
    scores, a, b = product_topk(q[:, :h], q[:, h:], keys, 5, grids=layout["grids"], hidden=hidden)
    assert not hidden.gather(1, a).any() and not hidden.gather(1, b).any()
    if legacy:  # pairs of one grid only
        assert (layout["shell_of"][a] == layout["shell_of"][b]).all()
    grid = torch.cat(keys, 1).detach()  # [2, C, d_half]
    rescored = (grid[0][a] * q[:, None, :h]).sum(-1) + (grid[1][b] * q[:, None, h:]).sum(-1)
    torch.testing.assert_close(scores, rescored, atol=1e-5, rtol=0)


def test_single_segment_index_pads_with_minus_one():
    keys = torch.randn(2, 2, 4)  # 4 experts
    scores, ids = ProductKeyIndex(keys).search(torch.randn(7, 4), torch.randn(7, 4), 6)
    assert (ids[:, 4:] == -1).all() and torch.isinf(scores[:, 4:]).all()
    assert sorted(ids[0, :4].tolist()) == [0, 1, 2, 3]


def test_search_scores_have_the_gradients_of_the_full_keys():
    """Scores chosen without autograd get exactly the gradients that autograd through the
    chosen experts' full keys gives: to the queries and the trainable sub-keys, none to frozen."""
    memory = mixed_memory([3, 4, 2], frozen=2, dtype=torch.double)
    q = torch.randn(30, memory.d_key, dtype=torch.double, requires_grad=True)
    weights = torch.randn(30, 5, dtype=torch.double)
    scores, ids = memory.search(q, 5)
    (scores * weights).sum().backward()
    got = [q.grad.clone(), memory.segments[2].sub_keys.grad.clone()]
    assert all(s.sub_keys.grad is None for s in memory.segments[:2])
    q.grad = None
    memory.segments[2].sub_keys.grad = None
    keys = memory_keys(memory)  # [N, dk]
    want_scores = (keys[ids] * q.unsqueeze(1)).sum(-1)  # [M, k]
    torch.testing.assert_close(scores, want_scores)
    (want_scores * weights).sum().backward()
    for a, b in zip(got, [q.grad, memory.segments[2].sub_keys.grad]):
        torch.testing.assert_close(a, b)


def test_expert_scores_gradcheck_double():
    torch.manual_seed(0)
    keys = [torch.randn(2, n, 3, dtype=torch.double, requires_grad=True) for n in (2, 4)]
    q1, q2 = (torch.randn(6, 3, dtype=torch.double, requires_grad=True) for _ in range(2))
    a, b = torch.randint(0, 6, (6, 4)), torch.randint(0, 6, (6, 4))  # columns of both blocks side by side

    def fn(q1, q2, k0, k1):
        grid = torch.cat([k0, k1], 1)
        values = (grid[0][a] * q1.unsqueeze(1)).sum(-1) + (grid[1][b] * q2.unsqueeze(1)).sum(-1)
        return ExpertScores.apply(values.detach(), q1, q2, a, b, k0, k1)

    assert torch.autograd.gradcheck(fn, (q1, q2, *keys))


def grown_layer(sizes, frozen, seed=0, **kw):
    torch.manual_seed(seed)
    cfg = dict(d_model=12, n_heads=3, top_k=5, n_keys=sizes[0], query_norm="layer", kernel="gather")
    cfg.update(kw)
    layer = PEERLayer(PEERConfig(**cfg))
    for n in sizes[1:]:
        if len(layer.memory.segments) <= frozen:
            layer.memory.freeze()
        layer.memory.grow(n)
    if len(layer.memory.segments) <= frozen:
        layer.memory.freeze()
    return layer


@pytest.mark.parametrize("sizes,frozen", [([3, 5, 2, 4], 3), ([4, 2, 3], 1), ([3, 4, 2], 0), ([3, 2, 5], 3)])
def test_layer_over_many_segments_matches_reference(sizes, frozen):
    """Outputs and gradients of a layer whose frozen segments the kernel reads as one table,
    against the dense reference; frozen segments get no gradient."""
    layer = grown_layer(sizes, frozen)
    x = torch.randn(2, 9, 12)
    out = {}
    for name, fn in (("layer", lambda m, x: m(x)), ("reference", reference_forward)):
        layer.zero_grad(set_to_none=True)
        xg = x.clone().requires_grad_(True)
        y = fn(layer, xg)
        (y * torch.linspace(-1, 1, y.numel()).view(y.shape)).sum().backward()
        out[name] = [y.detach(), xg.grad] + [
            p.grad.to_dense() if p.grad.is_sparse else p.grad for p in layer.parameters() if p.grad is not None
        ]
    assert len(out["layer"]) == len(out["reference"])
    for a, b in zip(out["layer"], out["reference"]):
        torch.testing.assert_close(a, b, atol=1e-5, rtol=1e-5)
    for seg in layer.memory.segments[:frozen]:
        assert all(p.grad is None for p in seg.parameters())


def test_trainable_table_gradient_has_a_row_per_own_entry_only():
    """Gradient rows are written for the trainable segment's entries, not for every entry."""
    layer = grown_layer([3, 3, 3], frozen=2, top_k=4)
    x = torch.randn(20, 12)
    y, routing = layer.forward_with_routing(x)
    y.sum().backward()
    first = layer.memory.offsets[2]
    mine = routing.ids[routing.ids >= first] - first
    for table in (layer.memory.segments[2].down.weight, layer.memory.segments[2].up.weight):
        assert table.grad._values().shape[0] == mine.numel()
        assert sorted(table.grad._indices()[0].tolist()) == sorted(mine.tolist())


def test_kernel_with_and_without_a_joined_prefix_agree():
    torch.manual_seed(1)
    t, m, d = 11, 6, 5
    sizes = [7, 3, 9, 4]
    offsets = [0, 7, 10, 19]
    tables = [(o, torch.randn(n, d), torch.randn(n, d)) for o, n in zip(offsets, sizes)]
    for _, down, up in tables[2:]:
        down.requires_grad_(True)
        up.requires_grad_(True)
    prefix = (torch.cat([tables[0][1], tables[1][1]]), torch.cat([tables[0][2], tables[1][2]]))
    x = torch.randn(t, d, requires_grad=True)
    gate = torch.rand(t, m, requires_grad=True)
    ids = torch.randint(0, 23, (t, m))
    results = []
    for kw in ({}, {"prefix": prefix}):
        y = expert_mixture(x, gate, ids, tables, chunk_entries=8, **kw)
        inputs = [x, gate] + [w for _, down, up in tables[2:] for w in (down, up)]
        results.append([y] + [g.to_dense() if g.is_sparse else g for g in torch.autograd.grad(y.pow(2).sum(), inputs)])
    for a, b in zip(*results):
        torch.testing.assert_close(a, b)


def test_expert_mixture_gradcheck_with_prefix_double():
    torch.manual_seed(0)
    t, m, d = 5, 6, 4
    frozen = [torch.randn(n, d, dtype=torch.double) for n in (4, 4, 5, 5)]  # down, up of two frozen segments
    prefix = (torch.cat(frozen[0::2]), torch.cat(frozen[1::2]))
    trainable = [torch.randn(6, d, dtype=torch.double, requires_grad=True) for _ in range(2)]
    x = torch.randn(t, d, dtype=torch.double, requires_grad=True)
    gate = torch.rand(t, m, dtype=torch.double, requires_grad=True)
    ids = torch.randint(0, 15, (t, m))

    def fn(x, gate, down, up):
        tables = [(0, frozen[0], frozen[1]), (4, frozen[2], frozen[3]), (9, Densify.apply(down), Densify.apply(up))]
        return expert_mixture(x, gate, ids, tables, chunk_entries=7, prefix=prefix)

    assert torch.autograd.gradcheck(fn, (x, gate, *trainable), masked=False)


def test_frozen_prefix_is_kept_and_follows_loads():
    layer = grown_layer([3, 4, 2, 3], frozen=3)
    memory = layer.memory
    prefix = memory.frozen_prefix()
    assert prefix[0].shape == (9 * 9, 12)  # the square of the first three shells' 3 + 4 + 2 sub-keys
    assert memory.frozen_prefix() is prefix  # made once
    x = torch.randn(7, 12)
    layer.eval()
    other = grown_layer([3, 4, 2, 3], frozen=3, seed=5)
    other.eval()
    other.memory.frozen_prefix()
    other.load_state_dict(layer.state_dict())  # writes new values into the frozen tables in place
    assert other.memory.frozen_prefix() is not prefix
    torch.testing.assert_close(other(x), reference_forward(other, x), atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(other(x), layer(x))
    memory.freeze()  # the last segment joins the prefix
    assert memory.frozen_prefix()[0].shape[0] == memory.num_experts
    torch.testing.assert_close(layer(x), reference_forward(layer, x), atol=1e-5, rtol=1e-5)
    layer.double()  # new storage: the copy follows
    assert memory.frozen_prefix()[0].dtype == torch.double
    torch.testing.assert_close(layer(x.double()), reference_forward(layer, x.double()))


def train_memory(layer, steps=3, seed=0):
    """A few optimizer steps on the layer's trainable parameters; the optimizer."""
    torch.manual_seed(seed)
    opt = make_optimizer(layer, lr=1e-2, weight_decay=0.1, table_weight_decay=0.1)
    for _ in range(steps):
        opt.zero_grad(set_to_none=True)
        layer(torch.randn(16, 12)).pow(2).mean().backward()
        opt.step()
    return opt


def test_training_many_segments_leaves_frozen_ones_bit_identical():
    """Frozen shells' sub-keys and rows get no gradient, no optimizer state and no decay: bit-identical after
    training, while the new shell's sub-keys (whose pairs reach old rows) and rows move."""
    layer = grown_layer([3, 4, 2, 3], frozen=3)
    frozen = [{k: v.clone() for k, v in s.state_dict().items()} for s in layer.memory.segments[:3]]
    new = {k: v.clone() for k, v in layer.memory.segments[3].state_dict().items()}
    opt = train_memory(layer)
    for seg, before in zip(layer.memory.segments[:3], frozen):
        assert all(torch.equal(v, before[k]) for k, v in seg.state_dict().items())
        assert all(p not in opt.state and p.grad is None for p in seg.parameters())
    assert not any(torch.equal(v, new[k]) for k, v in layer.memory.segments[3].state_dict().items())


def test_tokens_limited_to_their_version_score_bit_identically_after_three_growths():
    """A token limited to version v's square (a route sending it home) gets, to the bit, the scores, experts
    and output it got when version v was the whole memory, in a batch that mixes every version's tokens."""
    layer = grown_layer([4], frozen=0)
    layer.query.requires_grad_(False)  # the backbone a route computes with does not change
    layer.query_norm.requires_grad_(False)
    layer.eval()
    x = torch.randn(64, 12)
    seen = []
    for version, grow in enumerate([3, 2, 5, None], start=1):
        train_memory(layer, seed=version)
        with torch.no_grad():
            y, routing = layer.forward_with_routing(x)
        seen.append((y, routing.scores, routing.ids))
        if grow is not None:
            layer.memory.freeze()
            layer.memory.grow(grow)
    limits = torch.arange(64) % 4 + 1  # every version's tokens in one batch
    with torch.no_grad():
        y, routing = layer.forward_with_routing(x, limits)
    for v, (y_v, scores_v, ids_v) in enumerate(seen, start=1):
        mine = limits == v
        assert torch.equal(routing.ids[mine], ids_v[mine]) and torch.equal(routing.scores[mine], scores_v[mine])
        assert torch.equal(y[mine], y_v[mine])


def test_single_segment_index_scores_are_differentiable():
    """ProductKeyIndex keeps its promise (differentiable = True), padding included."""
    keys = torch.randn(2, 2, 4, dtype=torch.double, requires_grad=True)  # 4 experts, k = 6 pads two
    q1, q2 = (torch.randn(5, 4, dtype=torch.double, requires_grad=True) for _ in range(2))
    scores, ids = ProductKeyIndex(keys).search(q1, q2, 6)
    weights = torch.randn(5, 4, dtype=torch.double)
    (scores[:, :4] * weights).sum().backward()
    got = [q1.grad, q2.grad, keys.grad]
    want = torch.autograd.grad((((full_keys(keys)[ids[:, :4]]) * torch.cat([q1, q2], 1).unsqueeze(1)).sum(-1)
                                * weights).sum(), (q1, q2, keys))
    for a, b in zip(got, want):
        torch.testing.assert_close(a, b)


def test_many_segments_train_under_bf16_autocast():
    """Queries come out of the query net in bf16: the search still runs (in the keys' precision)
    and every trainable parameter gets a finite gradient."""
    layer = grown_layer([3, 4, 3], frozen=2)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        y = layer(torch.randn(16, 12))
    y.float().pow(2).mean().backward()
    trainable = [p for p in layer.parameters() if p.requires_grad]
    assert all(p.grad is not None for p in trainable)
    assert all(torch.isfinite(p.grad.to_dense() if p.grad.is_sparse else p.grad).all() for p in trainable)
