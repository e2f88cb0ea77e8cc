"""A pretrained Hugging Face causal LM with PEER memories beside the MLPs of chosen blocks.

For every block ``b`` in ``memory_blocks`` the block's MLP output gains a residual
branch over the same input (the block's normed hidden state ``x``)::

    mlp'_b(x) = mlp_b(x) + PEER_b(x)

The memory's expert output vectors ``v`` start at zero, so a fresh memory adds
exactly nothing and the model computes the base model (version 1 of a store equals
its base; the tests hold logits within 1e-5). Training moves ``v`` away from zero
through the sparse expert optimizer like any other PEER memory. The branch is a
forward hook on the MLP module (registered for each call), so the base's own module tree and weight names are
untouched: a version's weights are the base's names plus ``memories.<block>.…``,
and a version without memories exports as a plain Hugging Face folder.

Supported families (``model_type`` of the config): ``gpt2``, ``llama`` (and the
Llama-style ``qwen2``, ``mistral``; SmolLM and TinyLlama configs are ``llama``) and
``gpt_neox`` (Pythia). Their blocks and MLPs are found by :data:`FAMILIES`.
"""

from __future__ import annotations

import copy
import re
from dataclasses import asdict, dataclass, field
from typing import Any

import torch
from torch import Tensor, nn

from peer_store import PEERConfig, PEERLayer
from peer_store.errors import ConfigError
from trainer.model import LMOutput


@dataclass(frozen=True)
class Family:
    """Where a family's blocks are (each block's MLP is its ``mlp`` attribute) and what its attention and MLP
    projections are called (the modules LoRA adapts, whatever their type: Linear, GPT-2's Conv1D)."""

    blocks: str
    projections: tuple[str, ...]

    def projection_pattern(self) -> str:
        """A regular expression over module names (PEFT's ``target_modules``) matching every projection."""
        return rf"{self.blocks.replace('.', chr(92) + '.')}\.\d+\..*\.({'|'.join(self.projections)})"


_LLAMA = Family("model.layers", ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"))
FAMILIES: dict[str, Family] = {
    "gpt2": Family("transformer.h", ("c_attn", "c_proj", "c_fc")),
    "llama": _LLAMA,
    "qwen2": _LLAMA,
    "mistral": _LLAMA,
    "gpt_neox": Family("gpt_neox.layers", ("query_key_value", "dense", "dense_h_to_4h", "dense_4h_to_h")),
}
"""The supported families by ``model_type``."""

SUPPORTED = "gpt2, llama (also qwen2 and mistral configs: SmolLM, TinyLlama, Qwen2), gpt_neox (Pythia)"

DEFAULT_PEER: dict[str, Any] = dict(n_heads=4, top_k=16, n_keys=16, d_key=None)
"""The memory shape unless ``peer init --config`` says otherwise: 4 heads x top-16 of 16^2 experts per block
(the built-in store's shape; d_key: the model's width)."""


def _hf_width(hf: dict[str, Any]) -> int:
    return int(hf.get("hidden_size") or hf["n_embd"])


def default_memory_blocks(n_layers: int) -> list[int]:
    """The middle block (the retrofits' choice of middle layers, one memory to start)."""
    return [n_layers // 2]


@dataclass
class HFBaseConfig:
    """The model of a store whose base is a Hugging Face causal LM: its transformers config and its memories."""

    hf: dict[str, Any]
    """The base's ``config.json`` (``PretrainedConfig.to_dict()``)."""
    memory_blocks: list[int] = field(default_factory=list)
    """Blocks whose MLP gets a PEER memory beside it."""
    peer: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_PEER))
    """The memories' :class:`PEERConfig` fields but ``d_model`` (the base's width)."""
    kind: str = "hf"

    def __post_init__(self) -> None:
        model_type = self.hf.get("model_type")
        if model_type not in FAMILIES:
            raise ConfigError(f"unsupported architecture {model_type!r}; supported model types: {SUPPORTED}")
        n = self.n_layers
        if not isinstance(self.memory_blocks, list) or any(
                not isinstance(b, int) or isinstance(b, bool) or not 0 <= b < n for b in self.memory_blocks):
            raise ConfigError(f"--memory-blocks must be block indices in [0, {n - 1}] (the base has {n} blocks), "
                              f"got {self.memory_blocks!r}")
        if len(set(self.memory_blocks)) != len(self.memory_blocks):
            raise ConfigError(f"--memory-blocks names a block twice: {self.memory_blocks}")
        self.memory_blocks = sorted(self.memory_blocks)
        self.peer_config()  # a bad memory shape is refused now, not when the model is built

    @property
    def model_type(self) -> str:
        return self.hf["model_type"]

    @property
    def n_layers(self) -> int:
        return int(self.hf.get("num_hidden_layers") or self.hf["n_layer"])

    @property
    def d_model(self) -> int:
        return _hf_width(self.hf)

    @property
    def vocab_size(self) -> int:
        return int(self.hf["vocab_size"])

    @property
    def max_seq_len(self) -> int:
        return int(self.hf.get("max_position_embeddings") or self.hf["n_positions"])

    def peer_config(self) -> PEERConfig:
        return PEERConfig(d_model=self.d_model, **{**self.peer, "d_key": self.peer.get("d_key") or self.d_model})

    def transformers_config(self):
        from transformers import AutoConfig

        data = copy.deepcopy(self.hf)
        return AutoConfig.for_model(data.pop("model_type"), **data)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HFBaseConfig:
        data = {k: v for k, v in data.items() if k != "kind"}
        try:
            return cls(**data)
        except TypeError as error:
            raise ConfigError(f"bad Hugging Face base config: {error}") from None


def blocks_of(model: nn.Module, model_type: str) -> nn.ModuleList:
    """The transformer blocks of a causal LM of ``model_type``."""
    blocks = model
    for part in FAMILIES[model_type].blocks.split("."):
        blocks = getattr(blocks, part)
    return blocks


def zero_memory(config: PEERConfig) -> PEERLayer:
    """A PEER layer whose experts' output vectors are zero: it adds nothing until it is trained."""
    layer = PEERLayer(config)
    with torch.no_grad():
        for segment in layer.memory.segments:
            segment.up.weight.zero_()
    return layer


class AddMemory:
    """The forward hook of an MLP with a memory beside it: ``mlp(x) + memory(x)``, each token retrieving from the
    segments ``segments [B, S]`` allow it (None: every segment)."""

    def __init__(self, memory: PEERLayer, segments: Tensor | None):
        self.memory, self.segments = memory, segments

    def __call__(self, _mlp: nn.Module, args: tuple, out: Tensor) -> Tensor:
        return out + self.memory.forward_with_routing(args[0], self.segments)[0]  # [B, S, d]


class RouteDeltas:
    """The forward hook of a projection ``name`` under a :class:`trainer.model.TokenRouting`: its output plus the
    deltas of each token's route."""

    def __init__(self, routing, name: str):
        self.routing, self.name = routing, name

    def __call__(self, _module: nn.Module, args: tuple, out: Tensor) -> Tensor:
        return self.routing.linear(self.name, args[0], out)  # [B, S, out]


class HFLanguageModel(nn.Module):
    """``tokens [B, S] -> LMOutput``: a Hugging Face causal LM (``hf``) with PEER memories (``memories[str(b)]``)
    beside the MLPs of ``config.memory_blocks``. ``hf`` defaults to a model built from the config (random weights,
    for loading a store's weights into; pass the pretrained model to start from it).

    The memories, and a routed forward pass's deltas, are forward hooks registered for one call and removed after
    it: what a call computes depends only on its arguments, and the base's module tree stays the base's."""

    def __init__(self, config: HFBaseConfig, hf: nn.Module | None = None):
        super().__init__()
        if hf is None:
            from transformers import AutoModelForCausalLM

            hf = AutoModelForCausalLM.from_config(config.transformers_config(), dtype=torch.float32)
        self.config = config
        self.hf = hf
        self.memories = nn.ModuleDict({str(b): zero_memory(config.peer_config()) for b in config.memory_blocks})

    def adapted_modules(self) -> str:
        """PEFT's ``target_modules`` for this model: every attention and MLP projection of the base (the
        memories' query networks are not adapted)."""
        return rf"hf\.{FAMILIES[self.config.model_type].projection_pattern()}"

    def linear_names(self) -> list[str]:
        """The projections a route's deltas correct (:mod:`continual.lora`): every attention and MLP projection."""
        pattern = re.compile(self.adapted_modules())
        return [name for name, _ in self.named_modules() if pattern.fullmatch(name)]

    def memory_layers(self) -> list[tuple[int, PEERLayer]]:
        """``(block, PEERLayer)`` of every memory, by block."""
        return [(int(b), layer) for b, layer in self.memories.items()]

    def memory_inputs(self) -> dict[int, nn.Module]:
        """``{block: module}`` whose input is that block's memory's input (its MLP)."""
        blocks = blocks_of(self.hf, self.config.model_type)
        return {b: blocks[b].mlp for b, _ in self.memory_layers()}

    def _hooks(self, tokens: Tensor, routing) -> list:
        """This call's hooks: the memories beside the MLPs; with ``routing``, its embedding and projection deltas."""
        hooks = [self.memory_inputs()[b].register_forward_hook(
            AddMemory(layer, None if routing is None else routing.segments(b))) for b, layer in self.memory_layers()]
        if routing is not None:
            modules = dict(self.named_modules())
            hooks.append(self.hf.get_input_embeddings().register_forward_hook(
                lambda _m, _args, out: routing.embed(tokens, out)))
            hooks += [modules[name].register_forward_hook(RouteDeltas(routing, name)) for name in self.linear_names()]
        return hooks

    def forward(self, tokens: Tensor, routing=None) -> LMOutput:
        """Logits of ``tokens [B, S]``; ``routing`` (a :class:`trainer.model.TokenRouting`) gives each token its
        route's deltas and memory segments."""
        hooks = self._hooks(tokens, routing)
        try:
            logits = self.hf(input_ids=tokens, use_cache=False).logits  # [B, S, vocab]
        finally:
            for hook in hooks:
                hook.remove()
        return LMOutput(logits=logits, aux_loss=logits.new_zeros(()))


__all__ = [
    "DEFAULT_PEER",
    "FAMILIES",
    "SUPPORTED",
    "AddMemory",
    "Family",
    "HFBaseConfig",
    "HFLanguageModel",
    "RouteDeltas",
    "blocks_of",
    "default_memory_blocks",
    "zero_memory",
]
