"""The continual-learning procedures behind ``peer``: init, ingest, rollback.

Each is a straight line: setup -> fit -> evaluate -> commit.

    from peer_store.db import Store
    from continual import create_store, ingest

    create_store("my-store", base_corpus="python/")                 # version 1
    with Store.open("my-store") as store:
        result = ingest(store, "shakespeare.md", steps=300)          # version 2

An ingest takes the store's lock first (a second ingest is refused at once),
reads the corpus once into memory and checks it (nothing is written for bad
input), then begins a version (status ``training``, parent: the current
version), loads the parent's model once (frozen segments memory-mapped), lets
the store's method prepare it (:mod:`continual.methods`: for ``routed``, freeze
everything, grow a k-means-keyed segment per PEER layer, add low-rank deltas
and the corpus's n-gram profile as a new route), trains, evaluates held-out
loss on every registered corpus through the store's routing, writes only the
new files (segments, backbone, profile, deltas, corpus snapshot) atomically
under content addresses, and marks the version ready in one transaction.
Anything that fails or is killed before that leaves the parent current and
the attempt failed (a killed process's version is marked failed by the next
writer); running the same ingest again works.

Text is bytes: the byte tokenizer reads any encoding, so invalid UTF-8 is
ingested as the bytes it is. A file holding NUL bytes is refused as binary.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from continual.config import ContinualConfig
from continual.accumulate import attach_learnt_corpora, decision_record, describe_decision, route_choice
from continual.bases.load import LoadedBase
from continual.bases.version import base_store_config, write_base_version
from continual.corpora import CorpusCheck, check_corpus, default_corpus_name, pick_name
from continual.methods import Method, NewCorpus, RouteDecision, make_method, method_class
from continual.routed import RoutedModel
from continual.training import OnStep, ReplayMix, Say, evaluate_corpora, fit, quiet, train_windows
from continual.versions import (
    LoadedVersion, load_version, open_registered, peer_layers, put_version_files, write_snapshot,
)
from peer_store.db import CorpusRecord, EvaluationRecord, IngestRecord, Store, VersionInfo
from peer_store.db.errors import VersionStateError
from peer_store.db.records import NAME_LENGTH, check_name
from peer_store.errors import ConfigError, StoreError
from trainer.data import ByteTokenizer, Corpus, ReadLimits
from trainer.data.reading import read_stdin
from trainer.model import LanguageModel


# -- the procedures -----------------------------------------------------------------------------
@dataclass
class IngestResult:
    version: VersionInfo
    corpus: CorpusRecord
    steps: int
    train_loss: float | None
    evaluations: list[EvaluationRecord]
    wall_seconds: float
    seconds: dict[str, float] = field(default_factory=dict)
    """Where the time went: read (the corpus), load (the parent), prepare (the method: k-means, profile), train,
    evaluate, write."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version.to_dict(),
            "corpus": self.corpus.to_dict(),
            "steps": self.steps,
            "train_loss": self.train_loss,
            "evaluations": [e.to_dict() for e in self.evaluations],
            "wall_seconds": self.wall_seconds,
            "seconds": dict(self.seconds),
        }


class Laps:
    """Where an ingest's time goes: ``lap(part)`` adds the time since the previous lap to ``part``."""

    def __init__(self) -> None:
        self.started = self.clock = time.perf_counter()
        self.seconds: dict[str, float] = {}

    def __call__(self, part: str) -> None:
        now = time.perf_counter()
        self.seconds[part] = self.seconds.get(part, 0.0) + now - self.clock
        self.clock = now

    def total(self) -> float:
        """Seconds since the start."""
        return time.perf_counter() - self.started


def ingest_budget(config: ContinualConfig, *, steps: int | None, tokens: int | None, keys: int | None,
                  replay: float) -> tuple[int, int]:
    """``(steps, keys)`` of an ingest from its options and the store's defaults; one line for a bad value."""
    steps = config.steps_for(steps, tokens)
    keys = config.new_keys if keys is None else keys
    if not isinstance(keys, int) or keys < 1:
        raise ConfigError(f"--keys must be a positive integer, got {keys!r}")
    if not 0.0 <= replay < 1.0:
        raise ConfigError(f"--replay is the fraction of windows from earlier corpora, in [0, 1); got {replay}")
    return steps, keys


def ingest_record(name: str, steps: int, config: ContinualConfig, losses: list[float],
                  evaluations: list[EvaluationRecord], wall: float, *, settings: dict[str, Any]) -> IngestRecord:
    """How a version was trained: its training loss is the mean of the last tenth of the steps' losses, its
    held-out loss the evaluation of its own corpus."""
    tail = losses[-max(1, len(losses) // 10):]
    return IngestRecord(corpus=name, steps=steps, tokens=steps * config.window_tokens, wall_seconds=wall,
                        train_loss=sum(tail) / len(tail) if tail else None,
                        heldout_loss=next(e for e in evaluations if e.corpus == name).loss, settings=settings)


def store_method(config: ContinualConfig, *, method: str | None = None,
                 options: dict[str, Any] | None = None) -> Method:
    """The store's method (``method`` may only name it again) with the store's options, ``options`` overriding
    some of them for this ingest; one-line errors for an override that cannot work on this store."""
    if method is not None and method != config.method:
        raise ConfigError(
            f"this store grows by {config.method!r}: its versions cannot continue as {method!r} "
            f"(a method is fixed at `peer init --method`); drop --method or make a new store"
        )
    return make_method(config.method, {**config.method_options, **(options or {})})


def version_seeds(config: ContinualConfig, number: int) -> tuple[int, int]:
    """``(seed of new weights and k-means, seed of the training windows)`` of version ``number``: the study's
    stage ``number - 1`` uses the same ones, so a store and a study run of the same stream agree."""
    stage = number - 1
    return config.seed + 1000 + stage, config.seed + stage


def start_model(
    method: Method, parent: LoadedVersion | None, new: NewCorpus, config: ContinualConfig, *, seed: int
) -> tuple[RoutedModel, RouteDecision | None]:
    """The model a new version trains: a new one for a store's first version (``config.seed``), else the
    parent's; then the method prepares it (``seed`` for new weights and k-means) and says, if it routes, which
    route the corpus trains."""
    if parent is None:
        torch.manual_seed(config.seed)
        model = RoutedModel(LanguageModel(config.model))
    else:
        model = parent.model
    torch.manual_seed(seed)
    return model, method.prepare(model, new)


def start_version(
    store: Store, method: Method, name: str, corpus: Corpus, parent_info: VersionInfo | None,
    config: ContinualConfig, keys: int, *, seeds: tuple[int, int], new_route: bool, continue_version: int | None,
    lap: Laps,
) -> tuple[LoadedVersion | None, NewCorpus, RoutedModel, RouteDecision | None, dict[str, Any] | None]:
    """Load the parent, pick the route the corpus trains (``new_route``/``continue_version`` override the
    method's choice) and prepare the model: ``(parent, the new corpus as the method saw it, model, route
    decision, its record)``; ``seeds`` are the version's (new weights, training windows)."""
    init_seed, window_seed = seeds
    parent = None if parent_info is None else load_version(store, parent_info.number)
    if parent is not None and method.routes:
        attach_learnt_corpora(store, parent.model)
    choice = route_choice(store, None if parent is None else parent.model, new_route=new_route,
                          continue_version=continue_version, routes=method.routes)
    owners = [] if parent is None else [route.learnt_by for route in parent.model.routes]
    lap("load")
    tokenizer = ByteTokenizer() if parent is None else parent.tokenizer
    windows = train_windows(corpus, tokenizer, config, seed=window_seed)
    new = NewCorpus(name, windows, tokenizer, config, keys, first=parent is None, route=choice)
    model, decision = start_model(method, parent, new, config, seed=init_seed)
    routing = None if decision is None else decision_record(decision, owners, model.routes[decision.route].learnt())
    return parent, new, model, decision, routing


def ingest(
    store: Store,
    source: str | Path,
    *,
    name: str | None = None,
    keys: int | None = None,
    steps: int | None = None,
    tokens: int | None = None,
    replay: float = 0.0,
    method: str | None = None,
    method_options: dict[str, Any] | None = None,
    new_route: bool = False,
    continue_version: int | None = None,
    force: bool = False,
    include: list[str] | None = None,
    stdin: bytes | None = None,
    limits: ReadLimits = ReadLimits(),
    evaluate_earlier: bool = False,
    progress: bool = False,
    say: Say = quiet,
    on_step: OnStep | None = None,
    kind: str = "ingest",
) -> IngestResult:
    """Grow the store's current version on a new corpus by the store's method and record a new version;
    ``method_options`` override some of the store's method options for it (its ingest record holds them all).

    The new version is evaluated on its own corpus; with ``evaluate_earlier`` on every earlier corpus
    too (otherwise :func:`continual.heldout.fill_evaluations` does that when the forgetting report
    asks, so an ingest's cost does not grow with the store's history).

    On a routed store the corpus continues a route of its kind or gets a new one (:func:`start_version`); the
    decision is said and kept on the ingest record (``settings["route"]``). ``replay`` > 0: see :func:`rehearsal`.

    ``on_step(step, steps, loss)`` follows training; an exception raised from it (or from ``say``) fails the
    version like any other, and the parent stays current."""
    lap = Laps()
    config = ContinualConfig.of_store(store.config)
    steps, keys = ingest_budget(config, steps=steps, tokens=tokens, keys=keys, replay=replay)
    grower = store_method(config, method=method, options=method_options)
    with store.lock(purpose=f"peer {kind}"):  # one writer: a second ingest is refused here
        check = check_corpus(source, config, include=include, stdin=stdin, limits=limits)
        name = pick_name(store, check, name, force=force)
        earlier = {c.name: open_registered(store, c, config.doc_bytes) for c in store.corpora() if c.name != name}
        say(f"corpus {name}: {check.bytes:,} bytes, {check.documents:,} documents, sha256 {check.sha256[:12]}")
        # Everything that can refuse the input (the corpus, its name, k-means of the new keys) runs before the
        # version row exists: a refusal leaves no failed version behind.
        number = store.next_number()
        seeds = version_seeds(config, number)
        lap("read")
        parent, new, model, decision, routing = start_version(
            store, grower, name, check.corpus, store.current(), config, keys, seeds=seeds, new_route=new_route,
            continue_version=continue_version, lap=lap)
        tokenizer, (rehearse, replay) = new.tokenizer, rehearsal(decision, earlier, replay)
        lap("prepare")
        with store.new_version(kind=kind, message=f"{kind} {name}") as draft:
            if draft.version.number != number:
                raise StoreError(f"the registry gave version {draft.version.number}, not {number}, under the "
                                 "store's lock: another writer shares this registry without it")
            say(describe_start(grower, model, parent, keys))
            if routing is not None and parent is not None:
                say(describe_decision(routing, getattr(grower.options, "merge_at", None)))
            losses = train_with_rehearsal(model, grower, new, rehearse, replay, steps, seed=seeds[1],
                                          progress=progress, say=say, on_step=on_step)
            lap("train")
            targets = {**earlier, name: check.corpus} if evaluate_earlier else {name: check.corpus}
            say(f"evaluating held-out loss on {', '.join(targets)}" + (" through the routes" if grower.routes else ""))
            evaluations = evaluate_corpora(model, tokenizer, targets, config)
            lap("evaluate")
            say("writing the new files (segments, backbone, routes, corpus snapshot)")
            write_snapshot(store, check.corpus.documents(), check.sha256)
            segments, checkpoint, routes = put_version_files(
                store, model, tokenizer, None if parent is None else parent.files, number=number)
            made = ingest_record(name, steps, config, losses, evaluations, lap.total(), settings={
                "method": grower.name, "options": grower.options.to_dict(), "replay": replay, "force": force,
                "keys": keys if parent is not None and grower.grows else None, "source": check.source,
                **({"route": routing} if routing is not None else {})})
            version = draft.commit(segments=segments, checkpoint=checkpoint, routes=routes,
                                   corpus=(record := check.record(name)), ingest=made, evaluations=evaluations)
            lap("write")
    return IngestResult(version, record, steps, made.train_loss, evaluations, lap.total(), lap.seconds)


def train_with_rehearsal(model: RoutedModel, method: Method, new: NewCorpus, rehearse: list[Corpus], replay: float,
                         steps: int, *, seed: int, progress: bool, say: Say, on_step: OnStep | None) -> list[float]:
    """Train ``model`` ``steps`` steps on the new corpus's windows, a ``replay`` fraction of them drawn from the
    ``rehearse`` corpora's, then let ``method`` settle what it needed only to train; the losses."""
    mix = ReplayMix(new.windows, [train_windows(c, new.tokenizer, new.config, seed=seed) for c in rehearse], replay,
                    seed=seed)
    say(f"training {steps} steps on {new.name}" + (f" with {replay:.0%} replay" if replay > 0 and rehearse else ""))
    losses = fit(model, new.tokenizer, mix, new.config, steps, progress=progress, say=say, on_step=on_step)
    method.settle(model)
    return losses


def rehearsal(decision: RouteDecision | None, earlier: dict[str, Corpus], replay: float) -> tuple[list[Corpus], float]:
    """``(corpora to rehearse, fraction of windows)``: a continued route rehearses its own earlier corpora (at
    the method's fraction unless ``replay`` names one); otherwise ``replay`` > 0 rehearses every earlier corpus."""
    if decision is not None and decision.continues and decision.rehearse:
        mine = [earlier[n] for n in decision.rehearse if n in earlier]
        return mine, (replay or decision.replay) if mine else 0.0
    return (list(earlier.values()), replay) if replay > 0 else ([], 0.0)


def describe_start(method: Method, model: RoutedModel, parent: LoadedVersion | None, keys: int) -> str:
    """One line on what the version starts from."""
    experts = sum(layer.memory.num_experts for _, layer in peer_layers(model.lm))
    if parent is None:
        return f"a new model with {len(peer_layers(model.lm))} PEER layers ({experts:,} experts), method {method.name}"
    if not method.grows:
        trains = method.describe(model) or "everything trainable"
        return f"{trains}: version {parent.number}'s model ({experts:,} experts)"
    line = (f"froze version {parent.number}'s shells, grew each PEER grid by a shell of {keys} sub-keys per half "
            f"(k-means keys), {experts:,} experts in all")
    detail = method.describe(model)
    return f"{line}; {detail}" if detail else line


def create_store(
    path: str | Path,
    *,
    config: ContinualConfig | None = None,
    db_url: str | None = None,
    name: str | None = None,
    base_corpus: str | Path | None = None,
    base_name: str | None = None,
    steps: int | None = None,
    tokens: int | None = None,
    include: list[str] | None = None,
    stdin: bytes | None = None,
    limits: ReadLimits = ReadLimits(),
    progress: bool = False,
    say: Say = quiet,
    base_model: LoadedBase | None = None,
    eval_corpus: str | Path | None = None,
) -> tuple[Store, IngestResult | None]:
    """``peer init``: a new store recording ``config`` (its method included), and version 1 trained on
    ``base_corpus`` if given.

    With ``base_model`` (a pretrained base, :func:`continual.bases.load.load_base`) version 1 is that base,
    evaluated on ``eval_corpus`` if given, and a ``base_corpus`` becomes version 2.

    The corpora are checked before anything is created; the caller closes the returned store."""
    config = config or ContinualConfig()
    if base_model is not None:
        config = base_store_config(base_model, config)
        if eval_corpus is None and method_class(config.method).routes:
            raise ConfigError(f"{config.method!r} on a pretrained base needs --eval-corpus: general text whose "
                              "n-gram profile keeps routing such text to the base")
    elif eval_corpus is not None:
        raise ConfigError("--eval-corpus evaluates a pretrained base: pass it with --base-model")
    general = None
    if eval_corpus is not None:
        check = check_corpus(eval_corpus, config, limits=limits)
        general = (check_name(default_corpus_name(check.source)[:NAME_LENGTH]), check)
    if base_corpus is not None:
        config.steps_for(steps, tokens)
        if base_name is not None:
            check_name(base_name)
        if str(base_corpus) == "-" and stdin is None:
            stdin = read_stdin(limits)  # once: the check and the training both read it
        check_corpus(base_corpus, config, include=include, stdin=stdin, limits=limits)  # bad input: nothing is created
    store = Store.create(path, db_url=db_url, name=name, config=config.to_dict())
    try:
        if base_model is not None:
            write_base_version(store, base_model, config, store_method(config), evaluation=general, say=say)
        if base_corpus is None:
            return store, None
        result = ingest(store, base_corpus, name=base_name, steps=steps, tokens=tokens, include=include,
                        stdin=stdin, limits=limits, progress=progress, say=say, kind="init")
    except BaseException:
        store.close()
        raise
    return store, result


def rollback(store: Store, version: int | str) -> VersionInfo:
    """A new version equal to ``version`` (same files, routes and evaluations); history is never rewritten."""
    with store.lock(purpose="peer rollback"):
        detail = store.detail(version)
        old = detail.version
        if old.status != "ready":
            raise VersionStateError(f"version {old.number} is {old.status}; roll back to a ready version")
        current = store.current()
        if current is not None and current.number == old.number:
            raise VersionStateError(f"version {old.number} is already the current version; nothing to roll back")
        with store.new_version(kind="rollback", message=f"rollback to version {old.number}") as draft:
            return draft.commit(segments=detail.segments, checkpoint=detail.checkpoint, routes=detail.routes,
                                evaluations=detail.evaluations)


__all__ = [
    "CorpusCheck", "IngestResult", "check_corpus", "create_store", "ingest", "rollback", "start_model",
    "store_method", "version_seeds",
]
