"""Contact writes in bulk: upsert by case-insensitive email, enrol in a sequence.

Written for 100,000-row imports: one SELECT per chunk of emails, executemany inserts and
primary-key bulk updates, never one ORM object per row. On SQLite a bulk write also gets a page
cache big enough to hold it until commit (see `roomy_cache`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import pairwise
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Table,
    any_,
    bindparam,
    event,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session
from sqlalchemy.pool import Pool
from sqlalchemy.sql import functions

from app.domain import ContactInput, ContactSyncState
from app.store import bulk_pause, search_index
from app.store.models import Base, Contact, ContactTally, Enrollment, SyncRecord, utcnow

# Below SQLite's and PostgreSQL's bound-parameter limits with room to spare.
CHUNK = 900
WHOLE_SCAN = 5 * CHUNK
_FIELDS = ("first_name", "last_name", "title", "company", "linkedin_url", "phone")
#: SQLite's page cache for the rest of a bulk write's transaction, in KiB. With the default
#: 2 MB, a 100,000-row import spills its pages to the WAL before the commit and reads them back.
BULK_CACHE_KIB = 64 * 1024
_RESTORE_CACHE = "escapement_restore_cache_size"


def roomy_cache(session: Session, rows: int) -> None:
    """Give this transaction's SQLite connection a page cache big enough for a bulk write.

    The old size comes back when the connection returns to the pool, after the commit, so
    only a transaction that writes this many rows holds that much memory, and only meanwhile.
    """
    if rows <= WHOLE_SCAN:
        return
    conn = session.connection()
    if conn.dialect.name != "sqlite" or _RESTORE_CACHE in conn.info:
        return
    conn.info[_RESTORE_CACHE] = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")


@event.listens_for(Pool, "checkin")
def _restore_cache(dbapi_conn: Any, record: Any) -> None:
    old = record.info.pop(_RESTORE_CACHE, None)
    if old is not None and dbapi_conn is not None:
        dbapi_conn.execute(f"PRAGMA cache_size={int(old)}")


def chunked[T](items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def among(session: Session, column: Any, values: Sequence[Any]) -> Iterator[ColumnElement[bool]]:
    """`column IN values`, in as few statements as the engine allows: on PostgreSQL one
    `= ANY(array)` with a single parameter; elsewhere `IN (...)` per CHUNK values. (Rendering
    900 parameters per IN list cost psycopg 0.8 s of a 10,000-contact add.)"""
    if session.get_bind().dialect.name == "postgresql":
        if values:
            array = bindparam("among", list(values), type_=postgresql.ARRAY(column.type))
            yield column == any_(array)
        return
    for part in chunked(values):
        yield column.in_(part)


def insert_many(session: Session, model: type[Base], rows: Sequence[dict[str, Any]]) -> None:
    """executemany in slices, so memory stays flat on a 100,000-row import."""
    # Core inserts on the table: the ORM's bulk path costs 3x more per row here.
    table: Table = model.__table__  # type: ignore[assignment]
    conn = session.connection()
    if rows and conn.dialect.name == "postgresql" and copy_rows(conn, table, rows):
        return
    plain = _plain_insert(conn, table, list(rows[0])) if rows else None
    for batch in chunked(rows, 5000):
        if plain is None:
            conn.execute(insert(table), list(batch))
        else:
            sql, as_tuple = plain
            conn.exec_driver_sql(sql, [as_tuple(row) for row in batch])


RowToTuple = Callable[[dict[str, Any]], tuple[Any, ...]]


def _plain_insert(conn: Connection, table: Table, keys: list[str]) -> tuple[str, RowToTuple] | None:
    """The INSERT in the driver's own terms, when Core would change nothing per row.

    That is: positional parameters (SQLite), no value of the rows needing conversion, and only
    constant defaults for the columns they leave out. Core then spends more time on each row's
    parameters than SQLite on the insert; anything else (a datetime, a callable default) takes
    the Core path.
    """
    dialect = conn.dialect
    if dialect.paramstyle != "qmark" or len(keys) < 2:
        return None
    defaults: dict[str, Any] = {}
    for column in table.columns:
        process = dialect.type_descriptor(column.type).bind_processor(dialect)
        if column.key in keys:
            if process is not None:
                return None
        elif column.default is not None:
            if not column.default.is_scalar:
                return None
            value = column.default.arg  # type: ignore[attr-defined]
            defaults[column.key] = process(value) if process else value
        elif _is_now(column):
            # SQLite works CURRENT_TIMESTAMP out again for every row of an executemany (a fifth
            # of the insert); one reading, in its own format, serves the whole statement.
            defaults[column.key] = conn.exec_driver_sql("SELECT CURRENT_TIMESTAMP").scalar()
    quote = dialect.identifier_preparer
    names = [*keys, *defaults]
    sql = (
        f"INSERT INTO {quote.format_table(table)} "
        f"({', '.join(quote.format_column(table.c[name]) for name in names)}) "
        f"VALUES ({', '.join('?' for _ in names)})"
    )
    values, constants = itemgetter(*keys), tuple(defaults.values())
    return sql, lambda row: values(row) + constants


def copy_rows(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> bool:
    """PostgreSQL's COPY, when no value needs converting: one statement for all the rows.

    executemany sends one INSERT per row, and each runs the statement triggers (the tallies)
    once; COPY runs them once. Columns the rows leave out get their Python-side default here
    (COPY only knows the server's); False when a default or a value needs SQLAlchemy.
    """
    dialect = conn.dialect
    keys = list(rows[0])
    defaults: dict[str, Any] = {}
    for column in table.columns:
        process = dialect.type_descriptor(column.type).bind_processor(dialect)
        if column.key in keys:
            if process is not None:
                return False
        elif column.default is not None:
            if not column.default.is_scalar:
                return False
            value = column.default.arg  # type: ignore[attr-defined]
            defaults[column.key] = process(value) if process else value
    quote = dialect.identifier_preparer
    names = [*keys, *defaults]
    columns = ", ".join(quote.format_column(table.c[name]) for name in names)
    values, constants = itemgetter(*keys), tuple(defaults.values())
    single = len(keys) == 1
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor, cursor.copy(f"COPY {quote.format_table(table)} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(((values(row),) if single else values(row)) + constants)
    return True


def _is_now(column: Any) -> bool:
    default = column.server_default
    return isinstance(getattr(default, "arg", None), functions.current_timestamp)


def ids_by_email(session: Session, keys: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    if len(keys) > WHOLE_SCAN and len(keys) * 4 > _stored(session, 0):
        # One scan of the unique index beats hundreds of IN (...) round trips, while the keys
        # are a good part of the table; a chunk of 10,000 into a million looks them up.
        wanted = set(keys)
        rows = session.execute(select(Contact.email_key, Contact.id))
        return {key: cid for key, cid in rows if key in wanted}
    for match in among(session, Contact.email_key, keys):
        rows = session.execute(select(Contact.email_key, Contact.id).where(match))
        found.update({key: cid for key, cid in rows})
    return found


def _stored(session: Session, sequence_id: int) -> int:
    """How many contacts there are (sequence 0) or are in a sequence, from the tallies."""
    total = select(func.sum(ContactTally.n)).where(ContactTally.sequence_id == sequence_id)
    return int(session.scalar(total) or 0)


def upsert_contacts(session: Session, inputs: Sequence[ContactInput]) -> tuple[list[int], int, int]:
    """Insert new contacts and fill in existing ones. Returns (ids in input order, added, updated).

    An existing contact keeps its values where the new row is blank, so re-importing a thinner
    file never erases what the recruiter already had.
    """
    roomy_cache(session, len(inputs))
    unique = {c.email.lower(): c for c in inputs}
    existing = ids_by_email(session, list(unique))
    new = {key: c for key, c in unique.items() if key not in existing}
    added = _insert_new(session, new)
    updated = _update_existing(
        session, [(existing[k], c) for k, c in unique.items() if k in existing]
    )
    if len(new) > WHOLE_SCAN:
        search_index.clean_pending(session.connection())
    ids = existing | added
    return [ids[c.email.lower()] for c in inputs], len(new), updated


def _insert_new(session: Session, new: dict[str, ContactInput]) -> dict[str, int]:
    """Inserts the contacts (keyed by lower-cased email) and their sync records; their ids."""
    if not new:
        return {}
    top = session.scalar(select(func.max(Contact.id))) or 0
    rows = [
        {
            "email_key": key,
            "email": c.email,
            "first_name": c.first_name,
            "last_name": c.last_name,
            "title": c.title,
            "company": c.company,
            "linkedin_url": c.linkedin_url,
            "phone": c.phone,
        }
        for key, c in new.items()
    ]
    conn = session.connection()
    with bulk_pause.paused(conn) as pausing:
        insert_many(session, Contact, rows)
        numbered = _numbered_after(session, top, list(new))
        ids = numbered or ids_by_email(session, list(new))
        state = ContactSyncState.NOT_SYNCED.value
        if numbered:
            # The new contacts are the ids above `top`: the database copies them over itself.
            new_ids = select(Contact.id, literal(state)).where(Contact.id > top)
            session.execute(
                insert(SyncRecord).from_select(
                    ["contact_id", "state"], new_ids.order_by(Contact.id)
                )
            )
        else:
            records = [{"contact_id": cid, "state": state} for cid in ids.values()]
            insert_many(session, SyncRecord, records)
    if pausing:
        # The triggers' work, once per statement: ids above `top`, or one by one in the
        # never-seen case of ids out of sequence.
        runs = [(top + 1, top + len(new))] if numbered else [(i, i) for i in ids.values()]
        for low, high in runs:
            bulk_pause.index_contacts(conn, low, high)
            bulk_pause.tally_records(conn, low, high)
    return ids


def _numbered_after(session: Session, top: int, keys: list[str]) -> dict[str, int] | None:
    """The ids SQLite gave the rows just inserted for `keys`, without reading them back.

    SQLite numbers each new row one above the largest id (documented for INTEGER PRIMARY KEY),
    so rows inserted in order under the write lock get top+1, top+2, ... When the ids above
    `top` are exactly that run, key i has id top+1+i; otherwise (never, short of ids near
    2**63) None, and the caller reads them back.
    """
    if session.get_bind().dialect.name != "sqlite":
        return None
    above = select(func.count(), func.min(Contact.id), func.max(Contact.id)).where(Contact.id > top)
    count, low, high = session.execute(above).one()
    if count != len(keys) or low != top + 1 or high != top + len(keys):
        return None
    return dict(zip(keys, range(top + 1, top + 1 + len(keys)), strict=True))


def _update_existing(session: Session, pairs: Iterable[tuple[int, ContactInput]]) -> int:
    pairs = list(pairs)
    if not pairs:
        return 0
    current = _current_values(session, [cid for cid, _ in pairs])
    changes: list[dict[str, Any]] = []
    for cid, incoming in pairs:
        change = {
            f: getattr(incoming, f)
            for f in _FIELDS
            if getattr(incoming, f) and getattr(incoming, f) != current[cid][f]
        }
        if change:
            changes.append({"id": cid, **change, "updated_at": utcnow()})
    for change in changes:
        # Rows differ in which columns change, so each is its own UPDATE; updates are rare.
        session.execute(update(Contact).where(Contact.id == change.pop("id")).values(**change))
    return len(pairs)


def _current_values(session: Session, ids: Sequence[int]) -> dict[int, dict[str, str]]:
    columns = [getattr(Contact, f) for f in _FIELDS]
    values: dict[int, dict[str, str]] = {}
    for wanted in among(session, Contact.id, ids):
        for row in session.execute(select(Contact.id, *columns).where(wanted)):
            values[row[0]] = dict(zip(_FIELDS, row[1:], strict=True))
    return values


def enroll(
    session: Session, sequence_id: int, contact_ids: Sequence[int], *, sync_enabled: bool
) -> list[int]:
    """Add contacts to a sequence; returns the ids of contacts that were not in it before."""
    roomy_cache(session, len(contact_ids))
    already = _enrolled(session, sequence_id, contact_ids)
    fresh = list(dict.fromkeys(cid for cid in contact_ids if cid not in already))
    values = {"status": "active", "sync_enabled_at_add": sync_enabled, "next_step": 0}
    if len(fresh) > WHOLE_SCAN and _is_run(fresh):
        # Ids in a run (a file of new contacts): the database writes the rows from contacts.
        run = select(Contact.id, literal(sequence_id), *(literal(v) for v in values.values()))
        run = run.where(Contact.id.between(fresh[0], fresh[-1])).order_by(Contact.id)
        columns = ["contact_id", "sequence_id", *values]
        conn = session.connection()
        with bulk_pause.paused(conn) as pausing:
            session.execute(insert(Enrollment).from_select(columns, run))
        if pausing:
            bulk_pause.tally_enrollments(conn, sequence_id, fresh[0], fresh[-1])
        return fresh
    rows = [
        {
            "contact_id": cid,
            "sequence_id": sequence_id,
            "status": "active",
            "sync_enabled_at_add": sync_enabled,
            "next_step": 0,
        }
        for cid in fresh
    ]
    insert_many(session, Enrollment, rows)
    return fresh


def _is_run(ids: list[int]) -> bool:
    """Ascending consecutive integers."""
    return ids[-1] - ids[0] == len(ids) - 1 and all(a < b for a, b in pairwise(ids))


def _enrolled(session: Session, sequence_id: int, contact_ids: Sequence[int]) -> set[int]:
    """Which of the contacts are in the sequence already."""
    in_sequence = select(Enrollment.contact_id).where(Enrollment.sequence_id == sequence_id)
    if len(contact_ids) > WHOLE_SCAN and len(contact_ids) * 4 > _stored(session, sequence_id):
        # As in ids_by_email: one pass over the sequence beats a hundred IN (...) queries.
        wanted = set(contact_ids)
        return {cid for cid in session.scalars(in_sequence) if cid in wanted}
    found: set[int] = set()
    for match in among(session, Enrollment.contact_id, contact_ids):
        found.update(session.scalars(in_sequence.where(match)))
    return found
