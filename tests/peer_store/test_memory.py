import json

import pytest
import torch

from peer_store import (
    PEERConfig,
    PEERLayer,
    StoreError,
    load_memory,
    load_segment,
    make_optimizer,
    save_memory,
    save_segment,
    split_parameters,
)
from peer_store.errors import ConfigError, ShapeError


def tiny_layer(seed=0, **kw):
    torch.manual_seed(seed)
    cfg = dict(d_model=16, n_heads=2, top_k=4, n_keys=6, query_norm="layer")
    cfg.update(kw)
    return PEERLayer(PEERConfig(**cfg))


def train_steps(layer, opt, steps, seed=0):
    g = torch.Generator().manual_seed(seed)
    for _ in range(steps):
        x = torch.randn(32, layer.config.d_model, generator=g)
        opt.zero_grad(set_to_none=True)
        layer(x).pow(2).mean().backward()
        opt.step()


def test_frozen_segments_stay_bit_identical_and_have_no_state():
    layer = tiny_layer()
    opt = make_optimizer(layer, lr=1e-2, weight_decay=0.1, table_weight_decay=0.1, table_betas=(0.9, 0.999))
    train_steps(layer, opt, 3)
    frozen = layer.memory.segments[0]
    assert all(p in opt.state for p in frozen.parameters())  # momentum that would keep moving them
    layer.memory.freeze()
    new = layer.memory.grow(5)
    before = {k: v.clone() for k, v in frozen.state_dict().items()}
    new_before = {k: v.clone() for k, v in new.state_dict().items()}
    # The optimizer built before the freeze still holds the old segment: it must drop its state.
    opt.add_param_group(dict(params=[new.sub_keys], kind="dense", lr=1e-2, weight_decay=0.0))
    opt.add_param_group(dict(params=[new.down.weight, new.up.weight], kind="table", lr=1e-2, weight_decay=0.1))
    train_steps(layer, opt, 5, seed=1)
    for k, v in frozen.state_dict().items():
        assert torch.equal(v, before[k]), k
    assert all(p.grad is None for p in frozen.parameters())
    assert not any(p in opt.state for p in frozen.parameters())
    changed = [k for k, v in new.state_dict().items() if not torch.equal(v, new_before[k])]
    assert set(changed) == {"sub_keys", "down.weight", "up.weight"}


def test_split_parameters_and_optimizer_groups():
    layer = tiny_layer()
    layer.memory.freeze()
    layer.memory.grow(4)
    dense, tables = split_parameters(layer)
    new = layer.memory.segments[1]
    assert {id(p) for p in tables} == {id(new.down.weight), id(new.up.weight)}
    assert id(new.sub_keys) in {id(p) for p in dense}
    assert not any(id(p) in {id(q) for q in dense + tables} for p in layer.memory.segments[0].parameters())
    opt = make_optimizer(layer, weight_decay=0.1)
    assert [(g["kind"], g["weight_decay"]) for g in opt.param_groups] == [("dense", 0.1), ("dense", 0.0), ("table", 0.0)]
    decayed = {id(p) for p in opt.param_groups[0]["params"]}
    assert decayed == {id(layer.query.weight)}  # not norm gains/biases, not the sub-keys


def test_row_update_touches_only_retrieved_rows():
    layer = tiny_layer(n_keys=16, top_k=2, n_heads=1)
    opt = make_optimizer(layer, lr=1e-2, table_weight_decay=0.1)
    table = layer.memory.segments[0].up.weight
    before = table.detach().clone()
    x = torch.randn(4, 16)
    y, routing = layer.forward_with_routing(x)
    y.sum().backward()
    opt.step()
    touched = (table != before).any(1).nonzero().squeeze(1)
    assert set(touched.tolist()) == set(routing.ids.flatten().tolist())
    assert opt.state[table]["exp_avg_sq"].shape == (256,)  # one scalar per row, not per weight


def test_row_update_matches_hand_computed_adam():
    from peer_store.optim import PEEROptimizer

    w = torch.nn.Parameter(torch.zeros(5, 3))
    opt = PEEROptimizer([dict(params=[w], kind="table", lr=0.1, betas=(0.0, 0.9), eps=0.0, weight_decay=0.0)])
    rows = torch.tensor([[1, 3, 1]])
    vals = torch.tensor([[1.0, 2.0, 2.0], [3.0, 0.0, 4.0], [1.0, 0.0, 0.0]])
    w.grad = torch.sparse_coo_tensor(rows, vals, (5, 3), check_invariants=True)
    opt.step()
    g1 = torch.tensor([2.0, 2.0, 2.0])  # row 1: duplicates summed
    g3 = torch.tensor([3.0, 0.0, 4.0])
    for row, g in ((1, g1), (3, g3)):
        v = 0.1 * g.pow(2).mean()  # (1 - beta2) * mean g^2
        expected = -0.1 * g / (v / 0.1).sqrt()  # bias-corrected
        torch.testing.assert_close(w.detach()[row], expected)
    assert (w.detach()[[0, 2, 4]] == 0).all()


def reference_row_adam(w, grad, lr, beta2, eps, steps):
    """Slow reference: coalesce, then per-row Adam (beta1 = 0) with a per-row mean-square."""
    w = w.clone()
    v = torch.zeros(w.shape[0])
    t = torch.zeros(w.shape[0])
    g = grad.coalesce()
    for _ in range(steps):
        for row, gr in zip(g.indices()[0].tolist(), g.values()):
            t[row] += 1
            v[row] = beta2 * v[row] + (1 - beta2) * gr.pow(2).mean()
            w[row] -= lr * gr / ((v[row] / (1 - beta2 ** t[row])).sqrt() + eps)
    return w


@pytest.mark.parametrize("n_rows,entries", [(6, 40), (1000, 40), (50, 200)])  # many / few / mixed repeats
def test_row_update_matches_slow_reference(n_rows, entries):
    from peer_store.optim import PEEROptimizer

    torch.manual_seed(n_rows)
    w0 = torch.randn(n_rows, 5)
    w = torch.nn.Parameter(w0.clone())
    opt = PEEROptimizer([dict(params=[w], kind="table", lr=0.05, betas=(0.0, 0.9), eps=1e-8, weight_decay=0.0)])
    rows = torch.randint(0, n_rows, (1, entries))
    rows[0, -1] = rows[0, 0]  # at least one repeated row in every regime
    grad = torch.sparse_coo_tensor(rows, torch.randn(entries, 5), (n_rows, 5), check_invariants=True)
    for _ in range(3):
        w.grad = grad.clone()
        opt.step()
    torch.testing.assert_close(w.detach(), reference_row_adam(w0, grad, 0.05, 0.9, 1e-8, 3), atol=1e-5, rtol=1e-5)


def test_training_reduces_loss_on_a_fixed_target():
    layer = tiny_layer(n_keys=8)
    opt = make_optimizer(layer, lr=3e-2)
    g = torch.Generator().manual_seed(0)
    x = torch.randn(64, 16, generator=g)
    target = torch.randn(64, 16, generator=g) * 0.5
    losses = []
    for _ in range(60):
        opt.zero_grad(set_to_none=True)
        loss = (layer(x) - target).pow(2).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.5 * losses[0]


def test_state_dict_round_trip_rebuilds_shape():
    layer = tiny_layer()
    layer.memory.freeze()
    layer.memory.grow(3)
    layer.memory.grow(5)
    other = tiny_layer(seed=9)
    other.load_state_dict(layer.state_dict())
    assert [s.n_keys for s in other.memory.segments] == [6, 3, 5]
    assert [s.frozen for s in other.memory.segments] == [True, False, False]
    assert other.memory.growth_step == 3
    x = torch.randn(10, 16)
    assert torch.equal(other(x), layer(x))


def test_loading_a_trainable_state_unfreezes_a_frozen_memory():
    """Same shape, so no segment is rebuilt: the state's frozen flags must still win, both ways."""
    trainable, frozen = tiny_layer(), tiny_layer(seed=9)
    frozen.memory.freeze()
    frozen.load_state_dict(trainable.state_dict())
    assert [s.frozen for s in frozen.memory.segments] == [False]
    assert all(p.requires_grad for p in frozen.memory.parameters())
    assert len(split_parameters(frozen)[1]) == 2  # its tables train again
    trainable.memory.freeze()
    other = tiny_layer(seed=3)
    other.load_state_dict(trainable.state_dict())
    assert [s.frozen for s in other.memory.segments] == [True]


def test_save_load_round_trip_bit_identical(tmp_path):
    layer = tiny_layer()
    layer.memory.freeze()
    layer.memory.grow(4)
    manifest = save_memory(layer.memory, tmp_path)
    assert len(manifest["segments"]) == 2
    loaded = load_memory(tmp_path)
    for a, b in zip(layer.memory.segments, loaded.segments):
        assert a.frozen == b.frozen
        for (ka, va), (kb, vb) in zip(a.state_dict().items(), b.state_dict().items()):
            assert ka == kb and torch.equal(va, vb)
    served = PEERLayer(layer.config, memory=loaded)
    served.query.load_state_dict(layer.query.state_dict())
    served.query_norm.load_state_dict(layer.query_norm.state_dict())
    x = torch.randn(5, 16)
    assert torch.equal(served(x), layer(x))


def test_same_segment_gives_the_same_bytes(tmp_path):
    layer = tiny_layer()
    digests = {save_segment(layer.memory.segments[0], tmp_path / f"s{i}.safetensors")["sha256"] for i in range(4)}
    assert len(digests) == 1  # content addresses are stable, so identical segments share a file


def test_frozen_segment_is_memory_mapped_and_unchanged_on_disk(tmp_path):
    layer = tiny_layer()
    layer.memory.freeze()
    path = tmp_path / "seg.safetensors"
    info = save_segment(layer.memory.segments[0], path)
    seg = load_segment(path, frozen=True, sha256=info["sha256"])
    assert seg.frozen
    with torch.no_grad():
        seg.down.weight[0].zero_()  # copy-on-write: the file never changes
    assert load_segment(path, frozen=True, sha256=info["sha256"]).down.weight[0].abs().sum() > 0


def test_freezing_a_shell_writes_nothing_new(tmp_path):
    """Frozen is the version's fact, not the file's: a shell saved trainable and saved frozen is one file."""
    layer = tiny_layer()
    layer.memory.grow(3)
    shell = layer.memory.segments[1]
    before = save_segment(shell, tmp_path / "a.safetensors")
    layer.memory.freeze()
    assert save_segment(shell, tmp_path / "b.safetensors") == before
    loaded = [load_segment(tmp_path / "a.safetensors", frozen=f) for f in (True, False)]
    assert [s.frozen for s in loaded] == [True, False] and all(s.start == 6 for s in loaded)


def test_segment_file_of_a_store_made_before_shells_loads_as_a_grid(tmp_path):
    """A file written before shells (format peer-store/segment/1, with its frozen flag) loads as a grid of
    its own (start 0), frozen as the caller says."""
    from safetensors.torch import save_file

    seg = tiny_layer().memory.segments[0]
    meta = {"format": "peer-store/segment/1", "n_keys": 6, "d_model": 16, "d_half": seg.d_half, "frozen": True}
    path = tmp_path / "old.safetensors"
    save_file({"sub_keys": seg.sub_keys.detach(), "down": seg.down.weight.detach(), "up": seg.up.weight.detach()},
              str(path), metadata={"peer-store": json.dumps(meta, sort_keys=True)})
    loaded = load_segment(path, frozen=False)
    assert (loaded.start, loaded.n_keys, loaded.frozen) == (0, 6, False)
    assert torch.equal(loaded.down.weight, seg.down.weight) and torch.equal(loaded.sub_keys, seg.sub_keys)


def test_tampered_truncated_and_missing_files_are_refused(tmp_path):
    layer = tiny_layer()
    path = tmp_path / "seg.safetensors"
    info = save_segment(layer.memory.segments[0], path)
    data = bytearray(path.read_bytes())
    data[-5] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="checksum mismatch"):
        load_segment(path, frozen=False, sha256=info["sha256"])
    path.write_bytes(bytes(data[: len(data) // 2]))
    with pytest.raises(StoreError, match="truncated"):
        load_segment(path, frozen=False)
    with pytest.raises(StoreError, match="missing"):
        load_segment(tmp_path / "nope.safetensors", frozen=False)
    (tmp_path / "junk.safetensors").write_bytes(b"\x05\x00\x00\x00\x00\x00\x00\x00{}xyz")
    with pytest.raises(StoreError):
        load_segment(tmp_path / "junk.safetensors", frozen=False)


def test_failed_write_leaves_old_file_and_no_temp(tmp_path, monkeypatch):
    import peer_store.files as files

    layer = tiny_layer()
    path = tmp_path / "seg.safetensors"
    info = save_segment(layer.memory.segments[0], path)

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(files, "save_file", boom)
    with pytest.raises(OSError):
        save_segment(layer.memory.segments[0], path)
    assert [p.name for p in tmp_path.iterdir()] == ["seg.safetensors"]
    assert load_segment(path, frozen=False, sha256=info["sha256"]).n_keys == 6


def test_gradient_accumulation_equals_one_big_batch():
    x = torch.randn(40, 16)
    results = []
    for micro in (1, 2):
        layer = tiny_layer(seed=4)
        opt = make_optimizer(layer, lr=1e-2)
        for part in x.chunk(micro):
            layer(part).pow(2).sum().backward()  # sparse grads accumulate by concatenation
        opt.step()
        results.append(layer.state_dict())
    for name, value in results[0].items():
        if isinstance(value, torch.Tensor):
            torch.testing.assert_close(results[1][name], value, atol=1e-6, rtol=1e-5, msg=name)


def test_segment_limits_equal_searching_a_memory_of_the_first_segments():
    """A query limited to the first s segments gets exactly what a memory holding only those would give it,
    scores (and their gradients) included; the layer applies one limit per token to all its heads."""
    layer = tiny_layer(n_keys=4)
    layer.memory.grow(5)
    layer.memory.grow(3)
    memory = layer.memory
    q = torch.randn(9, memory.d_key, requires_grad=True)
    limits = torch.tensor([1, 2, 3, 3, 1, 2, 2, 1, 3])
    scores, ids = memory.search(q, 4, segments=limits)
    every = list(memory.segments)
    for s in (1, 2, 3):
        rows = (limits == s).nonzero().flatten()
        memory.segments = torch.nn.ModuleList(every[:s])
        want_scores, want_ids = memory.search(q[rows], 4)
        memory.segments = torch.nn.ModuleList(every)
        assert torch.equal(ids[rows], want_ids)
        torch.testing.assert_close(scores[rows], want_scores, atol=1e-6, rtol=1e-5)  # matmuls of other widths round apart
        assert int(ids[rows].max()) < sum(seg.num_experts for seg in every[:s])
    x = torch.randn(3, 5, 16)
    per_token = torch.tensor([[1, 2, 3, 1, 3]] * 3)
    y, routing = layer.forward_with_routing(x, per_token)
    first = layer.memory.segments[0].num_experts
    assert (routing.ids.view(3, 5, -1)[per_token == 1] < first).all()  # every head of a limited token
    memory.segments = torch.nn.ModuleList(every[:1])
    assert torch.allclose(y[per_token == 1], layer(x)[per_token == 1], atol=1e-6)


def test_bad_segment_limits_are_refused():
    layer = tiny_layer(n_keys=2)  # 4 experts in the first segment, top_k 4
    layer.memory.grow(3)
    q = torch.randn(4, layer.memory.d_key)
    for bad, what in [(torch.tensor([1, 2, 0, 1]), "in 1..2"), (torch.tensor([1, 3, 1, 1]), "in 1..2"),
                      (torch.tensor([1, 2]), r"\[4\]"), (torch.tensor([1.0, 2, 1, 1]), "integers")]:
        with pytest.raises(ConfigError, match=what):
            layer.memory.search(q, 4, segments=bad)
    with pytest.raises(ConfigError, match="experts of the first 1 shell"):
        layer.memory.search(q, 5, segments=torch.tensor([1, 2, 2, 2]))
    scores, ids = layer.memory.search(q[:0], 4, segments=torch.ones(0, dtype=torch.long))  # an empty batch
    assert scores.shape == ids.shape == (0, 4)
    with pytest.raises(ShapeError, match="leading shape"):
        layer.forward_with_routing(torch.randn(2, 3, 16), torch.ones(2, 2, dtype=torch.long))
