"""The CUDA paths against the slow references: the expert kernel and the layer (fp32 tight, bf16 loose), the
row-wise optimizer against itself on the CPU, the faiss GPU index against the torch search, k-means on the
GPU. ``benchmarks/gpu.sh`` runs them (``pytest -m gpu``) on a GPU machine; without CUDA each is skipped with
that reason. On a CUDA machine whose faiss has no GPU support the faiss tests fail with the fix."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from peer_store import PEERConfig, PEERLayer, expert_mixture
from peer_store.index.faiss_index import gpu_count, kmeans_sub_keys
from peer_store.optim import PEEROptimizer
from peer_store.reference import reference_forward
from tests.helpers.layers import make_memory, run

pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device (benchmarks/gpu.sh on a GPU machine)"),
]
CUDA = torch.device("cuda")
BF16_NORM_ERROR = 2e-2
"""bf16 (8 significant bits, several roundings per entry): ``||a - ref|| / ||ref||`` at most this."""


def assert_near(a: torch.Tensor, ref: torch.Tensor, dtype: torch.dtype, name: str = "output") -> None:
    """fp32: elementwise, tight. bf16: relative to the tensor's norm (an element near zero has no precision)."""
    a, ref = a.detach().double().cpu(), ref.detach().double().cpu()
    if dtype == torch.float32:
        torch.testing.assert_close(a, ref, atol=1e-4, rtol=1e-4, msg=lambda m: f"{name}: {m}")
        return
    error = float((a - ref).norm() / ref.norm())
    assert error <= BF16_NORM_ERROR, f"{name}: relative error {error:.2e} in bf16"


def dense_mixture(x, gate, ids, down, up, act="gelu"):
    """The oracle: ``sum_e gate_e * act(u_e . x) * v_e`` with every retrieved row gathered ``[T, m, d]``."""
    u, v = down[ids], up[ids]  # [T, m, d] each
    pre = torch.einsum("tmd,td->tm", u, x)
    return torch.einsum("tm,tmd->td", gate * (F.gelu(pre) if act == "gelu" else F.relu(pre)), v)  # [T, d]


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16])
@pytest.mark.parametrize("kernel", ["gather", "dense"])
def test_kernel_matches_the_dense_reference(kernel, dtype):
    """Two tables (ids across both), small chunks; the oracle runs in float64 on the same (rounded) values."""
    g = torch.Generator().manual_seed(0)
    t, m, d, n0, n1 = 300, 24, 32, 40, 60
    x, gate = torch.randn(t, d, generator=g), torch.rand(t, m, generator=g)
    ids = torch.randint(0, n0 + n1, (t, m), generator=g)
    tables = [torch.randn(n, d, generator=g) / d**0.5 for n in (n0, n0, n1, n1)]  # down0, up0, down1, up1
    weight = torch.linspace(-1, 1, t * d).view(t, d)
    inputs = [a.to(CUDA, dtype).requires_grad_() for a in (x, gate, *tables)]
    xc, gc, d0, u0, d1, u1 = inputs
    y = expert_mixture(xc, gc, ids.to(CUDA), [(0, d0, u0), (n0, d1, u1)], chunk_entries=500, kernel=kernel)
    (y.float() * weight.to(CUDA)).sum().backward()
    ref = [a.detach().cpu().double().requires_grad_() for a in inputs]
    xr, gr, d0r, u0r, d1r, u1r = ref
    y_ref = dense_mixture(xr, gr, ids, torch.cat([d0r, d1r]), torch.cat([u0r, u1r]))
    (y_ref * weight.double()).sum().backward()
    assert y.dtype == dtype
    assert_near(y, y_ref, dtype)
    for name, a, r in zip(["x", "gate", "down0", "up0", "down1", "up1"], inputs, ref):
        grad = a.grad.double()  # before summing the rows of a sparse gradient: in bf16 the sum alone is off
        assert_near(grad.to_dense() if grad.is_sparse else grad, r.grad, dtype, name)


@pytest.mark.parametrize("kernel", ["gather", "dense"])
def test_layer_matches_the_reference_in_fp32(kernel):
    """A frozen segment and two grown ones; output and every gradient against brute-force retrieval."""
    torch.manual_seed(0)
    layer = PEERLayer(PEERConfig(d_model=32, n_heads=4, top_k=8, n_keys=6, chunk_entries=300, kernel=kernel))
    layer.memory.freeze()
    layer.memory.grow(5)
    layer.memory.grow(7)
    layer.to(CUDA)
    x = torch.randn(6, 25, 32, device=CUDA)
    y, g = run(layer, x, lambda m, x: m(x))
    y_ref, g_ref = run(layer, x, reference_forward)
    assert_near(y, y_ref, torch.float32)
    assert g.keys() == g_ref.keys()
    for name in g:
        assert_near(g[name], g_ref[name], torch.float32, name)
    assert all(p.grad is None for p in layer.memory.segments[0].parameters())


def test_layer_under_bf16_autocast_matches_a_reference_of_its_own_routing():
    """Under bf16 autocast the queries and retrieval run in bf16 and may pick other experts than fp32 would, so
    the oracle is the dense mixture of the experts this pass retrieved (gates detached): the output and the
    table gradients match it loosely, and every gradient is finite."""
    torch.manual_seed(1)
    layer = PEERLayer(PEERConfig(d_model=64, n_heads=4, top_k=8, n_keys=16, kernel="gather")).to(CUDA)
    x = torch.randn(200, 64, device=CUDA)
    weight = torch.linspace(-1, 1, x.numel(), device=CUDA).view(x.shape)
    with torch.autocast("cuda", dtype=torch.bfloat16):
        y, routing = layer.forward_with_routing(x)
    (y.float() * weight).sum().backward()
    seg = layer.memory.segments[0]
    down = seg.down.weight.detach().clone().requires_grad_()
    up = seg.up.weight.detach().clone().requires_grad_()
    ids, gate = routing.ids.reshape(200, -1), routing.gate.detach().float().reshape(200, -1)  # [T, h*k]
    y_ref = dense_mixture(x, gate, ids, down, up)
    (y_ref * weight).sum().backward()
    assert_near(y, y_ref, torch.bfloat16)
    assert_near(seg.down.weight.grad.to_dense(), down.grad, torch.bfloat16, "down")
    assert_near(seg.up.weight.grad.to_dense(), up.grad, torch.bfloat16, "up")
    for name, p in layer.named_parameters():
        assert p.grad is not None, name
        grad = p.grad.to_dense() if p.grad.is_sparse else p.grad
        assert torch.isfinite(grad).all(), name


@pytest.mark.parametrize("beta1", [0.0, 0.9])
def test_row_wise_optimizer_on_cuda_equals_the_cpu_one(beta1):
    """The same sparse (uncoalesced, rows repeated few and many times) and dense gradients, four steps."""
    g = torch.Generator().manual_seed(2)
    rows, d = 64, 16
    start = [torch.randn(rows, d, generator=g), torch.randn(d, d, generator=g)]  # table, dense weight
    steps = []
    for s in range(4):
        e = 40 if s % 2 else 400  # few repeats, then many
        steps.append((torch.randint(0, rows, (e,), generator=g), torch.randn(e, d, generator=g),
                      torch.randn(d, d, generator=g)))
    result = {}
    for device in ("cpu", CUDA):
        table, dense = (torch.nn.Parameter(w.clone().to(device)) for w in start)
        opt = PEEROptimizer([
            dict(params=[dense], kind="dense", lr=1e-2, weight_decay=0.1),
            dict(params=[table], kind="table", lr=1e-2, betas=(beta1, 0.999), weight_decay=0.01),
        ])
        for r, values, dense_grad in steps:
            table.grad = torch.sparse_coo_tensor(r[None].to(device), values.to(device), (rows, d), check_invariants=True)
            dense.grad = dense_grad.to(device)
            opt.step()
        result[str(device)] = [table.detach().cpu(), dense.detach().cpu(),
                               *(v.cpu() for v in opt.state[table].values() if torch.is_tensor(v))]
    for a, b in zip(result["cuda"], result["cpu"]):
        torch.testing.assert_close(a, b, atol=1e-6, rtol=1e-5)


def faiss_gpus() -> int:
    count = gpu_count()
    if count == 0:
        pytest.fail("faiss here has no GPU support: install peer-store's `gpu` extra (faiss-gpu-cu12)", pytrace=False)
    return count


def test_faiss_gpu_index_equals_the_torch_search():
    faiss_gpus()
    memory = make_memory([6, 11, 32]).to(CUDA)
    memory.freeze()
    q = torch.randn(500, memory.d_key, device=CUDA)
    with torch.no_grad():
        torch_scores, torch_ids = memory.search(q, 8)
        assert memory.serve_frozen_with_faiss() == 3
        assert all(seg.index.on_gpu for seg in memory.segments)
        faiss_scores, faiss_ids = memory.search(q, 8)
    assert faiss_ids.device == q.device
    torch.testing.assert_close(faiss_scores, torch_scores, atol=1e-5, rtol=0)
    assert (faiss_ids == torch_ids).float().mean() > 0.999


def test_kmeans_runs_on_the_gpu_and_finds_the_clusters():
    faiss_gpus()
    g = torch.Generator().manual_seed(3)
    n, half = 8, 16
    centers = torch.randn(2, n, half, generator=g) * 10
    pick = torch.randint(0, n, (2, 4000), generator=g)
    q = torch.cat([centers[h][pick[h]] + 0.05 * torch.randn(4000, half, generator=g) for h in range(2)], 1)
    keys = kmeans_sub_keys(q.to(CUDA), n, iters=30, redo=3)
    assert keys.shape == (2, n, half)
    for h in range(2):
        data = q[:, h * half : (h + 1) * half]
        inertia = torch.cdist(data, keys[h].cpu()).min(1).values.pow(2).mean()
        assert inertia < 0.3 * (data - data.mean(0)).pow(2).sum(1).mean()
