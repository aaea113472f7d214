"""The contacts search and counts as they were before the indexes: the oracle the new ones must
equal. Copied in spirit from app/store/queries.py before migration 'million', and kept apart
from the app's code on purpose, so a change there cannot change what the tests expect.

Case, since the search stopped lower-casing what was typed ("Élodie" found no "Élodie"):
PostgreSQL compares lower() of both sides, the server's own; SQLite matches character by
character, each against the ones with the same single-character lower case (Python's) that
the FTS5 trigram tokenizer also folds alike (asked of an in-memory FTS5 table, as SQLite
itself folds), checked here in Python on every row.
"""

from __future__ import annotations

import sqlite3
from functools import cache

from sqlalchemy import func, literal, or_, select
from sqlalchemy.orm import Session

from app.domain import ContactFilter
from app.store.models import Contact, Enrollment, SyncRecord

_SEARCHED = (
    Contact.email_key,
    Contact.first_name,
    Contact.last_name,
    Contact.company,
    Contact.title,
)


def scan_ids(session: Session, flt: ContactFilter) -> list[int]:
    """Ids of the matching contacts in id order, by scanning every row with LIKE."""
    query = select(Contact.id).join(SyncRecord, SyncRecord.contact_id == Contact.id)
    if flt.sequence_id is not None:
        query = query.join(Enrollment, Enrollment.contact_id == Contact.id).where(
            Enrollment.sequence_id == flt.sequence_id
        )
    if flt.states:
        query = query.where(SyncRecord.state.in_(sorted(s.value for s in flt.states)))
    text = flt.search.strip()
    if text and session.get_bind().dialect.name == "sqlite":
        rows = session.execute(query.add_columns(*_SEARCHED).order_by(Contact.id))
        return [row[0] for row in rows if any(_holds(str(value), text) for value in row[1:])]
    if text:
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = func.lower(literal(f"%{escaped}%"))
        query = query.where(or_(*(func.lower(col).like(pattern, escape="\\") for col in _SEARCHED)))
    return list(session.scalars(query.order_by(Contact.id)))


def _holds(value: str, typed: str) -> bool:
    n = len(typed)
    return any(
        all(_alike(value[start + i], typed[i]) for i in range(n))
        for start in range(len(value) - n + 1)
    )


def _alike(a: str, b: str) -> bool:
    if a == b:
        return True
    if a.isascii() and b.isascii():
        return a.lower() == b.lower()
    return _one_lower(a) == _one_lower(b) and _fts_fold(a) == _fts_fold(b)


def _one_lower(ch: str) -> str:
    lower = ch.lower()
    return lower if len(lower) == 1 else ch


_fts = sqlite3.connect(":memory:", check_same_thread=False)
_fts.execute("CREATE VIRTUAL TABLE t USING fts5(a, tokenize='trigram')")
_fts.execute("CREATE VIRTUAL TABLE terms USING fts5vocab(t, 'row')")


@cache
def _fts_fold(ch: str) -> str:
    _fts.execute("DELETE FROM t")
    _fts.execute("INSERT INTO t(a) VALUES (?)", (ch + "xx",))
    (term,) = _fts.execute("SELECT term FROM terms").fetchone()
    return str(term[0])
