"""The forgetting benchmark: continual-learning recipes side by side on one stream of corpora.

    from study.compare import compare
    result = compare(corpora, ["peer-grow-routed", "dense-finetune"], config, steps=150, seeds=[0])

Every recipe (:mod:`study.recipes`) sees the same corpora in the same order with
the same number of training steps (tokens) per corpus, starts from the same seed,
and after each stage is evaluated on the held-out split of every corpus of the
stream, giving a loss matrix ``L[stage, corpus]`` per method and seed. The
measures of that matrix are :func:`continual.forgetting.loss_measures` (the ones
``peer evaluate forgetting`` reports). In memory: no store, no registry. Product
methods run here exactly as ``peer ingest`` runs them: same method objects, same
:class:`continual.routed.RoutedModel`, same fit, same seeds per stage.

Replay (a fraction of each stage's windows from earlier corpora) wraps any
sequential policy.

Expert usage: for PEER models, the share of each corpus's top-k retrievals that
land in each segment, per PEER layer. Intrusion of corpus ``c`` (learnt at stage
``t``, whose segment is segment ``t`` under growth) is the share of its
retrievals in segments newer than ``t``: old queries reaching new experts.
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import torch

from continual.config import ContinualConfig
from continual.forgetting import loss_measures
from continual.ingest import version_seeds
from continual.routed import RoutedModel
from continual.router import routing_shares
from continual.training import ReplayMix, Say, fit, heldout_loads, heldout_windows, quiet, train_windows
from continual.versions import peer_layers
from peer_store.errors import ConfigError
from study.flops import forward_flops_per_token
from study.policies import Stage
from study.recipes import RECIPES, parameter_counts, recipe
from trainer.data import ByteTokenizer, Corpus, Tokenizer


# -- measuring -----------------------------------------------------------------------------------
Usage = dict[int, list[float]]
"""PEER block index -> share of retrievals landing in each segment (in segment order)."""


def evaluate_with_usage(
    model: RoutedModel, corpus: Corpus, tokenizer: Tokenizer, config: ContinualConfig
) -> tuple[float, Usage]:
    """Held-out loss on ``corpus`` and, for PEER blocks, the share of its retrievals per segment."""
    layers = peer_layers(model.lm)
    loss, loads = heldout_loads(model, [i for i, _ in layers], corpus, tokenizer, config)
    usage: Usage = {}
    for i, layer in layers:  # loads[i]: [N] share of retrievals per expert
        usage[i] = [float(loads[i][o: o + s.num_experts].sum())
                    for o, s in zip(layer.memory.offsets, layer.memory.segments)]
    return loss, usage


def newer_share(usage: Usage, segment: int) -> float:
    """Share of retrievals (mean over PEER blocks) in segments after ``segment``."""
    return sum(sum(shares[segment + 1:]) for shares in usage.values()) / len(usage)


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


@dataclass
class MethodRun:
    """One recipe through the stream, with one seed."""

    method: str
    seed: int
    corpora: list[str]
    loss: list[list[float | None]]
    """``loss[stage][corpus]``: held-out loss after training on stream corpus ``stage``."""
    plasticity: list[float | None]
    forgetting: list[float | None]
    average_forgetting: float | None
    backward_transfer: float | None
    final_loss: list[float | None]
    average_final_loss: float | None
    total_params: int
    active_params: int
    """Parameters one token uses (sparse blocks counted by their active share)."""
    flops_per_token: int
    """Forward FLOPs per token after the last stage (after any growth): :mod:`study.flops`."""
    train_seconds: float
    wall_seconds: float
    train_loss: list[float]
    """Mean training loss of the last tenth of each stage."""
    usage: list[dict[str, Usage]] | None = None
    """PEER only: per stage, per corpus, per PEER block, share of retrievals in each segment."""
    usage_at_growth: list[dict[str, Usage]] | None = None
    """Growing recipes: per stage >= 1, the same right after growth (k-means keys), before training."""
    intrusion: float | None = None
    """Growing recipes: mean over corpora but the last of the share of their retrievals in newer
    segments, after the last stage."""
    intrusion_at_growth: float | None = None
    """Growing recipes: mean over stages >= 1 and earlier corpora of the share of their retrievals in
    the segment just grown, before training on the new corpus."""

    drift_forgetting: float | None = None
    """Growing recipes: average forgetting measured with everything grown after each old corpus switched off
    (newer segments, newer adapters), i.e. what backbone drift alone costs; ``average_forgetting`` minus this
    is what the newer additions cost the old corpora (intrusion). None where routes merged (a route then
    learnt several corpora, and no model "as corpus j saw it" is left to switch to)."""
    routing: list[list[float]] | None = None
    """Routed recipes: ``routing[j][c]``, the share of corpus ``j``'s held-out tokens routed to corpus ``c``
    after the last stage."""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@contextlib.contextmanager
def without_newer(model: RoutedModel, keep: int) -> Iterator[None]:
    """Temporarily drop every PEER segment after the first ``keep`` and every route after the first ``keep``
    (with its deltas): the model as corpus ``keep - 1`` saw it, but for anything trained since."""
    memories = [layer.memory for _, layer in peer_layers(model.lm)]
    saved = [m.segments for m in memories]
    routes, deltas = list(model.routes), dict(model.deltas.items())
    try:
        for m in memories:
            m.segments = torch.nn.ModuleList(list(m.segments)[:keep])
        model.routes = routes[:keep]
        for r in [r for r in deltas if int(r) >= keep]:
            del model.deltas[r]
        yield
    finally:
        for m, segments in zip(memories, saved):
            m.segments = segments
        model.routes = routes
        for r, d in deltas.items():
            model.deltas[r] = d


def run_method(
    method: str,
    corpora: dict[str, Corpus],
    config: ContinualConfig,
    *,
    steps: int,
    replay: float = 0.0,
    say: Say = quiet,
    on_stage: Callable[[int, RoutedModel], None] | None = None,
) -> MethodRun:
    """Train ``method`` through ``corpora`` (in order), ``steps`` steps each, evaluating after every stage.

    ``on_stage(stage, model)`` is called after each stage's evaluation (for tests and probes)."""
    r = recipe(method)
    if steps < 1:
        raise ConfigError(f"--steps must be at least 1, got {steps}")
    if not 0.0 <= replay < 1.0:
        raise ConfigError(f"--replay is the fraction of windows from earlier corpora, in [0, 1); got {replay}")
    if len(corpora) < 2:
        raise ConfigError(f"a forgetting study needs at least two corpora, got {len(corpora)}")
    started = time.perf_counter()
    names, docs = list(corpora), list(corpora.values())
    tokenizer = ByteTokenizer()
    torch.manual_seed(config.seed)
    model = RoutedModel(r.build(config))
    policy = r.policy()
    streams = [train_windows(c, tokenizer, config, seed=version_seeds(config, i + 1)[1]) for i, c in enumerate(docs)]
    loss: list[list[float | None]] = []
    usage: list[dict[str, Usage]] = []
    at_growth: list[dict[str, Usage]] = []
    train_seconds, tails = 0.0, []
    for t, name in enumerate(names):
        stage = Stage(t, names, docs, streams, tokenizer, config)
        torch.manual_seed(version_seeds(config, t + 1)[0])  # new weights and k-means as `peer ingest` seeds them
        policy.prepare(model, stage)
        if policy.grows and t > 0:
            at_growth.append({names[j]: evaluate_with_usage(model, docs[j], tokenizer, config)[1] for j in range(t)})
        windows = policy.windows(stage)
        if replay > 0 and t > 0 and policy.sequential:
            windows = ReplayMix(windows, streams[:t], replay, seed=config.seed + t)
        say(f"  {method} seed {config.seed}: stage {t + 1}/{len(names)} {name}, {steps} steps")
        tic = time.perf_counter()
        losses = fit(model, tokenizer, windows, config, steps)
        train_seconds += time.perf_counter() - tic
        tail = losses[-max(1, len(losses) // 10):]
        tails.append(sum(tail) / len(tail))
        row, shares = [], {}
        for n, corpus in zip(names, docs):
            value, shares[n] = evaluate_with_usage(model, corpus, tokenizer, config)
            row.append(value)
        loss.append(row)
        usage.append(shares)
        say("    held-out " + ", ".join(f"{n} {v:.3f}" for n, v in zip(names, row)))
        if on_stage is not None:
            on_stage(t, model)
    m = loss_measures(loss, list(range(len(names))))
    total, active = parameter_counts(model, config.model, group_size=config.batch_size)  # after any growth
    flops = forward_flops_per_token(model.lm, seq_len=config.seq_len, group_size=config.batch_size)
    is_peer = bool(peer_layers(model.lm))
    intrusion = intrusion_at_growth = drift = None
    unmerged = all(r.profile is None for r in model.routes) or len(model.routes) == len(names)  # route t: corpus t
    if policy.grows and unmerged:
        drifts = []
        for j, corpus in enumerate(docs[:-1]):
            with without_newer(model, j + 1):
                isolated, _ = evaluate_with_usage(model, corpus, tokenizer, config)
            drifts.append(isolated - (m.final_loss[j] - m.forgetting[j]))  # minus the best loss before the last
        drift = _mean(drifts)
    if policy.grows:
        intrusion = _mean([newer_share(usage[-1][n], j) for j, n in enumerate(names[:-1])])
        intrusion_at_growth = _mean([sum(sum(s[t + 1:t + 2]) for s in u.values()) / len(u)
                                     for t, snap in enumerate(at_growth) for u in snap.values()])
    router = model.router()
    routing = None if router is None else [
        routing_shares(router, heldout_windows(corpus, tokenizer, config), config.batch_size) for corpus in docs]
    return MethodRun(
        method=method, seed=config.seed, corpora=names, loss=loss,
        plasticity=m.plasticity, forgetting=m.forgetting, average_forgetting=m.average_forgetting,
        backward_transfer=m.backward_transfer, final_loss=m.final_loss, average_final_loss=m.average_final_loss,
        total_params=total, active_params=active, flops_per_token=flops, train_seconds=train_seconds,
        wall_seconds=time.perf_counter() - started, train_loss=tails,
        usage=usage if is_peer else None, usage_at_growth=at_growth if policy.grows else None,
        intrusion=intrusion, intrusion_at_growth=intrusion_at_growth, drift_forgetting=drift, routing=routing,
    )


# -- the study -----------------------------------------------------------------------------------
@dataclass
class MethodSummary:
    """A method's measures, averaged over seeds."""

    method: str
    description: str
    average_final_loss: float | None
    average_forgetting: float | None
    backward_transfer: float | None
    mean_plasticity: float | None
    """Mean over corpora of the loss right after learning them."""
    total_params: int
    active_params: int
    flops_per_token: int
    """Forward FLOPs per token after the last stage (the first seed's; the same for every seed)."""
    wall_seconds: float
    intrusion: float | None
    intrusion_at_growth: float | None
    drift_forgetting: float | None = None
    """Average forgetting with the newer segments and adapters switched off (backbone drift)."""
    forgetting_vs_dense: float | None = None
    """average forgetting / dense-finetune's (the target: at most 0.2)."""
    worst_new_loss_vs_dense: float | None = None
    """max over corpora of plasticity / dense-finetune's - 1 (the target: at most 0.05)."""
    average_final_loss_std: float | None = None
    """Sample standard deviation over seeds of average_final_loss (None for one seed)."""
    average_forgetting_std: float | None = None
    """The same for average_forgetting."""
    mean_plasticity_std: float | None = None
    """The same for mean_plasticity."""


@dataclass
class CompareResult:
    corpora: list[str]
    methods: list[str]
    seeds: list[int]
    steps: int
    replay: float
    config: dict[str, Any]
    runs: list[MethodRun]
    summary: list[MethodSummary] = field(default_factory=list)
    wall_seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _seed_mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def _seed_std(values: list[float | None]) -> float | None:
    """Sample standard deviation (n - 1) of the values present; None for fewer than two."""
    present = [v for v in values if v is not None]
    if len(present) < 2:
        return None
    mean = sum(present) / len(present)
    return (sum((v - mean) ** 2 for v in present) / (len(present) - 1)) ** 0.5


def summarise(runs: list[MethodRun], methods: list[str]) -> list[MethodSummary]:
    out = []
    for method in methods:
        mine = [r for r in runs if r.method == method]
        plasticity = [_mean([p for p in r.plasticity if p is not None]) for r in mine]  # per seed
        out.append(MethodSummary(
            method=method,
            description=RECIPES[method].description,
            average_final_loss=_seed_mean([r.average_final_loss for r in mine]),
            average_forgetting=_seed_mean([r.average_forgetting for r in mine]),
            backward_transfer=_seed_mean([r.backward_transfer for r in mine]),
            mean_plasticity=_seed_mean(plasticity),
            total_params=mine[0].total_params,
            active_params=mine[0].active_params,
            flops_per_token=mine[0].flops_per_token,
            wall_seconds=sum(r.wall_seconds for r in mine) / len(mine),
            intrusion=_seed_mean([r.intrusion for r in mine]),
            intrusion_at_growth=_seed_mean([r.intrusion_at_growth for r in mine]),
            drift_forgetting=_seed_mean([r.drift_forgetting for r in mine]),
            average_final_loss_std=_seed_std([r.average_final_loss for r in mine]),
            average_forgetting_std=_seed_std([r.average_forgetting for r in mine]),
            mean_plasticity_std=_seed_std(plasticity),
        ))
    dense = next((s for s in out if s.method == "dense-finetune"), None)
    if dense is not None:
        dense_runs = [r for r in runs if r.method == "dense-finetune"]
        for s in out:
            if s.average_forgetting is not None and dense.average_forgetting:
                s.forgetting_vs_dense = s.average_forgetting / dense.average_forgetting
            mine = [r for r in runs if r.method == s.method]
            ratios = []
            for j in range(len(mine[0].corpora)):
                p = _seed_mean([r.plasticity[j] for r in mine])
                d = _seed_mean([r.plasticity[j] for r in dense_runs])
                if p is not None and d:
                    ratios.append(p / d - 1.0)
            s.worst_new_loss_vs_dense = max(ratios) if ratios else None
    return out


def compare(
    corpora: dict[str, Corpus],
    methods: list[str],
    config: ContinualConfig,
    *,
    steps: int,
    seeds: list[int],
    replay: float = 0.0,
    say: Say = quiet,
) -> CompareResult:
    """Every method through ``corpora`` with every seed; the runs and their per-method summary."""
    if not methods:
        raise ConfigError(f"no methods given; choose from {', '.join(RECIPES)}")
    for m in methods:
        recipe(m)
    if len(set(methods)) != len(methods):
        raise ConfigError(f"a method is listed twice in {methods}; list each once")
    if not seeds:
        raise ConfigError("no seeds given; pass at least one, e.g. --seeds 0")
    started = time.perf_counter()
    runs = []
    for seed in seeds:
        seeded = dataclasses.replace(config, seed=seed)
        for m in methods:
            say(f"{m} (seed {seed})")
            runs.append(run_method(m, corpora, seeded, steps=steps, replay=replay, say=say))
    return CompareResult(
        corpora=list(corpora), methods=list(methods), seeds=list(seeds), steps=steps, replay=replay,
        config=config.to_dict(), runs=runs, summary=summarise(runs, list(methods)),
        wall_seconds=time.perf_counter() - started,
    )


__all__ = [
    "CompareResult", "MethodRun", "MethodSummary", "compare", "evaluate_with_usage", "newer_share", "run_method",
    "summarise", "without_newer",
]
