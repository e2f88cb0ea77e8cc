import pytest
import torch

from peer_store import ConfigError
from peer_store.index import ProductKeyIndex, kmeans_sub_keys
from tests.helpers.layers import make_memory


def test_segment_smaller_than_k_is_padded_not_wrong():
    memory = make_memory([2])  # 4 experts
    seg = memory.segments[0]
    q = torch.randn(10, memory.d_key)
    scores, ids = ProductKeyIndex(seg.sub_keys).search(q[:, :8], q[:, 8:], 6)
    assert (ids[:, 4:] == -1).all() and torch.isinf(scores[:, 4:]).all()
    assert sorted(ids[0, :4].tolist()) == [0, 1, 2, 3]


def test_k_larger_than_memory_is_refused():
    memory = make_memory([2])
    with pytest.raises(ConfigError, match="top_k=5 is larger than the 4 experts"):
        memory.search(torch.randn(3, 16), 5)


def test_faiss_index_matches_torch_index():
    memory = make_memory([6, 11])
    memory.freeze()
    q = torch.randn(200, memory.d_key)
    with torch.no_grad():
        torch_scores, torch_ids = memory.search(q, 8)
        assert memory.serve_frozen_with_faiss() == 2
        faiss_scores, faiss_ids = memory.search(q, 8)
    torch.testing.assert_close(faiss_scores, torch_scores, atol=1e-5, rtol=0)
    assert (faiss_ids == torch_ids).float().mean() > 0.999


def test_faiss_served_scores_get_query_gradients_like_torch():
    memory = make_memory([6, 5])
    memory.freeze()
    q = torch.randn(50, memory.d_key, requires_grad=True)
    s_torch, _ = memory.search(q, 4)
    (g_torch,) = torch.autograd.grad(s_torch.sum(), q)
    memory.serve_frozen_with_faiss()
    s_faiss, _ = memory.search(q, 4)
    (g_faiss,) = torch.autograd.grad(s_faiss.sum(), q)
    torch.testing.assert_close(g_faiss, g_torch, atol=1e-5, rtol=1e-5)


def test_only_frozen_shells_are_served_by_faiss():
    """A trainable shell is never served by faiss, nor a shell unfrozen after serving began."""
    memory = make_memory([3, 2])
    memory.segments[0].freeze()
    assert memory.serve_frozen_with_faiss() == 1
    memory.segments[0].requires_grad_(True)
    q = torch.randn(20, memory.d_key, requires_grad=True)
    scores, _ = memory.search(q, 4)
    scores.sum().backward()
    assert memory.segments[0].sub_keys.grad is not None  # torch scored it: gradients reach its keys


def test_faiss_refuses_several_grids():
    from peer_store import Segment

    memory = make_memory([3])
    memory.segments.append(Segment(2, 8, 8))  # a store made before shells: a second grid
    memory.freeze()
    with pytest.raises(ConfigError, match="several grids"):
        memory.serve_frozen_with_faiss()


def test_kmeans_sub_keys_summarise_each_half():
    torch.manual_seed(0)
    n, half = 6, 4
    centers = torch.randn(2, n, half) * 10
    pick = torch.randint(0, n, (2, 3000))
    q = torch.cat([centers[h][pick[h]] + 0.05 * torch.randn(3000, half) for h in range(2)], 1)
    keys = kmeans_sub_keys(q, n, iters=30, redo=3)
    assert keys.shape == (2, n, half)
    for h in range(2):
        data = q[:, h * half : (h + 1) * half]
        inertia = torch.cdist(data, keys[h]).min(1).values.pow(2).mean()
        spread = (data - data.mean(0)).pow(2).sum(1).mean()
        # Lloyd may merge two clusters (local optimum) but must summarise the data far
        # better than one centroid does; random keys would not.
        assert inertia < 0.3 * spread
        random_inertia = torch.cdist(data, torch.randn(n, half)).min(1).values.pow(2).mean()
        assert inertia < 0.3 * random_inertia


def test_kmeans_needs_enough_queries():
    with pytest.raises(ConfigError, match="at least 16 queries"):
        kmeans_sub_keys(torch.randn(10, 8), 16)


def test_grown_segment_from_kmeans_is_reachable_by_its_data():
    torch.manual_seed(0)
    memory = make_memory([8], d_key=8)
    memory.freeze()
    new_data = torch.randn(2000, 8) * 0.3 + 3.0  # a region the old keys do not cover
    seg = memory.grow(8, sub_keys=kmeans_sub_keys(new_data, 8))
    _, ids = memory.search(new_data, 4)
    in_new = (ids >= memory.offsets[1]).float().mean()
    assert seg.num_experts == 2 * 8 * 8 + 64 and in_new > 0.9
