"""``lora``: PEFT's LoRA on every attention and MLP projection, trained corpus after corpus with no routing.

What a user of a pretrained model tries first, and what memory-layer papers compare
against. Before every corpus but a built-in store's first (which has no trained
weights to adapt), every weight freezes and PEFT injects rank-``rank`` adapters
(scale ``alpha / rank``) into the modules ``model.lm.adapted_modules()`` names: the
attention and MLP projections, whatever their type (Linear, GPT-2's Conv1D). After
the corpus, :meth:`Lora.settle` merges them into their layers and puts the plain
layers back, so a version is a plain model (the next corpus gets fresh adapters,
and a version on a Hugging Face base exports as a standard folder).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

from continual.methods.base import Method, MethodOptions, NewCorpus
from continual.routed import RoutedModel
from peer_store.errors import ConfigError


@dataclass(frozen=True)
class LoraOptions(MethodOptions):
    rank: int = 8
    """Rank of the adapters."""
    alpha: float = 16.0
    """LoRA's alpha: the adapters' output is scaled by alpha / rank."""

    def check(self) -> None:
        if self.rank < 1:
            raise ConfigError(f"method option rank (of the LoRA adapters) must be at least 1, got {self.rank}")
        if self.alpha <= 0:
            raise ConfigError(f"method option alpha must be positive, got {self.alpha}")


class Lora(Method):
    """Adapters on every projection, trained alone and merged after each corpus."""

    name, grows, routes = "lora", False, False
    options_type = LoraOptions

    def prepare(self, model: RoutedModel, new: NewCorpus) -> None:
        if new.first:
            return
        from peft import LoraConfig, inject_adapter_in_model

        model.requires_grad_(False)
        config = LoraConfig(r=self.options.rank, lora_alpha=self.options.alpha,
                            target_modules=model.lm.adapted_modules(), lora_dropout=0.0)
        with warnings.catch_warnings():  # GPT-2's Conv1D: PEFT sets fan_in_fan_out itself, and says so
            warnings.filterwarnings("ignore", message=".*fan_in_fan_out.*")
            inject_adapter_in_model(config, model.lm)
        for name, p in model.named_parameters():
            p.requires_grad_("lora_" in name)

    def settle(self, model: RoutedModel) -> None:
        """Merge every adapter into its layer and put the plain layer back; everything is trainable again."""
        from peft.tuners.lora import LoraLayer

        modules = dict(model.lm.named_modules())
        for name, module in modules.items():
            if isinstance(module, LoraLayer):
                module.merge()
                parent, _, child = name.rpartition(".")
                setattr(modules[parent] if parent else model.lm, child, module.get_base_layer())
        model.requires_grad_(True)

    def describe(self, model: RoutedModel) -> str:
        return (f"LoRA adapters of rank {self.options.rank} on every attention and MLP projection; only they train, "
                "merged into the weights afterwards")
