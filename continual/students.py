"""A registered student (``peer distill``) read back from its store: a dense :class:`LanguageModel` and its
tokenizer, or the same as a one-route :class:`RoutedModel` for what reads routed models (``peer score``).

Distillation (:mod:`continual.distill`) writes students; inference reads them; both come here, so neither
imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass

from continual.routed import Route, RoutedModel
from continual.versions import read_student
from peer_store.db import Store, StudentRecord
from trainer.data import Tokenizer
from trainer.model import LanguageModel


@dataclass
class LoadedStudent:
    record: StudentRecord
    model: LanguageModel
    tokenizer: Tokenizer


def load_student(store: Store, student_id: int | str) -> LoadedStudent:
    """A registered student as a :class:`LanguageModel` in eval mode, with its tokenizer."""
    record = store.student(student_id)
    model, tokenizer, _ = read_student(store.file_path(record.file), record.file.sha256)
    return LoadedStudent(record, model.eval(), tokenizer)


def as_routed(loaded: LoadedStudent) -> RoutedModel:
    """The student as a one-route :class:`RoutedModel` labelled ``student N`` (what ``peer score`` reads)."""
    return RoutedModel(loaded.model, [Route(f"student {loaded.record.id}", None, {})])


__all__ = ["LoadedStudent", "as_routed", "load_student"]
