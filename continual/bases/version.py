"""Version 1 of a store on a pretrained base: the base itself (with its memories adding nothing yet).

``peer init --base-model`` writes the base's weights once, as a content-addressed
safetensors checkpoint whose metadata holds its transformers config and its
tokenizer (so the store is self-contained), the memories' first segments, and
records the version. With ``--eval-corpus`` the base is evaluated on that corpus
(a general mix: what the base could do before anything was learnt), and the
corpus is registered as the one version 1 "learnt", so every later version is
evaluated on it and the forgetting report has the base's own ability as a column.
"""

from __future__ import annotations

import time

from continual.bases.load import LoadedBase
from continual.config import ContinualConfig
from continual.corpora import CorpusCheck
from continual.methods import Method, NewCorpus
from continual.routed import RoutedModel
from continual.training import Say, evaluate_corpora, quiet, train_windows
from continual.versions import put_version_files, write_snapshot
from peer_store.db import IngestRecord, Store, VersionInfo


def write_base_version(store: Store, base: LoadedBase, config: ContinualConfig, method: Method, *,
                       evaluation: tuple[str, CorpusCheck] | None = None, say: Say = quiet) -> VersionInfo:
    """Record ``base`` as the store's first version (the store is new: it has no versions); ``evaluation`` is
    ``(name, checked corpus)`` of the general corpus the base is evaluated on. ``method`` (the store's) prepares
    the base as the first model that learnt that corpus: for ``routed``, the corpus's n-gram profile becomes the
    base's route, so general text keeps going to the base."""
    started = time.perf_counter()
    model = RoutedModel(base.model)
    with store.lock(purpose="peer init"):
        with store.new_version(kind="init", message=f"base {base.record['name']}") as draft:
            evaluations, corpus, ingest = [], None, None
            if evaluation is not None:
                name, check = evaluation
                windows = train_windows(check.corpus, base.tokenizer, config, seed=config.seed)  # version 1's seed
                method.prepare(model, NewCorpus(name, windows, base.tokenizer, config, config.new_keys, first=True))
                say(f"evaluating the base on {name} ({check.bytes:,} bytes)")
                evaluations = evaluate_corpora(model, base.tokenizer, {name: check.corpus}, config)
                write_snapshot(store, check.corpus.documents(), check.sha256)
                corpus = check.record(name)
            say("writing the base's weights, config and tokenizer into the store")
            segments, checkpoint, routes = put_version_files(store, model, base.tokenizer, None,
                                                             number=draft.version.number)
            if corpus is not None:
                ingest = IngestRecord(
                    corpus=corpus.name, steps=0, tokens=0, wall_seconds=time.perf_counter() - started,
                    train_loss=None, heldout_loss=evaluations[0].loss,
                    settings={"method": "base", "base": base.record["name"], "source": check.source})
            return draft.commit(segments=segments, checkpoint=checkpoint, routes=routes, corpus=corpus,
                                ingest=ingest, evaluations=evaluations)


def base_store_config(base: LoadedBase, config: ContinualConfig) -> ContinualConfig:
    """``config`` (the training defaults of every ingest) for a store whose model is ``base``; windows no longer
    than the base's context."""
    data = {**config.to_dict(), "model": base.model.config.to_dict(), "base": base.record,
            "seq_len": min(config.seq_len, base.model.config.max_seq_len)}
    return ContinualConfig.from_dict(data)


__all__ = ["base_store_config", "write_base_version"]
