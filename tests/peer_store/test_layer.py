import pytest
import torch

from peer_store import ConfigError, PEERConfig, PEERLayer, ShapeError, expert_mixture
from peer_store.reference import reference_forward
from tests.helpers.layers import Densify, run


@pytest.mark.parametrize(
    "cfg,grow",
    [
        (dict(d_model=16, n_heads=2, top_k=4, n_keys=5, query_norm="batch"), []),
        (dict(d_model=16, n_heads=3, top_k=6, n_keys=4, query_norm="layer", score_fn="sigmoid", activation="relu"), [3, 6]),
        (dict(d_model=12, n_heads=4, top_k=8, n_keys=3, d_key=10, query_norm="none", chunk_entries=7), [2, 4]),
    ],
)
@pytest.mark.parametrize("kernel", ["gather", "dense"])
def test_layer_matches_reference_output_and_gradients(cfg, grow, kernel):
    torch.manual_seed(0)
    layer = PEERLayer(PEERConfig(**cfg, kernel=kernel))
    for i, n in enumerate(grow):
        if i == 0:
            layer.memory.freeze()
        layer.memory.grow(n)
    x = torch.randn(3, 7, cfg["d_model"])
    layer.eval()  # batch-norm statistics fixed, so both runs see the same queries
    y, g = run(layer, x, lambda m, x: m(x))
    y_ref, g_ref = run(layer, x, reference_forward)
    torch.testing.assert_close(y, y_ref, atol=1e-5, rtol=1e-5)
    assert g.keys() == g_ref.keys()
    for name in g:
        torch.testing.assert_close(g[name], g_ref[name], atol=1e-5, rtol=1e-5, msg=name)
    if grow:  # frozen segment: no gradient anywhere
        assert all(p.grad is None for p in layer.memory.segments[0].parameters())


def test_large_batch_uses_mapped_buffers_and_matches_reference():
    from peer_store.kernel import empty_buffer

    torch.manual_seed(2)
    config = PEERConfig(d_model=64, n_heads=4, top_k=8, n_keys=16, query_norm="layer", chunk_entries=4096, kernel="gather")
    layer = PEERLayer(config)
    x = torch.randn(512, 64)  # 512 * 4 * 8 entries * 64 floats = 4 MiB of gradient rows per table
    big = empty_buffer((512 * 32, 64), x)
    assert not big.untyped_storage().resizable()  # a mapped buffer, not torch's allocator
    y, g = run(layer, x, lambda m, x: m(x))
    y_ref, g_ref = run(layer, x, reference_forward)
    torch.testing.assert_close(y, y_ref, atol=1e-5, rtol=1e-5)
    for name in g:
        torch.testing.assert_close(g[name], g_ref[name], atol=1e-5, rtol=1e-5, msg=name)


def test_faiss_served_layer_matches_torch_served_layer():
    torch.manual_seed(3)
    layer = PEERLayer(PEERConfig(d_model=16, n_heads=2, top_k=4, n_keys=6, query_norm="layer"))
    layer.memory.freeze()
    layer.memory.grow(5)
    x = torch.randn(40, 16)
    y_torch, g_torch = run(layer, x, lambda m, x: m(x))
    layer.memory.serve_frozen_with_faiss()
    y_faiss, g_faiss = run(layer, x, lambda m, x: m(x))
    torch.testing.assert_close(y_faiss, y_torch, atol=1e-5, rtol=1e-5)
    for name in g_torch:
        torch.testing.assert_close(g_faiss[name], g_torch[name], atol=1e-5, rtol=1e-5, msg=name)


def test_layer_train_mode_batchnorm_matches_reference():
    torch.manual_seed(1)
    layer = PEERLayer(PEERConfig(d_model=16, n_heads=2, top_k=4, n_keys=6, query_norm="batch"))
    x = torch.randn(20, 16)
    state = {k: v.clone() for k, v in layer.state_dict().items() if "running" in k}
    y, g = run(layer, x, lambda m, x: m(x))
    layer.load_state_dict({**layer.state_dict(), **state})
    y_ref, g_ref = run(layer, x, reference_forward)
    torch.testing.assert_close(y, y_ref, atol=1e-5, rtol=1e-5)
    for name in g:
        torch.testing.assert_close(g[name], g_ref[name], atol=1e-5, rtol=1e-5, msg=name)


def outputs_after_future_change(layer, t, seed=0):
    """The layer's outputs on 32-token windows ``[4, 32, d]`` and on the same windows with every
    token after position ``t`` redrawn."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(4, 32, layer.config.d_model, generator=g)
    changed = x.clone()
    changed[:, t + 1 :] = torch.randn(changed[:, t + 1 :].shape, generator=g)
    with torch.no_grad():
        return layer(x), layer(changed)


@pytest.mark.parametrize("kernel", ["auto", "gather"])
def test_layer_with_its_defaults_is_causal_in_training(kernel):
    """A user's causal LM with the layer as built by default: outputs at positions <= t do not move
    when the tokens after t change, in training mode (a batch-norm default moved them by 0.4)."""
    torch.manual_seed(0)
    layer = PEERLayer(PEERConfig(d_model=32, n_keys=16, kernel=kernel)).train()  # n_keys: a CPU-sized memory
    t = 19
    a, b = outputs_after_future_change(layer, t)
    torch.testing.assert_close(a[:, : t + 1], b[:, : t + 1], rtol=0, atol=1e-6)
    assert (a[:, t + 1 :] - b[:, t + 1 :]).abs().max() > 1e-3  # the change reaches the later outputs


def test_batch_query_norm_sees_the_future_in_training_only():
    """The paper's query batch norm, opted into: the check above catches its leak in training mode;
    in eval mode (running statistics) the layer is causal again."""
    torch.manual_seed(0)
    layer = PEERLayer(PEERConfig(d_model=32, n_keys=16, query_norm="batch"))
    t = 19
    a, b = outputs_after_future_change(layer.train(), t)
    assert (a[:, : t + 1] - b[:, : t + 1]).abs().max() > 1e-3
    a, b = outputs_after_future_change(layer.eval(), t)
    torch.testing.assert_close(a[:, : t + 1], b[:, : t + 1], rtol=0, atol=1e-6)


@pytest.mark.parametrize("kernel", ["gather", "dense"])
def test_expert_mixture_gradcheck_double(kernel):
    torch.manual_seed(0)
    t, m, d = 5, 6, 4
    tables = [torch.randn(9, d, dtype=torch.double, requires_grad=True) for _ in range(4)]
    x = torch.randn(t, d, dtype=torch.double, requires_grad=True)
    gate = torch.rand(t, m, dtype=torch.double, requires_grad=True)
    ids = torch.randint(0, 18, (t, m))

    def fn(x, gate, d0, u0, d1, u1):
        d0, u0, d1, u1 = (Densify.apply(w) for w in (d0, u0, d1, u1))
        return expert_mixture(x, gate, ids, [(0, d0, u0), (9, d1, u1)], chunk_entries=7, kernel=kernel)

    assert torch.autograd.gradcheck(fn, (x, gate, *tables), masked=False)


def test_layer_gradcheck_double():
    torch.manual_seed(0)
    layer = PEERLayer(PEERConfig(d_model=6, n_heads=2, top_k=3, n_keys=3, query_norm="layer")).double()
    x = torch.randn(4, 6, dtype=torch.double, requires_grad=True)
    for seg in layer.memory.segments:  # tables enter as inputs so their (sparse) gradients are checked too
        seg.down.weight.requires_grad_(False)
        seg.up.weight.requires_grad_(False)
    seg = layer.memory.segments[0]
    down0, up0 = seg.down.weight.detach().clone(), seg.up.weight.detach().clone()

    del seg.down.weight, seg.up.weight

    def fn(x, down, up):
        seg.down.weight, seg.up.weight = Densify.apply(down), Densify.apply(up)
        return layer(x)

    assert torch.autograd.gradcheck(fn, (x, down0.requires_grad_(), up0.requires_grad_()))


def test_sparse_gradients_touch_only_retrieved_rows():
    torch.manual_seed(0)
    layer = PEERLayer(PEERConfig(d_model=8, n_heads=2, top_k=2, n_keys=16, query_norm="none"))
    x = torch.randn(3, 8)
    y, routing = layer.forward_with_routing(x)
    y.sum().backward()
    grad = layer.memory.segments[0].up.weight.grad
    assert grad.is_sparse
    assert set(grad._indices()[0].tolist()) == set(routing.ids.flatten().tolist())
    assert grad._values().shape == (3 * 2 * 2, 8)


def test_dense_kernel_gradients_are_sparse_over_retrieved_rows_only():
    """Same values as the gather kernel; table gradients hold one row per retrieved row of
    each table (ids repeat across tokens and heads); frozen tables get none."""
    torch.manual_seed(4)
    t, m, d = 40, 6, 8
    x = torch.randn(t, d, requires_grad=True)
    gate = torch.rand(t, m, requires_grad=True)
    ids = torch.cat([torch.randint(0, 10, (t, m - 2)), torch.randint(10, 14, (t, 2))], 1)  # rows 14-15 never
    down0, up0 = torch.randn(10, d), torch.randn(10, d)  # frozen
    down1, up1 = torch.randn(6, d, requires_grad=True), torch.randn(6, d, requires_grad=True)
    out = {}
    for kernel in ("gather", "dense"):
        for p in (x, gate, down1, up1):
            p.grad = None
        y = expert_mixture(x, gate, ids, [(0, down0, up0), (10, down1, up1)], chunk_entries=9, kernel=kernel)
        (y * torch.linspace(-1, 1, y.numel()).view(y.shape)).sum().backward()
        out[kernel] = [y.detach(), x.grad, gate.grad, down1.grad.to_dense(), up1.grad.to_dense()]
        if kernel == "dense":
            for grad in (down1.grad, up1.grad):
                assert grad.is_sparse
                assert grad._indices()[0].tolist() == [0, 1, 2, 3]  # rows 10-13 of the id space
    for a, b in zip(out["gather"], out["dense"]):
        torch.testing.assert_close(a, b, atol=1e-5, rtol=1e-5)


def test_auto_kernel_is_dense_only_for_small_memories():
    from peer_store.kernel import DENSE_RATIO, pick_kernel

    assert pick_kernel("auto", DENSE_RATIO * 64, 64) == "dense"
    assert pick_kernel("auto", DENSE_RATIO * 64 + 1, 64) == "gather"
    assert pick_kernel("gather", 16, 64) == "gather"
    assert pick_kernel("dense", 10**6, 64) == "dense"
    with pytest.raises(ConfigError, match="kernel must be one of"):
        PEERConfig(d_model=8, kernel="fast")


@pytest.mark.parametrize(
    "kwargs,match",
    [
        (dict(d_model=7), "d_key must be even"),
        (dict(d_model=8, d_key=5), "d_key must be even"),
        (dict(d_model=8, n_keys=2, top_k=5), "top_k=5 is larger than the 4 experts"),
        (dict(d_model=8, query_norm="group"), "query_norm must be one of"),
        (dict(d_model=0), "d_model must be a positive integer"),
    ],
)
def test_bad_config_is_refused(kwargs, match):
    with pytest.raises(ConfigError, match=match):
        PEERLayer(PEERConfig(**kwargs))


def test_bad_input_is_refused():
    layer = PEERLayer(PEERConfig(d_model=8, n_keys=4, top_k=2, n_heads=2))
    with pytest.raises(ShapeError, match=r"expects input \[..., 8\], got \(3, 9\)"):
        layer(torch.randn(3, 9))
    with pytest.raises(ShapeError, match="dtype torch.float64 does not match"):
        layer(torch.randn(3, 8, dtype=torch.float64))
    with pytest.raises(ShapeError, match="floating-point"):
        layer(torch.ones(3, 8, dtype=torch.long))
    with pytest.raises(ShapeError, match="input is on meta"):
        layer(torch.randn(3, 8, device="meta"))
