"""A pretrained Hugging Face causal LM as a store's base: loading, memories that start as nothing, the store's
round trip, the lora method. Tiny random models of each family are saved with save_pretrained; nothing downloads."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from continual.bases.load import load_base
from continual.ingest import create_store, ingest
from continual.methods import NewCorpus
from continual.methods.lora import Lora
from continual.routed import RoutedModel
from continual.versions import load_version
from peer_store.errors import ConfigError
from tests.conftest import tiny_continual_config
from tests.helpers.hf import FAMILIES, IDS, save_tiny_base


@pytest.fixture(scope="module")
def bases(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("bases")
    return {f: save_tiny_base(root / f, f) for f in FAMILIES}


def base_logits(folder: Path, tokens: torch.Tensor) -> torch.Tensor:
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32).eval()
    with torch.no_grad():
        return model(tokens).logits


@pytest.mark.parametrize("family", FAMILIES)
def test_version_one_equals_the_base_through_the_store(bases, tmp_path, family):
    base = load_base(str(bases[family]), memory_blocks=[0, 2])
    assert [b for b, _ in base.model.memory_layers()] == [0, 2]
    store, _ = create_store(tmp_path / "s", config=tiny_continual_config(method="finetune"), base_model=base)
    with store:
        loaded = load_version(store, 1)
        assert store.config["base"]["name"] == str(bases[family])
        assert set(store.config["base"]["weights"]) == {"model.safetensors"}
    tokens = torch.randint(0, IDS, (2, 12))
    with torch.no_grad():
        ours = loaded.model.eval()(tokens).logits
    assert (ours - base_logits(bases[family], tokens)).abs().max().item() < 1e-5
    # the memories are live: output vectors away from zero change the logits
    for _, layer in loaded.model.lm.memory_layers():
        layer.memory.segments[0].up.weight.data.normal_()
    with torch.no_grad():
        assert (loaded.model(tokens).logits - ours).abs().max().item() > 1e-3


def test_the_tokenizer_is_the_bases(bases):
    base = load_base(str(bases["gpt2"]))
    ids = base.tokenizer.encode(b"def f(x):\n    return x + 1\n")
    assert base.tokenizer.decode(ids) == b"def f(x):\n    return x + 1\n"
    assert base.tokenizer.vocab_size == base.model.config.vocab_size > IDS
    # bits per byte count every byte of text once: a token's bytes are the bytes it decodes to
    sizes = base.tokenizer.token_bytes()
    assert sizes[torch.from_numpy(ids)].sum().item() == len(b"def f(x):\n    return x + 1\n")


def test_bad_bases_are_one_line(bases, tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(ConfigError, match="not a Hugging Face model folder"):
        load_base(str(tmp_path / "empty"))
    with pytest.raises(ConfigError, match=r"--memory-blocks must be block indices in \[0, 2\]"):
        load_base(str(bases["llama"]), memory_blocks=[3])
    small = save_tiny_base(tmp_path / "small", "gpt2", vocab=100)  # the tokenizer has more ids than the embedding
    with pytest.raises(ConfigError, match="do not belong together"):
        load_base(str(small))
    from transformers import OPTConfig, OPTForCausalLM

    OPTForCausalLM(OPTConfig(vocab_size=IDS, hidden_size=16, num_hidden_layers=1, ffn_dim=32, num_attention_heads=2,
                             max_position_embeddings=32, word_embed_proj_dim=16)).save_pretrained(tmp_path / "opt")
    with pytest.raises(ConfigError, match="unsupported architecture 'opt'; supported model types: gpt2, llama"):
        load_base(str(tmp_path / "opt"))
    with pytest.raises(ConfigError, match="needs --eval-corpus"):
        create_store(tmp_path / "routed", config=tiny_continual_config(), base_model=load_base(str(bases["gpt2"])))
    assert not (tmp_path / "routed").exists()


@pytest.mark.slow
@pytest.mark.parametrize("family", FAMILIES)
def test_routed_tokens_sent_home_compute_the_base(bases, tmp_path, text_corpora, family):
    """A routed ingest grows a memory segment and deltas on every projection (Linear or Conv1D); a token routed
    to the base's route meets none of them: its logits are the base's."""
    base = load_base(str(bases[family]), memory_blocks=[1])
    config = tiny_continual_config(method="routed", method_options={"rank": 4, "profile_windows": 8})
    store, _ = create_store(tmp_path / "s", config=config, base_model=base, eval_corpus=text_corpora["more"])
    with store:
        ingest(store, text_corpora["code"], steps=3)
        first, second = load_version(store, 1).model.eval(), load_version(store, 2).model.eval()
        assert store.detail(2).checkpoint == store.detail(1).checkpoint  # the base's weights are kept once
    deltas = second.route_deltas(1)
    assert len(deltas.shapes()) == {"gpt2": 4, "llama": 7, "gpt_neox": 4}[family] * 3
    tokens = torch.randint(0, IDS, (2, 12))
    home, new = torch.zeros_like(tokens), torch.ones_like(tokens)
    with torch.no_grad():
        base_logits_ = first(tokens).logits
        assert (second(tokens, route=home).logits - base_logits_).abs().max().item() < 1e-5
        assert (second(tokens, route=new).logits - base_logits_).abs().max().item() > 1e-4


@pytest.mark.parametrize("family", ["gpt2", "llama"])
def test_lora_trains_adapters_on_every_projection_and_merges_them(bases, family):
    base = load_base(str(bases[family]), memory_blocks=[])
    model = RoutedModel(base.model)
    before = {k: v.clone() for k, v in model.lm.state_dict().items()}
    method = Lora(rank=2)
    method.prepare(model, NewCorpus("c", None, base.tokenizer, None, 1, first=False))
    trainable = [n for n, p in model.named_parameters() if p.requires_grad]
    assert trainable and all("lora_" in n for n in trainable)
    adapted = {n.split(".lora_")[0] for n in trainable}
    assert len(adapted) == {"gpt2": 4, "llama": 7}[family] * 3  # every attention and MLP projection, 3 blocks
    tokens = torch.randint(0, IDS, (2, 8))
    opt = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.5)
    for _ in range(3):
        loss = torch.nn.functional.cross_entropy(model(tokens[:, :-1]).logits.flatten(0, 1), tokens[:, 1:].flatten())
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        trained = model.eval()(tokens).logits
    method.settle(model)
    assert set(model.lm.state_dict()) == set(before)  # plain layers again, the base's weight names
    with torch.no_grad():
        assert (model(tokens).logits - trained).abs().max().item() < 1e-4  # merged: the same function
    assert any(not torch.equal(before[k], v) for k, v in model.lm.state_dict().items())
    assert all(p.requires_grad for p in model.parameters())


@pytest.mark.slow
def test_lora_on_the_built_in_model(text_corpora, tmp_path):
    store, _ = create_store(tmp_path / "s", config=tiny_continual_config(method="lora"),
                            base_corpus=text_corpora["code"], steps=2)
    with store:
        first = load_version(store, 1).model.lm.state_dict()
        ingest(store, text_corpora["prose"], steps=2)
        second = load_version(store, 2).model.lm.state_dict()
    assert set(first) == set(second)
    moved = [k for k, t in first.items() if isinstance(t, torch.Tensor) and not torch.equal(t, second[k])]
    assert moved and all(".attn." in k or ".ffn.w_" in k for k in moved)  # only the adapted projections changed
