"""The text indexes behind `search.py`: created by migration `million`, reshaped by `searchpad`,
kept current by the engine.

SQLite: a contentless FTS5 table of trigrams (no second copy of the text), filled in chunks of
ids so a migration of a million contacts can say how far it got, then kept current by triggers
on `contacts` (the insert trigger pauses for bulk writes, bulk_pause.py; all three skip the
contacts waiting in the search backlog, search_backlog.py). PostgreSQL (from migration
`pgsearch`): `contact_search`, each contact's searched values lower-cased, with a `pg_trgm` GIN
index on each, kept by statement triggers on `contacts` that leave the contacts waiting in the
search backlog to its catch-up, as SQLite's do. The indexes were on `contacts` itself before,
where a bulk add paid for them in its own transaction (about half of it). Beside them
(migration `pgpairs`), `contact_pairs`: every pair of adjacent characters in the lower-cased
values, '' standing for a value's start or end, kept by statement triggers on `contacts`;
`search.py` builds the patterns of a one- or two-character search from it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from app.store import pg_flags
from app.store.fts_query import FTS_TABLE, PAD, TERMS_TABLE
from app.store.progress import Progress

log = logging.getLogger(__name__)
STEP = "Indexing contacts for search"
COLUMNS = ("email_key", "first_name", "last_name", "company", "title")
_FILL_CHUNK = 50_000
#: Ids a bulk add left for the index to catch up on (search_backlog.py), from `searchbacklog`.
BACKLOG_TABLE = "search_backlog"
PAIRS_TABLE = "contact_pairs"
#: PostgreSQL's searched text, from migration `pgsearch` (where pg_trgm could be created).
SEARCH_TABLE = "contact_search"
_SEARCH_TRIGGER = "contact_search_keep"
_SEARCH_CHUNK = 200_000
PAIRS_STEP = "Listing the characters contacts hold"
_PAIRS_TRIGGER = "contact_pairs_add"
_PAIRS_CHUNK = 100_000
#: Characters per C call working out pairs (about 2 ms).
_PAIRS_SLICE = 65_536
#: Set (for its transaction) while a bulk add records the pairs itself.
_BY_CLIENT = "escapement.pairs_by_client"
#: Set (for its transaction) while a bulk add inserts a run of contacts it put in the backlog:
#: the insert trigger would test each of them against the backlog to leave it out (about 30 ms
#: per 10,000), from migration `pgbulkchecks`.
DEFERRED = "escapement.search_deferred"
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_EDGE = "\x00"
#: Each PostgreSQL index is one statement; a bigger sort memory builds a GIN index in one pass.
_PG_BUILD_MEMORY = "256MB"
#: New rows wait in each GIN index's pending list and go into the index in bulk when it fills:
#: with the default 4 MB, a 10,000-contact add spent 2.4 s of its 3.9 s in the five indexes;
#: with 64 MB, 1.2 s. Searches read the pending list too, so not more than this.
_PG_PENDING_KIB = 32 * 1024


@dataclass(frozen=True)
class FtsDesign:
    """One shape of the SQLite index: its FTS5 options, and what each value is indexed as."""

    options: str
    pad: str

    def values(self, row: str) -> str:
        """The indexed values of `row` (a table or trigger alias) in COLUMNS order."""
        return ", ".join(f"{row}.{c}{self.pad}" for c in COLUMNS)


#: Migration `million` to `bulkpause`: the values as they are, positions kept for phrases.
PHRASES = FtsDesign("content='contacts', content_rowid='id', tokenize='trigram'", "")
#: From migration `searchpad`: each value followed by PAD (one- and two-character searches
#: look up the trigrams starting with them), no copy of the text and no positions: a third of
#: the writing, and a search asks for trigrams, not phrases (fts_query.py).
PADDED = FtsDesign(
    "content='', tokenize='trigram', detail=none",
    f" || char({', '.join(str(ord(ch)) for ch in PAD)})",
)


def create(conn: Connection, progress: Progress, design: FtsDesign = PADDED) -> None:
    if conn.dialect.name == "sqlite":
        _create_fts(conn, progress, design)
    else:
        create_search_table(conn, progress)


def drop(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        for name in ("insert", "delete", "update"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{name}")
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {TERMS_TABLE}")
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    else:
        drop_search_table(conn)
        drop_contacts_trigram(conn)


def present(conn: Connection) -> FtsDesign:
    """The design of the SQLite index in this store."""
    sql = conn.scalar(text("SELECT sql FROM sqlite_master WHERE name = :name"), {"name": FTS_TABLE})
    return PADDED if sql and "detail=none" in sql else PHRASES


def _create_fts(conn: Connection, progress: Progress, design: FtsDesign) -> None:
    columns = ", ".join(COLUMNS)
    conn.exec_driver_sql(
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({columns}, {design.options})"
    )
    if design is PADDED:
        conn.exec_driver_sql(
            f"CREATE VIRTUAL TABLE {TERMS_TABLE} USING fts5vocab({FTS_TABLE}, 'row')"
        )
    _fill_fts(conn, design, progress)
    write_triggers(conn, design)


def write_triggers(conn: Connection, design: FtsDesign) -> None:
    """(Re)create the triggers keeping the SQLite index, for the store's shape: with a backlog
    table, each skips the rows waiting in it (search_backlog.py). The insert trigger has no
    bulk pause here; bulk_pause.make_pausable adds it."""
    columns = ", ".join(COLUMNS)
    into = f"INSERT INTO {FTS_TABLE}(rowid, {columns})"
    remove = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {columns})"
    new, old = design.values("new"), design.values("old")
    for name in ("insert", "delete", "update"):
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{name}")
    skip_new, skip_old = not_waiting(conn, "new"), not_waiting(conn, "old")
    conn.exec_driver_sql(
        f"CREATE TRIGGER {FTS_TABLE}_insert AFTER INSERT ON contacts "
        f"{when_clause(skip_new)}BEGIN {insert_trigger_body(design)} END"
    )
    when = when_clause(skip_old)
    conn.exec_driver_sql(
        f"CREATE TRIGGER {FTS_TABLE}_delete AFTER DELETE ON contacts {when}BEGIN "
        f"{remove} VALUES ('delete', old.id, {old}); END"
    )
    # Only a change to a searched column touches the index; updated_at changes on every edit.
    conn.exec_driver_sql(
        f"CREATE TRIGGER {FTS_TABLE}_update AFTER UPDATE OF {columns} ON contacts {when}BEGIN "
        f"{remove} VALUES ('delete', old.id, {old}); "
        f"{into} VALUES (new.id, {new}); END"
    )


def when_clause(*conditions: str) -> str:
    """A trigger's WHEN clause requiring every non-empty condition ("" for none)."""
    kept = [c for c in conditions if c]
    return f"WHEN {' AND '.join(kept)} " if kept else ""


def not_waiting(conn: Connection, row: str) -> str:
    """A trigger's condition that contact `row` is not in the search backlog ("" when the
    store has no backlog table: migrations before `searchbacklog`).

    Ranges never overlap, so only the one starting last at or before the id can hold it: one
    read of the primary key."""
    if not has_backlog(conn):
        return ""
    return (
        f"NOT EXISTS (SELECT 1 FROM (SELECT high FROM {BACKLOG_TABLE} WHERE low <= {row}.id "
        f"ORDER BY low DESC LIMIT 1) WHERE high >= {row}.id)"
    )


def has_backlog(conn: Connection) -> bool:
    if conn.dialect.name != "sqlite":
        return _has_table(conn, BACKLOG_TABLE)
    found = conn.scalar(
        text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"),
        {"name": BACKLOG_TABLE},
    )
    return found is not None


def insert_trigger_body(design: FtsDesign) -> str:
    """What the insert trigger does for one new contact (bulk_pause.py pauses it)."""
    columns = ", ".join(COLUMNS)
    return f"INSERT INTO {FTS_TABLE}(rowid, {columns}) VALUES (new.id, {design.values('new')});"


def index_ids(conn: Connection, design: FtsDesign, low: int, high: int) -> None:
    """Index the contacts with ids low..high (what the insert trigger does, set-based)."""
    conn.execute(
        text(
            f"INSERT INTO {FTS_TABLE}(rowid, {', '.join(COLUMNS)}) "
            f"SELECT id, {design.values('contacts')} FROM contacts "
            "WHERE id >= :low AND id <= :high"
        ),
        {"low": low, "high": high},
    )


def _fill_fts(conn: Connection, design: FtsDesign, progress: Progress) -> None:
    """Index the existing contacts in chunks of ids, reporting after each."""
    low, high = conn.execute(text("SELECT min(id), max(id) FROM contacts")).one()
    if low is None:
        return
    start = low
    while start <= high:
        end = start + _FILL_CHUNK
        index_ids(conn, design, start, end - 1)
        progress(STEP, min(1.0, (end - low) / (high - low + 1)))
        start = end


def create_search_table(conn: Connection, progress: Progress) -> None:
    """PostgreSQL's searched text: the table filled in chunks of ids, its trigram indexes and
    the triggers keeping it (nothing without pg_trgm: searches scan, as they always did)."""
    if not _has_pg_trgm(conn):
        log.warning("pg_trgm is not available: contact searches will scan the table")
        return
    columns = ", ".join(f"{c} text" for c in COLUMNS)
    conn.exec_driver_sql(f"CREATE TABLE {SEARCH_TABLE} (contact_id integer PRIMARY KEY, {columns})")
    # The copy is about a sixth of the work, the five index builds the rest.
    _fill_search(conn, lambda step, done: progress(step, done / 6))
    conn.exec_driver_sql(f"SET LOCAL maintenance_work_mem = '{_PG_BUILD_MEMORY}'")
    for done, column in enumerate(COLUMNS):
        progress(STEP, (1 + done) / 6)
        conn.exec_driver_sql(
            f"CREATE INDEX {_trigram_index(column)} "
            f"ON {SEARCH_TABLE} USING gin ({column} gin_trgm_ops) "
            f"WITH (gin_pending_list_limit = {_PG_PENDING_KIB})"
        )
    conn.exec_driver_sql(f"ANALYZE {SEARCH_TABLE}")  # the first searches' plans need its figures
    write_search_triggers(conn)
    progress(STEP, 1.0)


def _fill_search(conn: Connection, progress: Progress) -> None:
    low, high = conn.execute(text("SELECT min(id), max(id) FROM contacts")).one()
    if low is None:
        return
    for start in range(low, high + 1, _SEARCH_CHUNK):
        copy_searched(conn, start, start + _SEARCH_CHUNK - 1, fresh=True)
        progress(STEP, min(1.0, (start + _SEARCH_CHUNK - low) / (high - low + 1)))


def copy_searched(conn: Connection, low: int, high: int, *, fresh: bool = False) -> None:
    """Copy the searched values of contacts low..high into `contact_search`.

    FOR SHARE makes an edit of one of them wait for this transaction, so its trigger then
    sees the copied row and updates it; without the lock the edit's trigger could miss the
    row and leave the old values searched. A row already there is overwritten: an add
    racing a catch-up can put copied ids back in the backlog (search_backlog.py)."""
    columns = ", ".join(COLUMNS)
    overwrite = f"({', '.join(f'excluded.{c}' for c in COLUMNS)})"
    # A migration's fill has the contacts to itself, and an empty table.
    then = (
        ""
        if fresh
        else f" FOR SHARE ON CONFLICT (contact_id) DO UPDATE SET ({columns}) = {overwrite}"
    )
    conn.execute(
        text(
            f"INSERT INTO {SEARCH_TABLE} (contact_id, {columns}) "
            f"SELECT id, {_lowered('contacts')} FROM contacts "
            f"WHERE id >= :low AND id <= :high{then}"
        ),
        {"low": low, "high": high},
    )


def _lowered(row: str) -> str:
    return ", ".join(f"lower({row}.{c})" for c in COLUMNS)


def write_search_triggers(conn: Connection) -> None:
    """(Re)create the statement triggers keeping `contact_search`, for the store's shape: with
    a backlog table, a new contact in one of its ranges is left to the catch-up. An update
    touches only the rows the table holds (a waiting contact is not among them), and only
    when a searched value changed: the trigger runs for every update of the contacts, as
    transition tables refuse a column list."""
    columns = ", ".join(COLUMNS)
    skip = (
        f" WHERE NOT EXISTS (SELECT 1 FROM {BACKLOG_TABLE} b "
        "WHERE new_rows.id BETWEEN b.low AND b.high)"
        if has_backlog(conn)
        else ""
    )
    current = ", ".join(f"s.{c}" for c in COLUMNS)
    work = {
        "insert": (
            "NEW TABLE AS new_rows",
            f"{pg_flags.skip_while(DEFERRED)}"
            f"INSERT INTO {SEARCH_TABLE} (contact_id, {columns}) "
            f"SELECT new_rows.id, {_lowered('new_rows')} FROM new_rows{skip}",
        ),
        "update": (
            "NEW TABLE AS new_rows",
            f"UPDATE {SEARCH_TABLE} s SET ({columns}) = ({_lowered('new_rows')}) FROM new_rows "
            f"WHERE s.contact_id = new_rows.id "
            f"AND ({current}) IS DISTINCT FROM ({_lowered('new_rows')})",
        ),
        "delete": (
            "OLD TABLE AS old_rows",
            f"DELETE FROM {SEARCH_TABLE} s USING old_rows WHERE s.contact_id = old_rows.id",
        ),
    }
    for event, (referencing, body) in work.items():
        name = f"{_SEARCH_TRIGGER}_{event}"
        conn.exec_driver_sql(
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"{body}; RETURN NULL; END $$"
        )
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON contacts")
        conn.exec_driver_sql(
            f"CREATE TRIGGER {name} AFTER {event.upper()} ON contacts REFERENCING {referencing} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
        )


def drop_search_table(conn: Connection) -> None:
    for event in ("insert", "update", "delete"):
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {_SEARCH_TRIGGER}_{event} ON contacts")
        conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {_SEARCH_TRIGGER}_{event}()")
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {SEARCH_TABLE}")


def has_search_table(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql" and _has_table(conn, SEARCH_TABLE)


def _has_table(conn: Connection, name: str) -> bool:
    return bool(conn.scalar(text("SELECT to_regclass(:t) IS NOT NULL"), {"t": name}))


def create_contacts_trigram(conn: Connection, progress: Progress) -> None:
    """The trigram indexes on `contacts` itself, as migrations `million` to `pgpairs` had them
    (going down from `pgsearch`)."""
    conn.exec_driver_sql(f"SET LOCAL maintenance_work_mem = '{_PG_BUILD_MEMORY}'")
    for done, column in enumerate(COLUMNS):
        progress(STEP, done / len(COLUMNS))
        conn.exec_driver_sql(
            f"CREATE INDEX IF NOT EXISTS {_contacts_trigram_index(column)} "
            f"ON contacts USING gin (lower({column}) gin_trgm_ops) "
            f"WITH (gin_pending_list_limit = {_PG_PENDING_KIB})"
        )
    progress(STEP, 1.0)


def drop_contacts_trigram(conn: Connection) -> None:
    for name in CONTACTS_TRIGRAM_INDEXES:
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")


def refresh_statistics(conn: Connection) -> None:
    """PostgreSQL: the planner's figures for `contact_search`, once a catch-up has copied a bulk
    add into it (SQLite's FTS5 needs none).

    Autovacuum gets there within a minute or so, later on a busy server; until then the plans
    assume the table as it was, and searches at a million took 457 ms instead of 40 (at 200,000:
    the slowest 59 ms instead of 18). Sampling 30,000 rows takes a fraction of a second. Only
    the table's owner may; for anyone else PostgreSQL skips it with a warning.
    """
    if has_search_table(conn):
        conn.exec_driver_sql(f"ANALYZE {SEARCH_TABLE}")


def clean_pending(conn: Connection) -> None:
    """Move new rows from the GIN pending lists into the indexes, in the caller's transaction
    (the search backlog's catch-up, or an add that copied many rows at once).

    Every search reads the pending lists in full: after adding 60,000 contacts a search took
    86 ms with them and 32 ms after this, which cost 0.9 s (about 0.15 s per 10,000 rows).
    Only the indexes' owner may; anyone else leaves them to autovacuum.
    """
    if conn.dialect.name != "postgresql":
        return
    try:
        with conn.begin_nested():
            conn.execute(
                text(
                    "SELECT gin_clean_pending_list(to_regclass(name)) "
                    "FROM unnest(CAST(:names AS text[])) name WHERE to_regclass(name) IS NOT NULL"
                ),
                {"names": list(TRIGRAM_INDEXES)},
            )
    except DBAPIError as exc:
        log.info(
            "left the search indexes' pending lists to autovacuum: %s", str(exc).splitlines()[0]
        )


def create_pairs(conn: Connection, progress: Progress) -> None:
    """The table of adjacent characters, filled from the contacts, and its triggers; only
    where trigram indexes exist (on `contact_search` or, before `pgsearch`, on `contacts`),
    as the patterns built from it need them."""
    if conn.dialect.name != "postgresql" or not _has_trigram_indexes(conn):
        return
    conn.exec_driver_sql(
        f"CREATE TABLE {PAIRS_TABLE} (a text NOT NULL, b text NOT NULL, PRIMARY KEY (a, b))"
    )
    _fill_pairs(conn, progress)
    conn.exec_driver_sql(
        f"CREATE FUNCTION {_PAIRS_TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"{pg_flags.skip_while(_BY_CLIENT)}"
        f"{_PAIRS_OF_NEW_ROWS}; RETURN NULL; END $$"
    )
    for event in ("INSERT", "UPDATE"):
        conn.exec_driver_sql(
            f"CREATE TRIGGER {_PAIRS_TRIGGER}_{event.lower()} AFTER {event} ON contacts "
            f"REFERENCING NEW TABLE AS new_rows "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {_PAIRS_TRIGGER}()"
        )


def drop_pairs(conn: Connection) -> None:
    if conn.dialect.name != "postgresql":
        return
    for event in ("insert", "update"):
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {_PAIRS_TRIGGER}_{event} ON contacts")
    conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {_PAIRS_TRIGGER}()")
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {PAIRS_TABLE}")


#: The triggers' work, for the few rows an edit or a single add writes: in SQL it costs about
#: 0.5 s per 10,000 contacts, so bulk adds do it in Python instead (`pairs_by_client`).
_PAIRS_OF_NEW_ROWS = (
    f"INSERT INTO {PAIRS_TABLE} (a, b) "
    "SELECT DISTINCT substr(v, i, 1), substr(v, i + 1, 1) "
    f"FROM ({' UNION '.join(f'SELECT lower({c}) FROM new_rows' for c in COLUMNS)}) vals(v), "
    "generate_series(0, length(v)) i WHERE v <> '' ORDER BY 1, 2 ON CONFLICT DO NOTHING"
)


Pairs = set[tuple[str, str]]


class ClientPairs:
    """A bulk add's pairs, worked out in a thread and stored by the add itself; with no
    connection (a store without the pairs table), nothing.

    Their Python (40-70 ms of a 10,000-contact add at a million) runs while the add waits for
    the server: `work_out` just before a long statement (the sync records' insert), `store`
    after the last. Started earlier, the thread took the GIL from the COPY's own Python and
    held the next statement back."""

    def __init__(self, conn: Connection | None, values: Iterable[object]) -> None:
        self._conn = conn
        self._values = values
        self._ascii_lowers = conn is not None and _ascii_lowers(conn)
        self._working: Future[tuple[Pairs, list[str]]] | None = None

    def work_out(self) -> None:
        """Start on them, once the rows `values` come from are written (once)."""
        if self._conn is not None and self._working is None:
            job = _pairs_worker().submit(_client_pairs, self._values, self._ascii_lowers)
            self._working = job

    def store(self) -> None:
        self.work_out()
        if self._conn is None or self._working is None:
            return
        found, other = self._working.result()
        if other:
            query = text("SELECT lower(v) FROM unnest(CAST(:vs AS text[])) v")
            found |= _pairs(self._conn.scalars(query, {"vs": other}).all())
        _store_pairs(self._conn, found)


@contextmanager
def pairs_by_client(conn: Connection, values: Iterable[object]) -> Iterator[ClientPairs]:
    """Pause the pairs triggers for the block (this transaction only), which writes the rows
    `values` come from (only the thread iterates them); yields what works out and stores
    their pairs after the block. Nothing is stored where there is no pairs table."""
    if conn.dialect.name != "postgresql" or not has_pairs(conn):
        yield ClientPairs(None, values)
        return
    pairs = ClientPairs(conn, values)
    with pg_flags.raised(conn, _BY_CLIENT):
        yield pairs


@cache
def _pairs_worker() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="escapement-pairs")


def has_pairs(conn: Connection) -> bool:
    return bool(conn.scalar(text("SELECT to_regclass(:t) IS NOT NULL"), {"t": PAIRS_TABLE}))


def _client_pairs(values: Iterable[object], ascii_lowers: bool) -> tuple[Pairs, list[str]]:
    """The pairs of the values Python lower-cases as the server does (what LIKE compares
    with), and the values left for the server to lower-case.

    ASCII lower-cases the same in Python wherever the server does so for A-Z (not in a Turkish
    locale); anything else the server lower-cases itself.
    """
    distinct = {v for v in values if isinstance(v, str) and v}
    plain = [v for v in distinct if v.isascii()] if ascii_lowers else []
    return _pairs(v.lower() for v in plain), list(distinct.difference(plain))


def _ascii_lowers(conn: Connection) -> bool:
    return bool(conn.scalar(text(f"SELECT lower('{_UPPER}') = '{_UPPER.lower()}'")))


def _pairs(lowered: Iterable[str]) -> Pairs:
    """A NUL joins the values into one string, so one pass finds every pair; no stored value
    holds a NUL. '' stands for a value's start or end."""
    joined = _EDGE + _EDGE.join(lowered) + _EDGE
    found: set[tuple[str, str]] = set()
    for at in range(0, len(joined), _PAIRS_SLICE):
        # Slices: one C call over the whole string would hold the GIL from the add's thread.
        found.update(pairwise(joined[at : at + _PAIRS_SLICE + 1]))
    found.discard((_EDGE, _EDGE))
    return {(a.strip(_EDGE), b.strip(_EDGE)) for a, b in found}


def _store_pairs(conn: Connection, found: Pairs) -> None:
    if not found:
        return
    ordered = sorted(found)
    conn.execute(
        text(
            f"INSERT INTO {PAIRS_TABLE} (a, b) SELECT a, b "
            "FROM unnest(CAST(:a AS text[]), CAST(:b AS text[])) p(a, b) "
            "ORDER BY a, b ON CONFLICT DO NOTHING"
        ),
        {"a": [a for a, _ in ordered], "b": [b for _, b in ordered]},
    )


def _fill_pairs(conn: Connection, progress: Progress) -> None:
    """The pairs of every contact, in chunks of ids (the values lower-cased by the server)."""
    low, high = conn.execute(text("SELECT min(id), max(id) FROM contacts")).one()
    if low is None:
        return
    lowered = ", ".join(f"lower({c})" for c in COLUMNS)
    query = text(f"SELECT {lowered} FROM contacts WHERE id >= :low AND id < :high")
    for start in range(low, high + 1, _PAIRS_CHUNK):
        rows = conn.execute(query, {"low": start, "high": start + _PAIRS_CHUNK})
        _store_pairs(conn, _pairs({v for row in rows for v in row if v}))
        progress(PAIRS_STEP, min(1.0, (start + _PAIRS_CHUNK - low) / (high - low + 1)))


def _has_trigram_indexes(conn: Connection) -> bool:
    return _all_exist(conn, TRIGRAM_INDEXES) or has_contacts_trigram(conn)


def has_contacts_trigram(conn: Connection) -> bool:
    """Whether the trigram indexes are still on `contacts` (before migration `pgsearch`)."""
    return _all_exist(conn, CONTACTS_TRIGRAM_INDEXES)


def _all_exist(conn: Connection, names: tuple[str, ...]) -> bool:
    found = conn.scalar(
        text(
            "SELECT count(*) FROM unnest(CAST(:names AS text[])) n WHERE to_regclass(n) IS NOT NULL"
        ),
        {"names": list(names)},
    )
    return bool(found == len(names))


def _has_pg_trgm(conn: Connection) -> bool:
    """Create the extension if this role may (it is trusted: a database owner can)."""
    try:
        with conn.begin_nested():
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DBAPIError as exc:  # any refusal: no index, and searches still work (they scan)
        log.warning("could not create pg_trgm: %s", str(exc).splitlines()[0])
        return False
    return True


def _trigram_index(column: str) -> str:
    return f"ix_{SEARCH_TABLE}_{column}_trgm"


def _contacts_trigram_index(column: str) -> str:
    return f"ix_contacts_{column}_trgm"


TRIGRAM_INDEXES = tuple(_trigram_index(column) for column in COLUMNS)
CONTACTS_TRIGRAM_INDEXES = tuple(_contacts_trigram_index(column) for column in COLUMNS)
