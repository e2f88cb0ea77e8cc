"""PEERLayer dropped into a model nobody here wrote: Hugging Face GPT-2 (random init, nothing
downloaded) with one block's MLP replaced, built and trained by ``examples/gpt2_peer.py``."""

import pytest
import torch
from torch import Tensor, nn

pytest.importorskip("transformers", reason="the drop-in GPT-2 tests need transformers (in the dev extra)")

from examples.gpt2_peer import gpt2_with_peer, heldout_loss, stdlib_source, train  # noqa: E402
from peer_store import PEERConfig, PEERLayer  # noqa: E402

SEQ = 32


class RecordRouting(nn.Module):
    """Stands in for the PEER MLP: the layer's output, and the ids every forward retrieved."""

    def __init__(self, layer: PEERLayer):
        super().__init__()
        self.layer = layer
        self.ids: list[Tensor] = []

    def forward(self, x: Tensor) -> Tensor:
        y, routing = self.layer.forward_with_routing(x)  # routing.ids [T, h, k]
        self.ids.append(routing.ids.flatten())
        return y


def logits_after_future_change(model: nn.Module, t: int, seed: int = 0) -> tuple[Tensor, Tensor]:
    """Logits ``[4, SEQ, 256]`` for random byte windows and for the same windows with every
    token after position ``t`` redrawn."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randint(0, 256, (4, SEQ), generator=g)
    changed = x.clone()
    changed[:, t + 1 :] = torch.randint(0, 256, (4, SEQ - t - 1), generator=g)
    with torch.no_grad():
        return model(input_ids=x).logits, model(input_ids=changed).logits


def expert_rows(layer: PEERLayer) -> Tensor:
    """Every expert's down and up vector, by global id: ``[N, 2 * d_model]``."""
    return torch.cat([torch.cat([down, up], 1) for _, down, up in layer.memory.tables()]).detach().clone()


@pytest.mark.slow
def test_gpt2_with_a_peer_mlp_learns_real_text_touching_only_retrieved_rows_and_stays_causal():
    torch.manual_seed(0)
    train_data, heldout = stdlib_source(100_000, 4096)
    # 16,384 experts: a few dozen steps retrieve only part of them, so "untouched" is checked.
    model = gpt2_with_peer(PEERConfig(d_model=64, n_heads=4, top_k=8, n_keys=128))  # query_norm: the default
    layer = model.transformer.h[1].mlp
    record = model.transformer.h[1].mlp = RecordRouting(layer)
    before = expert_rows(layer)  # [N, 2d]
    start = heldout_loss(model, heldout, SEQ)
    record.ids.clear()  # only what training retrieved counts

    train(model, train_data, steps=30, batch=8, seq=SEQ, lr=3e-3)

    retrieved = torch.zeros(layer.memory.num_experts, dtype=torch.bool)
    retrieved[torch.cat(record.ids)] = True  # [N]
    changed = (expert_rows(layer) != before).any(1)  # [N]
    assert 0 < retrieved.sum() < retrieved.numel()  # some rows were never retrieved: something to check
    assert not changed[~retrieved].any()  # unretrieved rows bit-identical
    assert changed[retrieved].float().mean() > 0.9  # and the retrieved ones did train

    end = heldout_loss(model, heldout, SEQ)
    assert start > 5.0  # about log(256): a random model
    assert end < start - 1.5, (start, end)  # other files of the standard library, never trained on

    t = 19
    a, b = logits_after_future_change(model.train(), t)
    torch.testing.assert_close(a[:, : t + 1], b[:, : t + 1], rtol=0, atol=1e-5)
    assert (a[:, t + 1 :] - b[:, t + 1 :]).abs().max() > 1e-3  # the change does reach later logits


def test_gpt2_with_a_batch_norm_peer_mlp_sees_the_future_in_training():
    """The causality check above can see a leak: the paper's query batch norm, opted into."""
    torch.manual_seed(0)
    model = gpt2_with_peer(PEERConfig(d_model=64, n_heads=4, top_k=8, n_keys=16, query_norm="batch"))
    t = 19
    a, b = logits_after_future_change(model.train(), t)
    assert (a[:, : t + 1] - b[:, : t + 1]).abs().max() > 1e-3
