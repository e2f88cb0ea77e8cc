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

import re

import torch
from torch import Tensor, nn

from continual.bases.hf_config import DEFAULT_PEER, FAMILIES, SUPPORTED, Family, HFBaseConfig, default_memory_blocks
from peer_store import PEERConfig, PEERLayer
from trainer.model import LMOutput


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
