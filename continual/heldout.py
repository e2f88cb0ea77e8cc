"""Held-out evaluations an ingest leaves for later: each version on the corpora learnt before it.

An ingest evaluates its version on its own corpus only, so what it spends outside
training does not grow with the store's history. The rest of the forgetting matrix
(every version on every corpus learnt at or before it) is measured when someone asks
for it, once: :func:`fill_evaluations` evaluates the missing cells through the store's
routing, exactly as an ingest would have, and records them beside the ingests' own.
"""

from __future__ import annotations

from collections.abc import Callable

from continual.config import ContinualConfig
from continual.forgetting import missing_evaluations
from continual.inference import load_model
from continual.training import Say, evaluate_corpora, quiet
from continual.versions import open_registered
from peer_store.db import EvaluationRecord, RegistryReadOnly, Store


def fill_evaluations(
    store: Store,
    versions: list[int | str] | None = None,
    *,
    say: Say = quiet,
    on_cell: Callable[[int, str], None] | None = None,
) -> list[tuple[int, EvaluationRecord]]:
    """Evaluate and record every cell :func:`missing_evaluations` names for ``versions`` (numbers or refs such
    as 'current'; default every ready version); returns the cells it evaluated, as ``(version, record)``.

    One version is loaded at a time and each of its missing corpora is evaluated on the
    held-out split an ingest uses (same windows, same batches), so a filled cell is the
    number the version's own ingest would have recorded. ``on_cell(version, corpus)`` is
    called after each cell (a progress bar).

    A registry this process cannot write (a read-only store folder, registry file or
    database role) does not stop the report: the cells are still evaluated and returned,
    one line says they were not recorded and why, and a later report evaluates them again.
    Pass the returned cells to :func:`continual.forgetting.evaluate_forgetting`.
    """
    missing = missing_evaluations(store, versions)
    if not missing:
        return []
    config = ContinualConfig.of_store(store.config)
    records = {c.name: c for c in store.corpora()}
    total = sum(len(cs) for cs in missing.values())
    say(f"evaluating {total} held-out cell(s) that ingests left for later "
        f"({len(missing)} version(s)); a store that can be written records them, so this happens once")
    evaluated: list[tuple[int, EvaluationRecord]] = []
    recording = True
    for number, names in missing.items():
        loaded = load_model(store, number)
        for name in names:
            corpus = open_registered(store, records[name], config.doc_bytes)
            cells = evaluate_corpora(loaded.model, loaded.tokenizer, {name: corpus}, config)
            if recording:
                try:
                    store.record_evaluations(number, cells)
                except RegistryReadOnly as error:
                    recording = False
                    say(f"not recording the evaluated cells: {error}; this report shows them, "
                        "a later one evaluates them again")
            evaluated += [(number, cell) for cell in cells]
            if on_cell is not None:
                on_cell(number, name)
    return evaluated


__all__ = ["fill_evaluations"]
