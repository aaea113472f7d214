"""Contact writes in bulk: upsert by case-insensitive email, enrol in a sequence.

Written for 100,000-row imports: one SELECT per chunk of emails, executemany inserts and
primary-key bulk updates, never one ORM object per row. On SQLite a bulk write also gets a page
cache big enough to hold it until commit (see `roomy_cache`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from itertools import pairwise
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Connection,
    String,
    Table,
    Text,
    bindparam,
    cast,
    event,
    func,
    insert,
    literal,
    select,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.pool import Pool
from sqlalchemy.sql import functions

from app.domain import ContactInput, ContactSyncState
from app.store import bulk_pause, search_backlog, search_index
from app.store.models import Base, Contact, ContactTally, Enrollment, SyncRecord, utcnow

# Below SQLite's and PostgreSQL's bound-parameter limits with room to spare.
CHUNK = 900
WHOLE_SCAN = 5 * CHUNK
#: How many of a bulk add's emails are looked up before it inserts them all as new.
SAMPLE = 100
_UNIQUE_VIOLATION = "23505"
_FIELDS = ("first_name", "last_name", "title", "company", "linkedin_url", "phone")
_CONTACT_COLUMNS = ("id", "email_key", "email", *_FIELDS)
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


def among(session: Session, column: Any, values: Iterable[Any]) -> ColumnElement[bool]:
    """`column IN values` in one statement with one parameter, however many values: a JSON
    array the database unpacks (`listed`).

    IN lists of 900 bound parameters cost SQLAlchemy more to render than SQLite took to run
    them, and PostgreSQL planned `= ANY(array)` of 10,000 keys as a scan of the whole table.
    """
    value = listed(session, values).c.value
    if _is_postgresql(session):
        # Text stays text: a cast to VARCHAR(n) would cut a longer value to a stored one.
        value = cast(value, Text() if isinstance(column.type, String) else column.type)
    values_in: ColumnElement[bool] = column.in_(select(value))
    return values_in


def listed(session: Session, values: Iterable[Any]) -> Any:
    """The values as a table of one column, `value`, that the database unpacks from one JSON
    array parameter (`json_each`, `json_array_elements_text`: text on PostgreSQL)."""
    payload = bindparam(None, json.dumps(list(values)), type_=Text)
    if _is_postgresql(session):
        # Start-up: SQLite never needs the PostgreSQL dialect (0.04 s of imports).
        from sqlalchemy.dialects import postgresql

        return func.json_array_elements_text(cast(payload, postgresql.JSON)).table_valued("value")
    return func.json_each(payload).table_valued("value")


def _is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


Row = tuple[Any, ...]


def insert_many(
    session: Session, model: type[Base], columns: Sequence[str], rows: Sequence[Row]
) -> None:
    """executemany in slices, so memory stays flat on a 100,000-row import.

    Rows are tuples in `columns` order: a dict per row cost an import 0.1 s to build and as
    much again to turn back into the driver's tuple."""
    # Core inserts on the table: the ORM's bulk path costs 3x more per row here.
    table: Table = model.__table__  # type: ignore[assignment]
    conn = session.connection()
    if not rows:
        return
    if conn.dialect.name == "postgresql" and copy_rows(conn, table, columns, rows):
        return
    plain = _plain_insert(conn, table, columns)
    for batch in chunked(rows, 5000):
        if plain is None:
            conn.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in batch])
        else:
            sql, constants = plain
            conn.exec_driver_sql(sql, [row + constants for row in batch] if constants else batch)


def _plain_insert(conn: Connection, table: Table, keys: Sequence[str]) -> tuple[str, Row] | None:
    """The INSERT in the driver's own terms, and the constants each row gets after its values,
    when Core would change nothing per row.

    That is: positional parameters (SQLite), no value of the rows needing conversion, and only
    constant defaults for the columns they leave out. Core then spends more time on each row's
    parameters than SQLite on the insert; anything else (a datetime, a callable default) takes
    the Core path.
    """
    dialect = conn.dialect
    if dialect.paramstyle != "qmark":
        return None
    defaults = _constant_defaults(conn, table, keys, now=True)
    if defaults is None:
        return None
    quote = dialect.identifier_preparer
    names = [*keys, *defaults]
    sql = (
        f"INSERT INTO {quote.format_table(table)} "
        f"({', '.join(quote.format_column(table.c[name]) for name in names)}) "
        f"VALUES ({', '.join('?' for _ in names)})"
    )
    return sql, tuple(defaults.values())


def copy_rows(conn: Connection, table: Table, keys: Sequence[str], rows: Sequence[Row]) -> bool:
    """PostgreSQL's COPY, when no value needs converting: one statement for all the rows.

    executemany sends one INSERT per row, and each runs the statement triggers (the tallies)
    once; COPY runs them once. Columns the rows leave out get their Python-side default here
    (COPY only knows the server's); False when a default or a value needs SQLAlchemy.
    """
    defaults = _constant_defaults(conn, table, keys, now=False)
    if defaults is None:
        return False
    quote = conn.dialect.identifier_preparer
    names = [*keys, *defaults]
    columns = ", ".join(quote.format_column(table.c[name]) for name in names)
    constants = tuple(defaults.values())
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor, cursor.copy(f"COPY {quote.format_table(table)} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row + constants)
    return True


def _constant_defaults(
    conn: Connection, table: Table, keys: Sequence[str], *, now: bool
) -> dict[str, Any] | None:
    """The values of the columns `keys` leaves out, as the driver takes them; None when a
    value in `keys` needs converting or a default is not a constant.

    With `now`, a CURRENT_TIMESTAMP default is read once: SQLite works it out again for every
    row of an executemany (a fifth of the insert). PostgreSQL's COPY leaves it to the server.
    """
    dialect = conn.dialect
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
        elif now and _is_now(column):
            defaults[column.key] = conn.exec_driver_sql("SELECT CURRENT_TIMESTAMP").scalar()
    return defaults


def _is_now(column: Any) -> bool:
    default = column.server_default
    return isinstance(getattr(default, "arg", None), functions.current_timestamp)


def ids_by_email(session: Session, keys: Sequence[str]) -> dict[str, int]:
    if len(keys) > WHOLE_SCAN and len(keys) * 4 > _stored(session, 0):
        # One scan of the unique index beats looking each key up, while the keys are a good
        # part of the table; a chunk of 10,000 into a million looks them up.
        wanted = set(keys)
        rows = session.execute(select(Contact.email_key, Contact.id))
        return {key: cid for key, cid in rows if key in wanted}
    # A join, not IN, which makes the keys distinct first: 9 ms of the 45 that 10,000 keys took
    # into a million on PostgreSQL. A key given twice finds its row twice, the same entry.
    keys_table = listed(session, keys)
    found = select(Contact.email_key, Contact.id).join_from(
        keys_table, Contact, Contact.email_key == keys_table.c.value
    )
    return {key: cid for key, cid in session.execute(found)}


def _stored(session: Session, sequence_id: int) -> int:
    """How many contacts there are (sequence 0) or are in a sequence, from the tallies."""
    total = select(func.sum(ContactTally.n)).where(ContactTally.sequence_id == sequence_id)
    return int(session.scalar(total) or 0)


class Upserted(NamedTuple):
    ids: list[int]  # in input order
    added: list[int]  # the contacts this created, ascending
    updated: int


def upsert_contacts(session: Session, inputs: Sequence[ContactInput]) -> Upserted:
    """Insert new contacts and fill in existing ones.

    An existing contact keeps its values where the new row is blank, so re-importing a thinner
    file never erases what the recruiter already had.
    """
    roomy_cache(session, len(inputs))
    keys = [c.email.lower() for c in inputs]
    unique = dict(zip(keys, inputs, strict=True))
    added = _insert_all_new(session, unique)
    if added is not None:
        return Upserted([added[key] for key in keys], list(added.values()), 0)
    existing = ids_by_email(session, list(unique))
    new = {key: c for key, c in unique.items() if key not in existing}
    added = _insert_new(session, new)
    updated = _update_existing(
        session, [(existing[k], c) for k, c in unique.items() if k in existing]
    )
    ids = existing | added
    return Upserted([ids[key] for key in keys], list(added.values()), updated)


def _insert_all_new(session: Session, unique: dict[str, ContactInput]) -> dict[str, int] | None:
    """PostgreSQL, a bulk add none of whose sampled emails is stored: insert them all without
    looking each up first (the look-up was a sixth of a 10,000-contact add at a million); the
    unique index checks them anyway. None, with nothing written, when one turns out stored.

    A file of new people then costs one COPY. A file with stored people in it is caught by the
    sample, or by the index part-way through the COPY, which a savepoint rolls back.
    """
    if not _is_postgresql(session) or len(unique) <= WHOLE_SCAN:
        return None
    keys = list(unique)
    if ids_by_email(session, keys[:: max(1, len(keys) // SAMPLE)]):
        return None
    try:
        with session.begin_nested():
            return _insert_new(session, unique)
    except Exception as exc:  # the COPY's are psycopg's own, unwrapped
        if not _names_stored_email(exc):
            raise
        return None


def _names_stored_email(exc: Exception) -> bool:
    """Whether the error is PostgreSQL refusing a contact for a unique value: its new id comes
    from the sequence, so that is the email (a failing retry says so when it is not)."""
    error = exc.orig if isinstance(exc, DBAPIError) else exc
    diag = getattr(error, "diag", None)
    return getattr(error, "sqlstate", None) == _UNIQUE_VIOLATION and (
        getattr(diag, "table_name", None) == Contact.__tablename__
    )


def _insert_new(session: Session, new: dict[str, ContactInput]) -> dict[str, int]:
    """Inserts the contacts (keyed by lower-cased email) and their sync records; their ids."""
    if not new:
        return {}
    taken = _new_ids(session, len(new))
    # _CONTACT_COLUMNS' order, spelled out: an attrgetter of them cost 0.25 µs more per row.
    rows = [
        (cid, key, c.email, c.first_name, c.last_name, c.title, c.company, c.linkedin_url, c.phone)
        for cid, (key, c) in zip(taken, new.items(), strict=True)
    ]
    # SQLite's ids always form a run; PostgreSQL's do unless another writer took some between.
    run = (taken[0], taken[-1]) if taken[-1] - taken[0] == len(taken) - 1 else None
    conn = session.connection()
    at = [_CONTACT_COLUMNS.index(c) for c in search_index.COLUMNS]
    searched = (row[i] for row in rows for i in at)
    with bulk_pause.paused(conn, run) as paused_run:
        with (
            search_backlog.deferred(conn, run) as waits,
            search_index.pairs_by_client(conn, searched) as pairs,
        ):
            insert_many(session, Contact, _CONTACT_COLUMNS, rows)
        pairs.work_out()
        _add_sync_records(session, taken, run)
    if paused_run:
        # The triggers' work, once per statement.
        bulk_pause.index_contacts(conn, *paused_run)
        bulk_pause.tally_records(conn, *paused_run)
    if len(new) > WHOLE_SCAN and not waits:
        search_index.clean_pending(conn)  # PostgreSQL copied them all into contact_search
    pairs.store()  # last: the thread works while the statements above run
    return dict(zip(new, taken, strict=True))


def _add_sync_records(session: Session, ids: list[int], run: tuple[int, int] | None) -> None:
    state = ContactSyncState.NOT_SYNCED.value
    if run is None:
        insert_many(session, SyncRecord, ("contact_id", "state"), [(cid, state) for cid in ids])
        return
    # A run of ids: the database copies them over itself.
    new_ids = select(Contact.id, literal(state)).where(Contact.id.between(*run))
    columns = ["contact_id", "state"]
    session.execute(insert(SyncRecord).from_select(columns, new_ids.order_by(Contact.id)))


def _new_ids(session: Session, n: int) -> list[int]:
    """Ids for n new contacts, ascending, taken before the insert so none is read back after.

    SQLite gives a new row the largest id plus one (INTEGER PRIMARY KEY without AUTOINCREMENT)
    and the write transaction holds the lock, so these are the ids it would have given.
    PostgreSQL hands them out of the column's sequence, as its default would have; concurrent
    writers may leave gaps in the run.
    """
    if session.get_bind().dialect.name == "postgresql":
        # One array, and the sequence's name looked up once: per row it cost 80 ms of 90.
        taken = text(
            "SELECT array_agg(v ORDER BY v) FROM (SELECT nextval("
            "(SELECT pg_get_serial_sequence('contacts', 'id'))::regclass) AS v "
            "FROM generate_series(1, :n)) AS taken"
        )
        return list(session.scalar(taken, {"n": n}))
    top = session.scalar(select(func.max(Contact.id))) or 0
    return list(range(top + 1, top + 1 + n))


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
    rows = session.execute(select(Contact.id, *columns).where(among(session, Contact.id, ids)))
    return {row[0]: dict(zip(_FIELDS, row[1:], strict=True)) for row in rows}


def enroll(
    session: Session,
    sequence_id: int,
    contact_ids: Sequence[int],
    *,
    sync_enabled: bool,
    created: Iterable[int] = (),
) -> list[int]:
    """Add contacts to a sequence; returns the ids of contacts that were not in it before.

    `created`: those of the contacts this transaction inserted, which no sequence holds yet,
    so only the others are looked up.
    """
    roomy_cache(session, len(contact_ids))
    skip = set(created)
    already = _enrolled(session, sequence_id, [cid for cid in contact_ids if cid not in skip])
    fresh = list(dict.fromkeys(cid for cid in contact_ids if cid not in already))
    values = {"status": "active", "sync_enabled_at_add": sync_enabled, "next_step": 0}
    if len(fresh) > WHOLE_SCAN and _is_run(fresh):
        # Ids in a run (a file of new contacts): the database writes the rows from contacts.
        run = select(Contact.id, literal(sequence_id), *(literal(v) for v in values.values()))
        run = run.where(Contact.id.between(fresh[0], fresh[-1])).order_by(Contact.id)
        columns = ["contact_id", "sequence_id", *values]
        conn = session.connection()
        with bulk_pause.paused(conn, (fresh[0], fresh[-1])) as paused_run:
            session.execute(insert(Enrollment).from_select(columns, run))
        if paused_run:
            bulk_pause.tally_enrollments(conn, sequence_id, *paused_run)
        return fresh
    rows = [(cid, sequence_id, *values.values()) for cid in fresh]
    insert_many(session, Enrollment, ["contact_id", "sequence_id", *values], rows)
    return fresh


def _is_run(ids: list[int]) -> bool:
    """Ascending consecutive integers."""
    return ids[-1] - ids[0] == len(ids) - 1 and all(a < b for a, b in pairwise(ids))


def _enrolled(session: Session, sequence_id: int, contact_ids: Sequence[int]) -> set[int]:
    """Which of the contacts are in the sequence already."""
    if not contact_ids:
        return set()
    in_sequence = select(Enrollment.contact_id).where(Enrollment.sequence_id == sequence_id)
    if len(contact_ids) > WHOLE_SCAN and len(contact_ids) * 4 > _stored(session, sequence_id):
        # As in ids_by_email: one pass over the sequence beats a hundred IN (...) queries.
        wanted = set(contact_ids)
        return {cid for cid in session.scalars(in_sequence) if cid in wanted}
    return set(
        session.scalars(in_sequence.where(among(session, Enrollment.contact_id, contact_ids)))
    )
