"""Undo for the destructive actions (contacts removed from a sequence, a sequence deleted).

Before the rows go, every row the delete removes (cascades included: enrollments, their email
activity, the activity's outbox items; a sequence's steps) is read as plain column values;
Undo inserts them back with their own ids, in parent-first order, in one transaction. Deleting
for real and keeping a copy in memory was chosen over a soft-delete column, which every query
of sequences and enrollments would have to learn to skip. The copy lives in the Workspace
until the next destructive action or the end of the session. If a row's id was taken
meanwhile (SQLite may reuse the highest id), Undo fails whole with a clear message.
"""

from __future__ import annotations

from collections.abc import Sequence as Seq
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.errors import InputError
from app.store.contacts import chunked
from app.store.models import (
    ActivityEvent,
    Base,
    Enrollment,
    OutboxItem,
    Sequence,
    SequenceStep,
)

Rows = tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class Removal:
    """What a destructive action removed, enough to put it back."""

    what: str  # "3 contacts removed from “CFO search”", for the Undo bar
    tables: tuple[tuple[str, Rows], ...]  # (table name, rows), parents first


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _rows(session: Session, name: str, column: Any, ids: Seq[int]) -> Rows:
    table = _table(name)
    out: list[dict[str, Any]] = []
    for part in chunked(list(ids), 500):
        result = session.execute(select(table).where(column.in_(part)))
        out.extend(dict(row) for row in result.mappings())
    return tuple(out)


def _dependants(session: Session, enrollment_ids: Seq[int]) -> list[tuple[str, Rows]]:
    events = _rows(session, "activity_events", ActivityEvent.enrollment_id, enrollment_ids)
    items = _rows(session, "outbox", OutboxItem.activity_id, [e["id"] for e in events])
    return [("activity_events", events), ("outbox", items)]


def remove_enrollments(
    session: Session, sequence: Sequence, contact_ids: Seq[int], what: str
) -> Removal:
    ids = [
        eid
        for part in chunked(list(contact_ids), 500)
        for eid in session.scalars(
            select(Enrollment.id).where(
                Enrollment.sequence_id == sequence.id, Enrollment.contact_id.in_(part)
            )
        )
    ]
    tables = [("enrollments", _rows(session, "enrollments", Enrollment.id, ids))]
    tables += _dependants(session, ids)
    for part in chunked(ids, 500):
        session.execute(delete(Enrollment).where(Enrollment.id.in_(part)))
    return Removal(what, tuple(tables))


def snapshot_sequence(session: Session, sequence: Sequence, what: str) -> Removal:
    """Read before the sequence is deleted (its cascades take the rest)."""
    enrollment_ids = list(
        session.scalars(select(Enrollment.id).where(Enrollment.sequence_id == sequence.id))
    )
    tables = [
        ("sequences", _rows(session, "sequences", Sequence.id, [sequence.id])),
        (
            "sequence_steps",
            _rows(session, "sequence_steps", SequenceStep.sequence_id, [sequence.id]),
        ),
        ("enrollments", _rows(session, "enrollments", Enrollment.id, enrollment_ids)),
    ]
    return Removal(what, tuple(tables + _dependants(session, enrollment_ids)))


TABLES = {
    "sequences": "sequences",
    "sequence_steps": "sequence_steps",
    "enrollments": "enrollments",
    "activity_events": "activity_events",
    "outbox": "outbox",
}


def restore(session: Session, removal: Removal) -> None:
    try:
        for name, rows in removal.tables:
            if rows:
                session.execute(insert(_table(name)), list(rows))
        session.flush()
    except IntegrityError as exc:
        raise InputError(
            "This can no longer be undone: what was removed has been replaced since.",
            title="Cannot undo",
        ) from exc
