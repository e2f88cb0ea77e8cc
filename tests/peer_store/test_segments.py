"""Many segments in one pass: batched retrieval over segments of different sizes, per-query
segment limits and the chosen experts' score gradients. Oracle: brute force over full keys."""

import pytest
import torch

from peer_store import ExpertMemory
from peer_store.index import ProductKeyIndex
from peer_store.index.product import ExpertScores, product_topk
from tests.peer_store.reference import full_keys, reference_search


def mixed_memory(sizes, d_key=8, d_model=6, frozen=0, seed=0, dtype=torch.float32):
    torch.manual_seed(seed)
    memory = ExpertMemory(d_model, d_key)
    for n in sizes:
        memory.grow(n)
        if len(memory.segments) <= frozen:
            memory.freeze()
    return memory.to(dtype)


@pytest.mark.parametrize(
    "sizes,k",
    [([5], 4), ([5], 25), ([3, 7, 2, 7, 5], 1), ([3, 7, 2, 7, 5], 13), ([3, 7, 2, 7, 5], 30), ([2, 2, 2, 2], 13),
     ([9, 1, 4], 30)],
)
def test_batched_search_equals_brute_force(sizes, k):
    """Segments of different n_keys (some holding fewer than k experts) in one pass give the
    brute-force top-k over every full key."""
    memory = mixed_memory(sizes)
    q = torch.randn(200, memory.d_key)
    with torch.no_grad():
        scores, ids = memory.search(q, k)
    want_scores, want_ids = reference_search(memory, q, k)
    torch.testing.assert_close(scores, want_scores, atol=1e-5, rtol=0)
    assert (ids == want_ids).float().mean() > 0.99  # ties aside
    assert ids.min() >= 0 and ids.max() < memory.num_experts


@pytest.mark.parametrize("sizes,k", [([3, 7, 2, 7, 5], 6), ([2, 9, 1, 4], 4), ([4, 4, 4], 16)])
def test_limited_queries_see_only_their_first_segments(sizes, k):
    """A query limited to the first s segments gets the brute-force top-k of those segments and
    never an id of a later one, whatever the sizes of the hidden segments."""
    memory = mixed_memory(sizes)
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


def test_product_topk_reports_segment_and_sub_key_rows():
    memory = mixed_memory([3, 5, 3])
    q = torch.randn(50, memory.d_key)
    h = memory.d_half
    keys = [s.sub_keys for s in memory.segments]
    allowed = torch.rand(50, 3) < 0.7
    allowed[:, 1] = True  # 25 experts always visible
    scores, segment, i, j = product_topk(q[:, :h], q[:, h:], keys, 5, allowed=allowed)
    assert allowed.gather(1, segment).all()
    rescored = torch.stack([
        torch.stack([keys[s][0, a] @ q[m, :h] + keys[s][1, b] @ q[m, h:] for s, a, b in zip(*row)])
        for m, row in enumerate(zip(segment.tolist(), i.tolist(), j.tolist()))
    ])
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
    keys = torch.cat([full_keys(s.sub_keys) for s in memory.segments])  # [N, dk]
    want_scores = (keys[ids] * q.unsqueeze(1)).sum(-1)  # [M, k]
    torch.testing.assert_close(scores, want_scores)
    (want_scores * weights).sum().backward()
    for a, b in zip(got, [q.grad, memory.segments[2].sub_keys.grad]):
        torch.testing.assert_close(a, b)


def test_expert_scores_gradcheck_double():
    torch.manual_seed(0)
    keys = [torch.randn(2, n, 3, dtype=torch.double, requires_grad=True) for n in (2, 4)]
    q1, q2 = (torch.randn(6, 3, dtype=torch.double, requires_grad=True) for _ in range(2))
    segment = torch.randint(0, 2, (6, 4))
    i = torch.randint(0, 2, (6, 4))
    j = torch.randint(0, 2, (6, 4)) + 2 * segment  # rows 0..3 in the second segment
    i = i + segment

    def fn(q1, q2, k0, k1):
        ks = [k0, k1]
        values = torch.stack([torch.stack([ks[s][0, a] @ q1[m] + ks[s][1, b] @ q2[m] for s, a, b in zip(*row)])
                              for m, row in enumerate(zip(segment.tolist(), i.tolist(), j.tolist()))])
        return ExpertScores.apply(values.detach(), q1, q2, segment, i, j, k0, k1)

    assert torch.autograd.gradcheck(fn, (q1, q2, *keys))
