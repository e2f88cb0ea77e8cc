"""The students of a store (``peer distill``): registering one whose file is written, and reading them."""

from __future__ import annotations

from sqlalchemy import Engine, select

from peer_store.db import models as m
from peer_store.db.engine import session_scope
from peer_store.db.errors import StudentNotFound, VersionStateError
from peer_store.db.records import StudentRecord
from peer_store.db.rows import student_record
from peer_store.errors import StoreError


class StudentRegistry:
    """The student side of :class:`~peer_store.db.store.Store` (a part of it)."""

    engine: Engine
    store_id: int

    def add_student(self, student: StudentRecord) -> StudentRecord:
        """Register a student whose file :meth:`put_student` wrote (one transaction); returns it with its id.
        Its teacher must be a ready version and every evaluation's corpus a registered one."""
        self.require_writer()
        path = self.file_path(student.file)
        if not path.is_file() or path.stat().st_size != student.file.bytes:
            raise StoreError(f"{path} is missing or has the wrong size; write it with put_student")
        with session_scope(self.engine) as s:
            v = self.version_row(s, student.teacher)
            if v.status != m.VersionStatus.READY.value:
                raise VersionStateError(f"version {v.number} is {v.status}; a student learns from a ready version")
            for e in student.evaluations:
                self.corpus_id(s, e.corpus)
            row = m.Student(
                store_id=self.store_id, version_id=v.id, width=student.width, steps=student.steps,
                alpha=student.alpha, init=student.init, params=student.params, file=student.file.file,
                sha256=student.file.sha256, bytes=student.file.bytes, train_loss=student.train_loss,
                wall_seconds=student.wall_seconds, settings=dict(student.settings),
                heldout={e.corpus: {"loss": e.loss, "tokens": e.tokens, "bits_per_byte": e.bits_per_byte}
                         for e in student.evaluations},
            )
            s.add(row)
            s.flush()
            return student_record(row)

    def students(self, ref: int | str | None = None) -> list[StudentRecord]:
        """Every student of the store (of version ``ref`` only, if given), oldest first."""
        with session_scope(self.engine) as s:
            query = select(m.Student).where(m.Student.store_id == self.store_id).order_by(m.Student.id)
            if ref is not None:
                query = query.where(m.Student.version_id == self.version_row(s, ref).id)
            return [student_record(row) for row in s.scalars(query)]

    def student(self, student_id: int | str) -> StudentRecord:
        """The student ``student_id`` (a number from `peer students`)."""
        try:
            number = int(str(student_id))
        except ValueError:
            raise StudentNotFound(f"{student_id!r} is not a student id; use a number from `peer students`") from None
        with session_scope(self.engine) as s:
            row = None
            if 0 < number < 2**31:  # beyond the column's range no row can match
                row = s.scalar(select(m.Student).where(m.Student.store_id == self.store_id, m.Student.id == number))
            if row is None:
                raise StudentNotFound(f"the store {self.path} has no student {number}; see `peer students`")
            return student_record(row)
