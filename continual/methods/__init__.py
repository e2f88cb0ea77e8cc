"""Growth methods: how a new version is made from the current one, the same for ``peer ingest`` and the study.

A method is one class (:class:`~continual.methods.base.Method`): its name, a one-line summary, an options
dataclass and what it does before a corpus is learnt. :data:`METHODS` names each method's class by its
module, so naming methods (``peer init --help``, a config's check) imports no torch; the class is
imported when a method is made. A new method is one module and one line here.

- ``routed`` (the default of new stores): :mod:`continual.methods.routed`.
- ``grow``: :mod:`continual.methods.grow`.
- ``finetune``: :mod:`continual.methods.finetune`, the reference anyone can run.
- ``lora``: :mod:`continual.methods.lora`, PEFT's LoRA corpus after corpus: what a user of a pretrained model
  tries first.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any

from continual.methods.base import Method, MethodOptions, NewCorpus, RouteDecision
from peer_store.errors import ConfigError


@dataclass(frozen=True)
class MethodEntry:
    """A registered method: its name, where its class lives (``module:Class``) and a line on what it does."""

    name: str
    target: str
    summary: str

    def load(self) -> type[Method]:
        module, _, attribute = self.target.partition(":")
        cls = getattr(import_module(module), attribute)
        assert cls.name == self.name, f"{self.target} is registered as {self.name!r} but names itself {cls.name!r}"
        return cls


METHODS: dict[str, MethodEntry] = {entry.name: entry for entry in (
    MethodEntry("routed", "continual.methods.routed:Routed",
                "each token routed to the version that learnt its kind of text; forgets least"),
    MethodEntry("grow", "continual.methods.grow:Grow", "freeze old experts, add new ones; no routing"),
    MethodEntry("finetune", "continual.methods.finetune:Finetune", "train everything: the reference"),
    MethodEntry("lora", "continual.methods.lora:Lora",
                "PEFT LoRA adapters on every attention and MLP projection, merged after each corpus; no routing"),
)}
"""Every growth method by name, in the order ``peer init --help`` lists them."""


def method_class(name: str) -> type[Method]:
    """The class of method ``name``; a ConfigError naming the registered ones for an unknown name."""
    try:
        entry = METHODS[name]
    except (KeyError, TypeError):
        raise ConfigError(f"unknown method {name!r}; choose one of {', '.join(METHODS)}") from None
    return entry.load()


def method_options(name: str, options: dict[str, Any]) -> MethodOptions:
    """Validated options of method ``name`` (what ``options`` leaves out takes its default)."""
    return method_class(name).options_type.from_dict(options, name)


def make_method(name: str, options: dict[str, Any] | None = None) -> Method:
    """A fresh method ``name`` with ``options``: every store and every study run gets its own object."""
    return method_class(name)(**(options or {}))


__all__ = ["METHODS", "Method", "MethodEntry", "MethodOptions", "NewCorpus", "RouteDecision", "make_method",
           "method_class", "method_options"]
