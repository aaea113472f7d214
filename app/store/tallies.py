"""Contact counts without a scan: `contact_tallies` holds how many contacts are in each sync
state, overall (sequence_id 0) and per sequence, kept by triggers in the same transaction as
the change, so a count is always exact and costs one small read.

Every way a contact's state or sequences change goes through `sync_records` or `enrollments`,
so triggers on those two tables see them all, whichever module writes. SQLite runs row
triggers; PostgreSQL statement triggers over the transition tables for inserts and updates
(one aggregate per statement, so a 100,000-row insert does not run 100,000 trigger calls) and
row triggers for deletes, each applying its change in one ordered upsert so two transactions
take the tally rows in the same order.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, select, text
from sqlalchemy.orm import Session

from app.domain import ContactFilter
from app.store import pg_flags
from app.store.models import ContactTally

ALL = 0  # sequence_id of the overall tallies; real sequence ids start at 1

_REBUILD = (
    "INSERT INTO contact_tallies (sequence_id, state, n) "
    "SELECT 0, state, count(*) FROM sync_records GROUP BY state",
    "INSERT INTO contact_tallies (sequence_id, state, n) "
    "SELECT e.sequence_id, s.state, count(*) FROM enrollments e "
    "JOIN sync_records s ON s.contact_id = e.contact_id GROUP BY e.sequence_id, s.state",
)


def serves(flt: ContactFilter) -> bool:
    """Whether the tallies can count `flt`: they know sequences and states, nothing else."""
    return not flt.search.strip() and not flt.candidate_statuses


def count(session: Session, flt: ContactFilter) -> int:
    """Contacts matching a filter the tallies serve: one read of the tallies."""
    assert serves(flt), "a search or a candidate status is counted by a query"
    query = select(func.coalesce(func.sum(ContactTally.n), 0)).where(
        ContactTally.sequence_id == (flt.sequence_id or ALL)
    )
    if flt.states:
        query = query.where(ContactTally.state.in_(sorted(s.value for s in flt.states)))
    return int(session.scalar(query) or 0)


def rebuild(conn: Connection) -> None:
    """Recount from the tables: the migration's first fill, and a repair."""
    conn.execute(text("DELETE FROM contact_tallies"))
    for statement in _REBUILD:
        conn.execute(text(statement))


def create_triggers(conn: Connection) -> None:
    statements = _SQLITE if conn.dialect.name == "sqlite" else _POSTGRES
    for statement in statements:
        conn.exec_driver_sql(statement)


def steer_joins(conn: Connection, by_index: bool = True) -> None:
    """Make PostgreSQL's insert and update tally triggers join by index (or undo it).

    Their statement's rows join `enrollments` or `sync_records`. For 10,000 rows the planner
    hashed or merged the whole other table (0.2 s of a 10,000-contact add at 200,000 contacts,
    and growing with the table); looking each row up by its index took 0.03 s. Set on the
    function, so only the trigger's own queries plan this way.
    """
    if conn.dialect.name != "postgresql":
        return
    settings = "SET enable_hashjoin = off SET enable_mergejoin = off" if by_index else "RESET ALL"
    for _, name in _PG_TRIGGERS:
        if not name.endswith("_delete"):  # row triggers: one row, already by index
            conn.exec_driver_sql(f"ALTER FUNCTION {name}() {settings}")


def pausable_inserts(conn: Connection, pausable: bool = True) -> None:
    """Give PostgreSQL's insert triggers the bulk pause (PG_PAUSE_SETTING), or take it away."""
    if conn.dialect.name != "postgresql":
        return
    conn.exec_driver_sql(_pg_function("tally_sync_insert", _PG_SYNC_INSERT, pausable))
    conn.exec_driver_sql(_pg_function("tally_enrol_insert", _PG_ENROL_INSERT, pausable))
    steer_joins(conn)  # a replaced function loses its settings


def drop_triggers(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        for name in _SQLITE_TRIGGERS:
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
        return
    for table, name in _PG_TRIGGERS:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {name}()")


# --- SQLite: row triggers -------------------------------------------------------------------


def sqlite_bump(sign: str, row: str) -> str:
    """Add `sign`1 to the overall tally and each of the contact's sequences for row.state."""
    return (
        f"INSERT INTO contact_tallies (sequence_id, state, n) VALUES (0, {row}.state, {sign}1) "
        f"ON CONFLICT (sequence_id, state) DO UPDATE SET n = n {sign} 1; "
        f"INSERT INTO contact_tallies (sequence_id, state, n) "
        f"SELECT sequence_id, {row}.state, {sign}1 FROM enrollments "
        f"WHERE contact_id = {row}.contact_id "
        f"ON CONFLICT (sequence_id, state) DO UPDATE SET n = n {sign} 1;"
    )


def sqlite_enrol(sign: str, row: str) -> str:
    """Add `sign`1 to the sequence's tally for the contact's state (if it has a record yet)."""
    return (
        f"INSERT INTO contact_tallies (sequence_id, state, n) "
        f"SELECT {row}.sequence_id, state, {sign}1 FROM sync_records "
        f"WHERE contact_id = {row}.contact_id "
        f"ON CONFLICT (sequence_id, state) DO UPDATE SET n = n {sign} 1;"
    )


_SQLITE_TRIGGERS = (
    "tally_sync_insert",
    "tally_sync_delete",
    "tally_sync_update",
    "tally_enrol_insert",
    "tally_enrol_delete",
    "tally_enrol_update",
)
_SQLITE = (
    f"CREATE TRIGGER tally_sync_insert AFTER INSERT ON sync_records "
    f"BEGIN {sqlite_bump('+', 'new')} END",
    f"CREATE TRIGGER tally_sync_delete AFTER DELETE ON sync_records "
    f"BEGIN {sqlite_bump('-', 'old')} END",
    f"CREATE TRIGGER tally_sync_update AFTER UPDATE OF state, contact_id ON sync_records "
    f"WHEN old.state IS NOT new.state OR old.contact_id IS NOT new.contact_id "
    f"BEGIN {sqlite_bump('-', 'old')} {sqlite_bump('+', 'new')} END",
    f"CREATE TRIGGER tally_enrol_insert AFTER INSERT ON enrollments "
    f"BEGIN {sqlite_enrol('+', 'new')} END",
    f"CREATE TRIGGER tally_enrol_delete AFTER DELETE ON enrollments "
    f"BEGIN {sqlite_enrol('-', 'old')} END",
    f"CREATE TRIGGER tally_enrol_update AFTER UPDATE OF sequence_id, contact_id ON enrollments "
    f"WHEN old.sequence_id IS NOT new.sequence_id OR old.contact_id IS NOT new.contact_id "
    f"BEGIN {sqlite_enrol('-', 'old')} {sqlite_enrol('+', 'new')} END",
)

# --- PostgreSQL: statement triggers over transition tables ------------------------------------

#: Rows of (sequence_id, state, d) from a transition table of sync_records (`rows`), with sign.
_PG_SYNC_DELTA = (
    "SELECT 0 AS sequence_id, r.state, {sign} AS d FROM {rows} r "
    "UNION ALL SELECT e.sequence_id, r.state, {sign} FROM {rows} r "
    "JOIN enrollments e ON e.contact_id = r.contact_id"
)
_PG_ENROL_DELTA = (
    "SELECT r.sequence_id, s.state, {sign} AS d FROM {rows} r "
    "JOIN sync_records s ON s.contact_id = r.contact_id"
)
_PG_APPLY = (
    "INSERT INTO contact_tallies AS t (sequence_id, state, n) "
    "SELECT sequence_id, state, sum(d) FROM ({delta}) delta GROUP BY sequence_id, state "
    "HAVING sum(d) <> 0 ORDER BY sequence_id, state "
    "ON CONFLICT (sequence_id, state) DO UPDATE SET n = t.n + EXCLUDED.n"
)


#: Set (local to a transaction) while a bulk insert leaves its tallies to one catch-up
#: statement (bulk_pause.py): the insert triggers' join cost a 10,000-row add 50 to 80 ms.
PG_PAUSE_SETTING = "escapement.tallies_paused"


def _pg_function(name: str, delta: str, pausable: bool) -> str:
    skip = pg_flags.skip_while(PG_PAUSE_SETTING) if pausable else ""
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"{skip}{_PG_APPLY.format(delta=delta)}; RETURN NULL; END $$"
    )


def _pg_trigger(table: str, name: str, event: str, delta: str, referencing: str) -> list[str]:
    return [
        _pg_function(name, delta, pausable=event == "INSERT"),
        f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {referencing} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
    ]


def _pg_row_delete(table: str, name: str, delta: str) -> list[str]:
    """Deletes count row by row, before each row goes: deleting a contact cascades to its sync
    record and its enrollments as two statements, and a statement trigger on either would find
    the other already gone (as the SQLite row triggers, each side then counts once)."""
    return [
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"{_PG_APPLY.format(delta=delta)}; RETURN OLD; END $$",
        f"CREATE TRIGGER {name} BEFORE DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()",
    ]


def _both(template: str) -> str:
    return (
        template.format(sign="1", rows="new_rows")
        + " UNION ALL "
        + template.format(sign="-1", rows="old_rows")
    )


_PG_TRIGGERS = (
    ("sync_records", "tally_sync_insert"),
    ("sync_records", "tally_sync_delete"),
    ("sync_records", "tally_sync_update"),
    ("enrollments", "tally_enrol_insert"),
    ("enrollments", "tally_enrol_delete"),
    ("enrollments", "tally_enrol_update"),
)
_NEW, _OLD = "NEW TABLE AS new_rows", "OLD TABLE AS old_rows"
_PG_SYNC_INSERT = _PG_SYNC_DELTA.format(sign="1", rows="new_rows")
_PG_ENROL_INSERT = _PG_ENROL_DELTA.format(sign="1", rows="new_rows")
_POSTGRES = [
    *_pg_trigger("sync_records", "tally_sync_insert", "INSERT", _PG_SYNC_INSERT, _NEW),
    *_pg_row_delete(
        "sync_records",
        "tally_sync_delete",
        "SELECT 0 AS sequence_id, OLD.state AS state, -1 AS d UNION ALL "
        "SELECT sequence_id, OLD.state, -1 FROM enrollments WHERE contact_id = OLD.contact_id",
    ),
    # Updates that leave the state alone (most of the sync worker's) cancel out in the sum.
    *_pg_trigger(
        "sync_records", "tally_sync_update", "UPDATE", _both(_PG_SYNC_DELTA), f"{_OLD} {_NEW}"
    ),
    *_pg_trigger("enrollments", "tally_enrol_insert", "INSERT", _PG_ENROL_INSERT, _NEW),
    *_pg_row_delete(
        "enrollments",
        "tally_enrol_delete",
        "SELECT OLD.sequence_id AS sequence_id, state, -1 AS d FROM sync_records "
        "WHERE contact_id = OLD.contact_id",
    ),
    *_pg_trigger(
        "enrollments", "tally_enrol_update", "UPDATE", _both(_PG_ENROL_DELTA), f"{_OLD} {_NEW}"
    ),
]
