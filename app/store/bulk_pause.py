"""Bulk inserts on SQLite pause the per-row insert triggers and catch up once per statement.

SQLite has only row triggers: adding 10,000 contacts ran the tally and search-index triggers
30,000 times, and a row of FTS5 at a time costs six times one `INSERT ... SELECT` of them all
(0.97 s against 0.15 s for 10,000 contacts). While a row is in `bulk_writes` the insert
triggers on `contacts`, `sync_records` and `enrollments` skip (their WHEN clause); the bulk
path writes the marker, inserts, removes it, and applies the same change set-based. The marker
lives and dies inside the caller's transaction, so no other connection ever sees it, and a
rollback takes it with everything else.

PostgreSQL's triggers already run once per statement (and COPY is one statement), and a
bulk add there leaves `contact_search` to the search backlog's catch-up before it inserts
(search_backlog.deferred). Its tally insert triggers still join each statement's rows to the
other table (0.05 to 0.08 s of a 10,000-row add at a million contacts), so they pause too, on a
setting local to the transaction (tallies.PG_PAUSE_SETTING), for a run of new ids, whose
catch-up is one statement for the run.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text

from app.store import pg_flags, search_backlog, search_index, tallies
from app.store.fts_query import FTS_TABLE
from app.store.tallies import sqlite_bump, sqlite_enrol

MARKER = "bulk_writes"
#: The WHEN clause of a pausable trigger.
NOT_PAUSED = f"NOT EXISTS (SELECT 1 FROM {MARKER})"


def _insert_triggers(conn: Connection) -> list[tuple[str, str, str, str]]:
    """(name, table, condition, body) of the triggers a bulk insert pauses, as migration
    `million` made them; the index's also skips a contact in the search backlog."""
    design = search_index.present(conn)
    return [
        ("tally_sync_insert", "sync_records", "", sqlite_bump("+", "new")),
        ("tally_enrol_insert", "enrollments", "", sqlite_enrol("+", "new")),
        (
            f"{FTS_TABLE}_insert",
            "contacts",
            search_index.not_waiting(conn, "new"),
            search_index.insert_trigger_body(design),
        ),
    ]


def make_pausable(conn: Connection, pausable: bool = True) -> None:
    """Recreate the SQLite insert triggers with the marker's WHEN clause (or without it), for
    the search index the store has."""
    if conn.dialect.name != "sqlite":
        return
    pause = NOT_PAUSED if pausable else ""
    for name, table, condition, body in _insert_triggers(conn):
        when = search_index.when_clause(pause, condition)
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
        conn.exec_driver_sql(
            f"CREATE TRIGGER {name} AFTER INSERT ON {table} {when}BEGIN {body} END"
        )


@contextmanager
def paused(conn: Connection, run: tuple[int, int] | None) -> Iterator[tuple[int, int] | None]:
    """Pause the insert triggers for the block, for rows whose ids form `run`; yields the run
    it paused for, which the caller then catches up once per statement, or None: without a
    run nothing pauses. On PostgreSQL only the tally triggers pause."""
    if run is None:
        yield None
    elif conn.dialect.name != "sqlite":
        with pg_flags.raised(conn, tallies.PG_PAUSE_SETTING):
            yield run
    else:
        conn.exec_driver_sql(f"INSERT INTO {MARKER} (id) VALUES (1)")
        try:
            yield run
        finally:
            conn.exec_driver_sql(f"DELETE FROM {MARKER}")


def index_contacts(conn: Connection, low: int, high: int) -> None:
    """What the search-index insert trigger would have done for contacts low..high, or, for
    a run of many, leave them to the search backlog's catch-up (search_backlog.py). Nothing
    on PostgreSQL, whose search trigger does not pause."""
    if conn.dialect.name == "sqlite":
        search_backlog.index_or_defer(conn, low, high)


_ADD = (
    "INSERT INTO contact_tallies (sequence_id, state, n) "
    "SELECT sequence_id, state, sum(n) FROM ({rows}) AS delta WHERE true "
    "GROUP BY sequence_id, state ORDER BY sequence_id, state "
    "ON CONFLICT (sequence_id, state) DO UPDATE SET n = contact_tallies.n + excluded.n"
)


#: The sync records of contacts :low..:high by state, counted under `sequence`.
_RUN_BY_STATE = (
    "SELECT {sequence} AS sequence_id, state, count(*) AS n FROM sync_records "
    "WHERE contact_id BETWEEN :low AND :high GROUP BY state"
)


def tally_records(conn: Connection, low: int, high: int) -> None:
    """What the sync-record insert trigger would have done for contacts low..high: count each
    new record overall and in every sequence its contact is in."""
    rows = (
        f"{_RUN_BY_STATE.format(sequence='0')} "
        "UNION ALL SELECT e.sequence_id, s.state, count(*) FROM sync_records s "
        "JOIN enrollments e ON e.contact_id = s.contact_id "
        "WHERE s.contact_id BETWEEN :low AND :high AND e.contact_id BETWEEN :low AND :high "
        "GROUP BY e.sequence_id, s.state"
    )
    conn.execute(text(_ADD.format(rows=rows)), {"low": low, "high": high})


def tally_enrollments(conn: Connection, sequence_id: int, low: int, high: int) -> None:
    """What the enrollment insert trigger would have done for the sequence's contacts
    low..high, which the insert just before enrolled, every one of them and none before it
    (`contacts.enroll` takes a run only of contacts not yet in the sequence): count each in
    the sequence under its contact's state.

    So the records of the run are the ones to count, and no join to the enrollments is
    needed: PostgreSQL looked each of the 10,000 rows up in the other table (21 ms at a
    million), where one range of the records' primary key takes 3 ms."""
    rows = _RUN_BY_STATE.format(sequence=":seq")
    conn.execute(text(_ADD.format(rows=rows)), {"seq": sequence_id, "low": low, "high": high})
