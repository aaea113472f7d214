"""The search-index backlog: contacts a bulk add stored but left for the index to catch up.

Filling the FTS5 index was a third of a 10,000-contact add into a million on SQLite (0.19 of
0.53 s) and 1.9 s of a 100,000-row import's 4.6 s of storing; on PostgreSQL the trigram GIN
indexes and their pending lists' clean-up were half of an add's 1.1 s. So a bulk add of at
least FROM_ROWS new contacts records their id range in `search_backlog` (in its own
transaction) instead, and `catch_up` indexes the ranges later, CHUNK ids per transaction, so
no writer waits long for the lock.

The invariant, kept in every transaction: a contact whose id lies in a backlog range is not in
the index; any other contact is. Hence:

- the triggers keeping `contacts_fts` skip a row in a range (search_index.py): the contentless
  index can only delete a row given its exact indexed values, and a rowid inserted twice
  corrupts it; PostgreSQL's insert trigger on `contacts` leaves a new row in a range out of
  `contact_search`, and its update trigger only rewrites rows the table holds;
- a catch-up indexes a range's rows as they are then and removes that part of the range in the
  same transaction, so a killed process leaves either the range or the indexed rows;
- searches look at the index's matches and at every row in the backlog's span with the plain
  LIKE test (search.py), so results are exactly the scan's while a backlog waits.

Ranges never overlap: adding one merges it with any range it overlaps or touches (new ids can
reuse ids of deleted rows still in a range, which are in no index either).

PostgreSQL records a bulk add's run of ids before inserting them (`deferred`), so the insert
trigger skips them, and the catch-up copies them into `contact_search` and cleans the GIN
pending lists. Its writers do not wait for one another as SQLite's do: an add merging its range
with one a catch-up is taking apart can put ids already copied back in the backlog. So there a
waiting contact may also be in the table (searches test the span with LIKE anyway, and the
catch-up overwrites the row); the half that matters holds: every contact outside the ranges is
in it, with its current values. A store without pg_trgm has no `contact_search` and never
writes the backlog.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text

from app.store import pg_flags, search_index

TABLE = search_index.BACKLOG_TABLE
#: Ids indexed per catch-up transaction: a median 0.2 s, at most 0.45 s, at a million contacts
#: on the loaded 2-core machine (docs/performance.md), so a writer never waits longer for one.
CHUNK = 10_000
#: A bulk add of fewer new contacts indexes them at once: a few milliseconds, and no catch-up
#: transaction (one more commit and fsync) after it.
FROM_ROWS = 1_000
#: A migration holds the lock anyway: bigger chunks, as the index's first fill uses.
_DRAIN_CHUNK = 50_000


def index_or_defer(conn: Connection, low: int, high: int) -> None:
    """SQLite: index new contacts low..high now, or leave them to the catch-up (`_waits`)."""
    if _waits(conn, low, high):
        record(conn, low, high)
    else:
        search_index.index_ids(conn, search_index.PADDED, low, high)


@contextmanager
def deferred(conn: Connection, run: tuple[int, int] | None) -> Iterator[bool]:
    """PostgreSQL, around a bulk add's insert of its contacts: put their run of ids in the
    backlog if they should wait, and for the block tell the insert trigger they all do, so it
    leaves them out of `contact_search` without testing each; else the trigger copies them
    itself. Yields whether they wait."""
    if run is None or not _should_wait(conn, *run):
        yield False
        return
    record(conn, *run)
    with pg_flags.raised(conn, search_index.DEFERRED):
        yield True


def _should_wait(conn: Connection, low: int, high: int) -> bool:
    if conn.dialect.name != "postgresql":
        return False
    return _waits(conn, low, high) and search_index.has_search_table(conn)


def _waits(conn: Connection, low: int, high: int) -> bool:
    """A run of FROM_ROWS or more waits, and so does one reaching into a range (ids of deleted
    contacts given again), or the catch-up would index them twice."""
    return high - low + 1 >= FROM_ROWS or _touches(conn, low, high)


#: The ranges that overlap or touch :low..:high.
_TOUCHING = "WHERE low <= :high + 1 AND high >= :low - 1"


def _touches(conn: Connection, low: int, high: int) -> bool:
    found = conn.scalar(
        text(f"SELECT 1 FROM {TABLE} {_TOUCHING} LIMIT 1"), {"low": low, "high": high}
    )
    return found is not None


def record(conn: Connection, low: int, high: int) -> None:
    """Put ids low..high in the backlog, merged with the ranges it overlaps or touches."""
    params = {"low": low, "high": high}
    first, last = conn.execute(
        text(f"SELECT min(low), max(high) FROM {TABLE} {_TOUCHING}"), params
    ).one()
    conn.execute(text(f"DELETE FROM {TABLE} {_TOUCHING}"), params)
    merged = {
        "low": low if first is None else min(low, first),
        "high": high if last is None else max(high, last),
    }
    conn.execute(text(f"INSERT INTO {TABLE} (low, high) VALUES (:low, :high)"), merged)


def span(conn: Connection) -> tuple[int, int] | None:
    """The least and greatest id waiting, or None when the index is complete.

    Searches test every row in between with LIKE: rows indexed meanwhile are tested twice,
    which costs a little and changes no result, and one span is one condition on the id."""
    low, high = conn.execute(text(f"SELECT min(low), max(high) FROM {TABLE}")).one()
    return None if low is None else (int(low), int(high))


def waiting(conn: Connection) -> int:
    """How many ids wait (some may belong to no contact: deleted since)."""
    return int(conn.scalar(text(f"SELECT coalesce(sum(high - low + 1), 0) FROM {TABLE}")) or 0)


def catch_up(conn: Connection, limit: int = CHUNK) -> int:
    """Index the first `limit` ids waiting, in the caller's transaction; how many still wait."""
    first = conn.execute(text(f"SELECT low, high FROM {TABLE} ORDER BY low LIMIT 1")).first()
    if first is None:
        return 0
    low, high = first
    end = min(high, low + max(1, limit) - 1)
    if conn.dialect.name == "sqlite":
        search_index.index_ids(conn, search_index.present(conn), low, end)
    else:
        search_index.copy_searched(conn, low, end)
        search_index.clean_pending(conn)
    if end == high:
        conn.execute(text(f"DELETE FROM {TABLE} WHERE low = :low"), {"low": low})
    else:
        moved = {"low": low, "start": end + 1}
        conn.execute(text(f"UPDATE {TABLE} SET low = :start WHERE low = :low"), moved)
    left = waiting(conn)
    if not left:
        search_index.refresh_statistics(conn)
    return left


def drain(conn: Connection) -> None:
    """Index everything waiting, in the caller's transaction (a migration's)."""
    while catch_up(conn, _DRAIN_CHUNK):
        pass
