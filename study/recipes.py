"""The study's recipes: a model at matched active parameters per token, and what happens before each corpus.

Product methods (:data:`continual.methods.METHODS`) run as they run in ``peer ingest``: every
registered method is the recipe ``peer-<name>`` with its default options, and :data:`METHOD_VARIANTS`
names other options of them (``peer-grow`` is ``grow`` with the backbone frozen too,
``peer-grow-routed`` is ``routed``).

Baselines that are not product methods: sparse memory fine-tuning
(:mod:`study.sparse_finetune`), Switch growth (:mod:`study.switch_grow`), hierarchical
MoE growth (:mod:`study.hmoe_grow`), joint training (the upper bound), and the other
FFN kinds fine-tuned.

Matched active parameters: the base model is ``config.model`` (PEER in its
sparse blocks). Every other recipe keeps the same backbone and dense blocks and
replaces only the sparse blocks' FFN by one whose parameters per token equal
PEER's (:func:`trainer.ffn.active_ffn_params`): a dense MLP of
``matched_dense_width``, or experts whose hidden width is solved for.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import torch

from continual.config import ContinualConfig
from continual.methods import METHODS, make_method
from continual.routed import RoutedModel
from peer_store.errors import ConfigError
from study.hmoe_grow import GrowHMoE
from study.policies import Joint, MethodStages, StagePolicy
from study.sparse_finetune import SparseMemoryFinetune
from study.switch_grow import GrowSwitch
from trainer.config import ModelConfig
from trainer.ffn import DenseFFN, active_ffn_params, matched_dense_width
from trainer.model import LanguageModel

# -- models at matched active parameters ---------------------------------------------------------
def sparse_active_params(config: ModelConfig, *, group_size: int) -> int:
    """Parameters one token uses in one sparse block of ``config``."""
    return active_ffn_params(config, group_size=group_size)


def matched_expert_width(base: ModelConfig, kind: str, *, group_size: int) -> int:
    """Hidden width of ``kind``'s experts that gives ``base``'s sparse-block parameters per token."""
    target = sparse_active_params(base, group_size=group_size)

    def active(width: int) -> int:
        return active_ffn_params(dataclasses.replace(base, ffn=kind, moe=dataclasses.replace(base.moe, d_expert=width)),
                                 group_size=group_size)

    slope = active(2) - active(1)  # active parameters are affine in the expert width
    return max(1, round((target - (active(1) - slope)) / slope))


def peer_model(config: ContinualConfig) -> LanguageModel:
    return LanguageModel(config.model)


def dense_model(config: ContinualConfig) -> LanguageModel:
    """The PEER model's backbone with a dense MLP of matched width in each sparse block."""
    base = config.model
    width = matched_dense_width(base)
    model = LanguageModel(dataclasses.replace(base, ffn="dense"))
    std = base.init_std
    for i, block in enumerate(model.blocks):
        if base.is_sparse(i):
            block.ffn = DenseFFN(base.d_model, width, dropout=base.dropout)
            torch.nn.init.normal_(block.ffn.w_in.weight, 0.0, std)  # as LanguageModel inits dense FFNs
            torch.nn.init.normal_(block.ffn.w_out.weight, 0.0, std / (2 * base.n_layers) ** 0.5)
    return model


def moe_model(kind: str) -> Callable[[ContinualConfig], LanguageModel]:
    def build(config: ContinualConfig) -> LanguageModel:
        width = matched_expert_width(config.model, kind, group_size=config.batch_size)
        moe = dataclasses.replace(config.model.moe, d_expert=width)
        return LanguageModel(dataclasses.replace(config.model, ffn=kind, moe=moe))

    build.__name__ = f"{kind}_model"
    return build


def parameter_counts(model: RoutedModel, base: ModelConfig, *, group_size: int) -> tuple[int, int]:
    """(total parameters, parameters one token uses): the sparse blocks count their active share, and a routed
    version's deltas count nothing (a token takes one version's, merged into the weights it uses)."""
    total = sum(p.numel() for p in model.parameters())
    active = total - sum(p.numel() for p in model.deltas.parameters())
    for i, block in enumerate(model.lm.blocks):
        if not base.is_sparse(i) or isinstance(block.ffn, DenseFFN):
            continue
        active -= sum(p.numel() for p in block.ffn.parameters())
        active += type(block.ffn).active_params(model.lm.config, group_size=group_size)
    return total, active


@dataclass(frozen=True)
class Recipe:
    name: str
    description: str
    build: Callable[[ContinualConfig], LanguageModel]
    policy: Callable[[], StagePolicy]
    """A factory: every run gets a fresh policy (and method)."""
    default: bool = True
    """Whether ``peer compare`` runs it without ``--methods`` (a recipe can stay runnable on request but out of
    the default run, to keep that run short)."""


METHOD_VARIANTS: dict[str, tuple[str, dict, str]] = {
    "peer-grow": ("grow", {"freeze": "experts+backbone"}, "PEER; per corpus: freeze old segments, grow a "
                  "k-means-keyed segment; backbone frozen after the first corpus (the product's 'grow', "
                  "--method-option freeze=experts+backbone)"),
    "peer-grow-trainable": ("grow", {"freeze": "experts"}, "PEER; per corpus: freeze old segments, grow a "
                            "k-means-keyed segment; backbone trainable (the product's 'grow')"),
    "peer-grow-routed": ("routed", {"rank": 128}, "as peer-grow, and per corpus rank-128 deltas of every attention "
                         "projection, the LM head and the embedding; each token is routed to the corpus whose stored "
                         "n-gram profile (hashed trigram counts) best explains the window so far, and takes that "
                         "corpus's deltas and PEER segments only (the product's 'routed'); a corpus whose held-out text "
                         "an earlier route's profile predicts almost as well as its own continues that route (deltas "
                         "from the route's, its earlier corpora rehearsed, profiles merged)"),
    "peer-grow-routed-isolated": ("routed", {"rank": 128, "merge": False}, "as peer-grow-routed, but every corpus "
                                  "gets a new route (the product's 'routed' before routes merged)"),
    "peer-finetune": ("finetune", {}, "PEER; one memory, everything trainable, no growth (the product's 'finetune')"),
}
"""Recipes of product methods by name: ``(method, options, description)``."""

NOT_DEFAULT = {"peer-grow-routed-isolated"}
"""Variants ``peer compare`` runs only when named (kept to measure what a later option replaced)."""


def method_stages(method: str, options: dict | None = None) -> Callable[[], StagePolicy]:
    """A policy factory running the product method ``method`` with ``options``: a fresh method per run."""
    return lambda: MethodStages(make_method(method, options))


def method_recipes() -> list[Recipe]:
    """A recipe per variant of :data:`METHOD_VARIANTS`, and ``peer-<name>`` for every registered method that no
    variant runs, with its default options."""
    variants = dict(METHOD_VARIANTS)
    covered = {method for method, _, _ in variants.values()}
    for name, entry in METHODS.items():
        if name not in covered:
            variants[f"peer-{name}"] = (name, {}, f"PEER; the product's {name!r}: {entry.summary}")
    return [Recipe(recipe, description, peer_model, method_stages(method, options), recipe not in NOT_DEFAULT)
            for recipe, (method, options, description) in variants.items()]


RECIPES: dict[str, Recipe] = {
    r.name: r
    for r in [
        *method_recipes(),
        Recipe("peer-sparse", "PEER; one memory, no growth; after the first corpus only the quarter of expert rows "
               "with the best TF-IDF on the new corpus train (sparse memory fine-tuning)", peer_model,
               SparseMemoryFinetune),
        Recipe("dense-finetune", "dense MLP of matched width in the sparse blocks, fine-tuned (the reference)",
               dense_model, method_stages("finetune")),
        Recipe("switch-finetune", "Switch (top-1) of matched expert width, fine-tuned", moe_model("switch"),
               method_stages("finetune")),
        Recipe("switch-grow", "Switch of matched expert width; per corpus: freeze old experts and router rows, add as "
               "many as it started with (k-means router rows); backbone frozen after the first corpus (Lifelong-MoE)",
               moe_model("switch"), GrowSwitch),
        Recipe("topk", "noisy top-k MoE of matched expert width, fine-tuned", moe_model("topk"),
               method_stages("finetune")),
        Recipe("hmoe", "hierarchical MoE (Shazeer 2017: noisy top-k over groups, then inside each chosen group) of "
               "matched expert width, fine-tuned", moe_model("hmoe"), method_stages("finetune")),
        Recipe("hmoe-grow", "hierarchical MoE of matched expert width; per corpus: freeze old groups (experts, gate "
               "and noise rows), add as many groups as it started with (k-means primary gate rows); backbone frozen "
               "after the first corpus", moe_model("hmoe"), GrowHMoE),
        Recipe("soft", "Soft MoE of matched per-token parameters, fine-tuned", moe_model("soft"),
               method_stages("finetune")),
        Recipe("joint", "PEER; each stage trains on a mix of every corpus so far (upper bound)", peer_model, Joint),
    ]
}
"""Every method ``peer compare`` knows, by name."""

DEFAULT_METHODS = [name for name, r in RECIPES.items() if r.default]
"""What ``peer compare`` runs without ``--methods``."""


def recipe(name: str) -> Recipe:
    try:
        return RECIPES[name]
    except KeyError:
        raise ConfigError(f"unknown method {name!r}; choose from {', '.join(RECIPES)}") from None


__all__ = [
    "DEFAULT_METHODS", "METHOD_VARIANTS", "RECIPES", "Recipe", "dense_model", "matched_expert_width", "moe_model", "parameter_counts",
    "method_stages", "peer_model", "recipe",
]
