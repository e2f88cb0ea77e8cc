"""What a sequence of versions forgot: the held-out loss matrix and the continual-learning measures.

Every ingest evaluates its version on the held-out split of its corpus and
:func:`continual.heldout.fill_evaluations` evaluates it on the earlier ones when
first asked, so the registry holds the matrix ``L[v, c]`` (versions x corpora, mean
cross-entropy in nats per token; a byte tokenizer makes that nats per byte).
From it, over the chosen versions ``v_1 .. v_T`` (all ready versions by default):

- ``t_c``: the version that ingested corpus ``c`` (the first in the selection), or
  the first selected version evaluated on it when its ingest is outside the selection;
- plasticity ``P_c = L[t_c, c]``: loss on ``c`` right after it was learnt;
- forgetting ``F_c = L[v_T, c] - min_{t_c <= v < v_T} L[v, c]`` for every corpus seen
  before the last version (Chaudhry et al. 2018, "best earlier minus last", written
  for a loss: positive means the last version is worse than the best before it);
- average forgetting: the mean of ``F_c``;
- backward transfer ``BWT = mean_c (L[t_c, c] - L[v_T, c])`` over the same corpora
  (Lopez-Paz & Ranzato 2017, in loss units: negative means old corpora got worse);
- final loss ``L[v_T, c]`` and its mean over every corpus seen.

No torch here: it reads the registry. ``plot`` imports matplotlib when called.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from peer_store.db import EvaluationRecord, Store
from peer_store.db.errors import VersionNotFound, VersionStateError
from peer_store.errors import ConfigError


@dataclass
class ForgettingReport:
    versions: list[int]
    labels: list[str]
    """What each version is, e.g. 'init code', 'ingest prose', 'rollback to version 2'."""
    corpora: list[str]
    """In the order they were registered."""
    loss: list[list[float | None]]
    """``loss[i][j]``: held-out loss of ``versions[i]`` on ``corpora[j]`` (None: not evaluated)."""
    learnt_at: dict[str, int | None]
    plasticity: dict[str, float | None]
    forgetting: dict[str, float | None]
    """Per corpus seen before the last version; None for the others."""
    average_forgetting: float | None
    backward_transfer: float | None
    final_loss: dict[str, float | None]
    average_final_loss: float | None
    bits_per_byte: list[list[float | None]]
    """``bits_per_byte[i][j]``: the same cells in bits per byte of text, which compare across tokenizers (a
    pretrained base's BPE and the built-in byte tokenizer)."""
    forgetting_bits_per_byte: dict[str, float | None]
    """``forgetting`` measured in bits per byte."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_csv(self) -> str:
        """Long format: ``measure,version,corpus,value`` (empty where a field does not apply)."""
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["measure", "version", "corpus", "value"])
        for v, row in zip(self.versions, self.loss):
            for c, value in zip(self.corpora, row):
                if value is not None:
                    w.writerow(["loss", v, c, f"{value:.6f}"])
        for measure in ("plasticity", "forgetting", "final_loss"):
            for c, value in getattr(self, measure).items():
                if value is not None:
                    w.writerow([measure, "", c, f"{value:.6f}"])
        for measure in ("average_forgetting", "backward_transfer", "average_final_loss"):
            value = getattr(self, measure)
            if value is not None:
                w.writerow([measure, "", "", f"{value:.6f}"])
        return out.getvalue()

    def plot(self, path: Path | str) -> Path:
        """A PNG: held-out loss of every corpus across versions, and forgetting per corpus."""
        try:
            import matplotlib
        except ImportError:
            raise ConfigError("--plot needs matplotlib, a dependency of peer-store: pip install matplotlib") from None
        matplotlib.use("Agg")  # files only: no display needed
        import matplotlib.pyplot as plt

        path = Path(path)
        if path.suffix.lower() != ".png":
            raise ConfigError(f"--plot writes a PNG: give a file name ending in .png, got {path.name}")
        fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), gridspec_kw={"width_ratios": [3, 2]})
        xs = list(range(len(self.versions)))
        for j, c in enumerate(self.corpora):
            points = [(x, row[j]) for x, row in zip(xs, self.loss) if row[j] is not None]
            if not points:
                continue
            line = left.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=c)[0]
            if (t := self.learnt_at.get(c)) in self.versions and self.plasticity.get(c) is not None:
                left.scatter([self.versions.index(t)], [self.plasticity[c]], s=120, facecolors="none",
                             edgecolors=line.get_color(), linewidths=2)
        left.set_xticks(xs, [f"v{v}\n{label}" for v, label in zip(self.versions, self.labels)], fontsize=8)
        left.set_ylabel("held-out loss (nats/token)")
        left.set_title("loss on each corpus after each version (circle: just learnt)")
        left.legend(fontsize=8)
        left.grid(alpha=0.3)
        seen = [c for c in self.corpora if self.forgetting.get(c) is not None]
        right.bar(seen, [self.forgetting[c] for c in seen], color="tab:red")
        right.axhline(0.0, color="black", linewidth=0.8)
        title = "forgetting (last - best earlier)"
        if self.average_forgetting is not None:
            title += f"\naverage {self.average_forgetting:.3f}, BWT {self.backward_transfer:.3f}"
        right.set_title(title, fontsize=10)
        right.set_ylabel("nats/token")
        right.grid(alpha=0.3, axis="y")
        fig.tight_layout()
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=110)
        plt.close(fig)
        return path


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


@dataclass
class LossMeasures:
    """The continual-learning measures of one loss matrix (rows: stages in order, columns: corpora)."""

    plasticity: list[float | None]
    forgetting: list[float | None]
    """None for a corpus learnt at the last row (or never), or with no earlier evaluation."""
    backward_transfer: float | None
    average_forgetting: float | None
    final_loss: list[float | None]
    average_final_loss: float | None


def loss_measures(loss: list[list[float | None]], learnt_at: list[int | None]) -> LossMeasures:
    """Plasticity, forgetting, BWT and final loss of ``loss[i][j]`` (row i, corpus j; None: not
    evaluated), where ``learnt_at[j]`` is the row that learnt corpus j (None: unknown).

    The definitions are the module docstring's, with rows in place of versions."""
    last = len(loss) - 1
    n = len(learnt_at)
    assert all(len(row) == n for row in loss), "every row needs one cell per corpus"
    plasticity = [loss[t][j] if t is not None else None for j, t in enumerate(learnt_at)]
    forgetting: list[float | None] = []
    transfer: list[float] = []
    for j, t in enumerate(learnt_at):
        earlier = [loss[i][j] for i in range(last) if t is not None and t <= i and loss[i][j] is not None]
        if t is None or t >= last or not earlier or loss[last][j] is None:
            forgetting.append(None)
            continue
        forgetting.append(loss[last][j] - min(earlier))
        if plasticity[j] is not None:
            transfer.append(plasticity[j] - loss[last][j])
    final = [loss[last][j] if loss else None for j in range(n)]
    return LossMeasures(
        plasticity=plasticity,
        forgetting=forgetting,
        backward_transfer=_mean(transfer),
        average_forgetting=_mean([f for f in forgetting if f is not None]),
        final_loss=final,
        average_final_loss=_mean([v for v in final if v is not None and math.isfinite(v)]),
    )


def missing_evaluations(store: Store, versions: list[int | str] | None = None) -> dict[int, list[str]]:
    """Per ready version (``versions``: numbers or refs such as 'current'; default every ready one): the corpora
    learnt by a ready version at or before it that it has no held-out evaluation of, in registration order."""
    history = store.versions()
    ready = [v.number for v in history if v.status == "ready"]
    wanted = None if versions is None else {store.version(ref).number for ref in versions}
    chosen = ready if wanted is None else [n for n in ready if n in wanted]
    learnt_by = corpora_learnt(store, history)
    have = {(n, e.corpus) for n, e in store.evaluations() if e.split == "heldout"}
    missing = {n: [c for c, by in learnt_by.items() if by <= n and (n, c) not in have] for n in chosen}
    return {n: cs for n, cs in missing.items() if cs}


def parse_versions(values: Sequence[str] | None) -> list[str] | None:
    """The versions a ``--versions`` option (or a ``versions`` query) names, comma-separated or repeated; None
    (every ready version) when it was not given. Given but naming none (``""``, ``",,"``) is refused."""
    if not values:
        return None
    chosen = [part.strip() for item in values for part in item.split(",") if part.strip()]
    if not chosen:
        raise ConfigError(f"versions {','.join(values)!r} names no version; pass version numbers such as 1,2,3, "
                          "or leave it out for every ready version")
    return chosen


def corpora_learnt(store: Store, history: Sequence[Any] | None = None) -> dict[str, int]:
    """``{corpus: the ready init or ingest version that learnt it}``, in the corpora's registration order
    (``history``: ``store.versions()``, when the caller has it already)."""
    history = store.versions() if history is None else history
    learnt_by = {v.corpus: v.number for v in history
                 if v.status == "ready" and v.kind in ("init", "ingest") and v.corpus}
    return {c.name: learnt_by[c.name] for c in store.corpora() if c.name in learnt_by}


def learnt_corpora(store: Store, number: int) -> list[str]:
    """The corpora version ``number`` learnt (its own and every earlier version's), in registration order: the
    columns the forgetting report gives it."""
    return [c for c, by in corpora_learnt(store).items() if by <= number]


def evaluate_forgetting(
    store: Store,
    versions: list[int | str] | None = None,
    *,
    evaluated: Sequence[tuple[int, EvaluationRecord]] = (),
) -> ForgettingReport:
    """The forgetting report of ``versions`` (ready ones, oldest first; default: every ready version).

    ``evaluated``: cells this process evaluated beside the recorded ones, as ``(version, record)``
    (what :func:`continual.heldout.fill_evaluations` returns; it could not record them in a
    read-only store)."""
    history = {v.number: v for v in store.versions()}
    if versions is None:
        chosen = sorted(n for n, v in history.items() if v.status == "ready")
    else:
        chosen = sorted({store.version(ref).number for ref in versions})
        for n in chosen:
            if history[n].status != "ready":
                raise VersionStateError(f"version {n} is {history[n].status}; the report reads ready versions only")
    if not chosen:
        raise VersionNotFound(f"the store {store.path} has no ready version yet; ingest a corpus first")
    cells: dict[tuple[int, str], float] = {}
    bits_cells: dict[tuple[int, str], float] = {}
    for number, e in [*store.evaluations(), *evaluated]:
        if e.split == "heldout" and number in chosen:
            cells[(number, e.corpus)] = e.loss
            bits_cells[(number, e.corpus)] = e.bits_per_byte
    corpora = [c.name for c in store.corpora() if any((n, c.name) in cells for n in chosen)]
    if not corpora:
        raise ConfigError("the chosen versions have no held-out evaluations; pick versions made by ingests")
    loss = [[cells.get((n, c)) for c in corpora] for n in chosen]
    learnt_at: dict[str, int | None] = {}
    for c in corpora:
        ingested = [n for n in chosen if history[n].corpus == c and history[n].kind in ("init", "ingest")]
        evaluated = [n for n in chosen if (n, c) in cells]
        learnt_at[c] = ingested[0] if ingested else (evaluated[0] if evaluated else None)
    learnt_index = [chosen.index(learnt_at[c]) if learnt_at[c] is not None else None for c in corpora]
    m = loss_measures(loss, learnt_index)
    bits = [[bits_cells.get((n, c)) for c in corpora] for n in chosen]
    labels = [_label(history[n]) for n in chosen]
    return ForgettingReport(
        versions=chosen,
        labels=labels,
        corpora=corpora,
        loss=loss,
        learnt_at=learnt_at,
        plasticity=dict(zip(corpora, m.plasticity)),
        forgetting=dict(zip(corpora, m.forgetting)),
        average_forgetting=m.average_forgetting,
        backward_transfer=m.backward_transfer,
        final_loss=dict(zip(corpora, m.final_loss)),
        average_final_loss=m.average_final_loss,
        bits_per_byte=bits,
        forgetting_bits_per_byte=dict(zip(corpora, loss_measures(bits, learnt_index).forgetting)),
    )


@dataclass
class StudentReport:
    """A distilled student beside its teacher: held-out loss on every corpus the teacher learnt (``peer
    evaluate forgetting --student``)."""

    student: int
    teacher: int
    width: int
    alpha: float
    steps: int
    init: str
    params: int
    corpora: list[str]
    teacher_loss: list[float | None]
    """The teacher version's recorded held-out loss per corpus (None: not evaluated)."""
    student_loss: list[float | None]
    average_teacher_loss: float | None
    average_student_loss: float | None
    """Means over the corpora where both are known."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_csv(self) -> str:
        """``corpus,teacher,student`` (empty where a loss is unknown)."""
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["corpus", "teacher", "student"])
        for c, t, s in zip(self.corpora, self.teacher_loss, self.student_loss):
            w.writerow([c, "" if t is None else f"{t:.6f}", "" if s is None else f"{s:.6f}"])
        return out.getvalue()


def student_report(
    store: Store, student_id: int | str, *, evaluated: Sequence[tuple[int, EvaluationRecord]] = ()
) -> StudentReport:
    """The student ``student_id`` and its teacher on the corpora the student was evaluated on (read from the
    registry: the teacher's cells an ingest left for later must be filled first, see
    :func:`continual.heldout.fill_evaluations`; ``evaluated`` as for :func:`evaluate_forgetting`)."""
    student = store.student(student_id)
    mine = {e.corpus: e.loss for e in student.evaluations}
    theirs = {e.corpus: e.loss for n, e in [*store.evaluations(), *evaluated]
              if n == student.teacher and e.split == "heldout"}
    corpora = [c.name for c in store.corpora() if c.name in mine]
    teacher_loss = [theirs.get(c) for c in corpora]
    student_loss = [mine[c] for c in corpora]
    both = [(t, s) for t, s in zip(teacher_loss, student_loss) if t is not None and s is not None]
    return StudentReport(
        student=student.id, teacher=student.teacher, width=student.width, alpha=student.alpha, steps=student.steps,
        init=student.init, params=student.params, corpora=corpora, teacher_loss=teacher_loss,
        student_loss=student_loss, average_teacher_loss=_mean([t for t, _ in both]),
        average_student_loss=_mean([s for _, s in both]),
    )


def _label(version) -> str:
    if version.kind in ("init", "ingest") and version.corpus:
        return f"{version.kind} {version.corpus}"
    return version.message or version.kind
