"""The contacts search: which contacts contain the typed text, served by the engine's text index.

The result is exactly what the plain scan (`contains` on each searched column: LIKE '%text%'
ignoring case, see below) returns; the index only narrows which rows the scan looks at:

- SQLite: `contacts_fts`, an FTS5 table with the trigram tokenizer over the searched columns
  (see `search_index.py` and `fts_query.py`). Its case folding maps every letter to one form,
  a superset of the test's folding (LIKE's ASCII-only one, or the letter classes of
  `search_case.py` for searches with letters outside ASCII), so the index finds every row the
  test accepts; the test then checks each candidate. Text of three or
  more characters looks up its trigrams; one or two characters look up the index's terms that
  start with them (each value is indexed with two padding characters after it, so every
  character starts a trigram), unless a probe of the first rows shows they are common, when
  reading the table in order finds a page sooner.
- PostgreSQL: `contact_search` holds each contact's searched values lower-cased, with a
  `pg_trgm` GIN index on each (search_index.py); the contacts are joined to its rows that
  match the same LIKE pattern, which is exactly the scan's test, as the values are the very
  lower(column) the scan compares. One or two characters have no
  trigram of their own; `contact_pairs` (search_index.py) lists every pair of adjacent
  characters the values hold, so the places such a search can stand are known: a pattern for
  each, the search with the character before it (and, for one character, after it), gives
  pg_trgm a trigram holding the search ("xqy", or a word's padded " q"/"q "), and together the
  patterns match exactly the rows the scan would (`pg_patterns`). No pair, no contact holds
  it. Characters pg_trgm does not count as letters in the server's locale (non-ASCII ones
  under the C locale, punctuation) scan, and so do searches the probe finds in one contact
  in 20 (`PG_COMMON`): there the scan in id order is quicker than testing the patterns.

The index is joined to the contacts, not asked for a list of ids first: FTS5 yields its rows
in rowid order, so a page of 200 (or a count capped at a few thousand) stops as soon as it has
them. Pages in id order therefore order and page by the index's rowid (`SearchPlan.id_key`).
PostgreSQL's planner picks its own order; a page also bounds `contact_search`'s key, as the
server does not carry an inequality across a join (`SearchPlan.joined_key`).

While contacts a bulk add stored wait for the index (`search_backlog.py`, both engines), the
plan also carries the span of their ids, and every row in it is tested with LIKE alone: a
count reads the index's matches outside the span and the span's rows as one UNION ALL, and a
page in id order reads the two apart, each in id order, and merges them (`SearchPlan.arms`).
Without a backlog (one read of a tiny table says so) the plan is the join above.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Integer,
    Select,
    Text,
    any_,
    bindparam,
    column,
    false,
    func,
    or_,
    select,
    table,
    text,
    union_all,
)
from sqlalchemy.orm import Session

from app.errors import InputError
from app.store import fts_query, search_backlog, search_case, search_index
from app.store.models import Contact

SEARCHED = (
    Contact.email_key,
    Contact.first_name,
    Contact.last_name,
    Contact.company,
    Contact.title,
)
FTS_TABLE = fts_query.FTS_TABLE
#: PostgreSQL's searched text (search_index.py); outside the models, as it exists only there.
SEARCH = table(
    search_index.SEARCH_TABLE,
    column("contact_id", Integer),
    *(column(name, Text) for name in search_index.COLUMNS),
)
#: Longer than any name, email, company or title; SQLite refuses LIKE patterns over 50,000
#: bytes, and a pasted page of text is not a search.
MAX_SEARCH = 200
#: A short search first reads this many contacts in id order...
PROBE_ROWS = 2_000
#: ...and scans instead of using the index when at least this many match (half): the scan
#: then fills a page within 400 rows and counts to the cap within about 10,000, while the
#: index would first read the lists of rows of the matching trigrams, which hold most of the
#: table (for "e", 95 trigrams holding 5 million rows in all at a million contacts).
COMMON = PROBE_ROWS // 2
#: PostgreSQL's patterns (`pg_patterns`) only narrow a scan in id order that the planner keeps
#: choosing while a search is in a few percent of the contacts, and each row then tests them
#: all: at 1M, "k", "y", "w" and "7" (5 to 30 %) took 57-145 ms with them, 24-37 ms scanning.
#: At one contact in 20 the scan counts to the cap within 100,000 rows.
PG_COMMON = PROBE_ROWS // 20
#: A character with many different neighbours makes before x after patterns; past this many
#: (each one bitmap index scan per column) the scan in id order is the safer cost. The bench's
#: million contacts give 2 to 121 ("7") for one character.
MAX_PATTERNS = 400


@dataclass(frozen=True)
class SearchPlan:
    """How one search reads the contacts: the exact test, the index query narrowing it, and
    the span of ids waiting for the index (search_backlog.py), which only the test can see."""

    scan: ColumnElement[bool]
    index_query: str | None = None
    waiting: tuple[int, int] | None = None
    #: PostgreSQL: LIKE patterns on `contact_search` that its trigram indexes serve, each
    #: matching only rows that contain the search, together matching every such row: the
    #: search's own pattern, or those of `pg_patterns`. They decide alone for the rows there.
    patterns: tuple[str, ...] = ()
    #: PostgreSQL, the indexed arm of `arms`: only contacts outside this span.
    outside: tuple[int, int] | None = None

    def apply[*Ts](self, query: Select[*Ts], *, in_id_order: bool = True) -> Select[*Ts]:
        """`query` narrowed to the matches. Read `in_id_order`, the index drives the join;
        otherwise (a page in email order walks the email index) it gives the set of ids."""
        if self.patterns:
            return self._searched(query, in_id_order)
        if self.index_query is None:
            return query.where(self.scan)
        if self.waiting is not None:
            narrowed = _with_waiting(query, self.index_query, self.waiting, in_id_order)
            return narrowed.where(self.scan)
        rowid, match = fts_query.FTS.c.rowid, fts_query.matches(self.index_query)
        if in_id_order:
            query = query.join(fts_query.FTS, rowid == Contact.id).where(match)
        else:
            query = query.where(Contact.id.in_(select(rowid).where(match)))
        return query.where(self.scan)

    def arms(self) -> tuple[SearchPlan, SearchPlan] | None:
        """With contacts waiting for the index: the plans for the indexed contacts outside
        their span and for the span, each read in id order by its own index (the rowid
        order of the index's join, a range of the contacts' key), so a page of each stops
        early; the caller merges them. None without a wait."""
        if (self.index_query is None and not self.patterns) or self.waiting is None:
            return None
        in_span = Contact.id.between(*self.waiting)
        if self.patterns:
            indexed = SearchPlan(self.scan, patterns=self.patterns, outside=self.waiting)
            return indexed, SearchPlan(self.scan & in_span)
        return SearchPlan(self.scan & ~in_span, self.index_query), SearchPlan(self.scan & in_span)

    @property
    def id_key(self) -> Any:
        """The column a page in id order sorts and pages by: the index's rowid when joined, as
        the index yields its rows in that order and takes a range on it."""
        joined = self.index_query is not None and self.waiting is None
        return fts_query.FTS.c.rowid if joined else Contact.id

    @property
    def joined_key(self) -> Any:
        """PostgreSQL: `contact_search`'s key when it is joined, for a page to bound as well."""
        return SEARCH.c.contact_id if self.patterns and self.waiting is None else None

    def _searched[*Ts](self, query: Select[*Ts], in_id_order: bool) -> Select[*Ts]:
        """PostgreSQL: the contacts whose `contact_search` row matches, and the span's rows
        that the scan matches. A count reads the two as one UNION ALL (an OR would have the
        server test every contact in turn)."""
        found = _any_like(self.patterns)
        key = SEARCH.c.contact_id
        if self.waiting is None:
            query = query.join(SEARCH, key == Contact.id).where(found)
            return query if self.outside is None else query.where(~_in(self.outside))
        in_span = _in(self.waiting) & self.scan
        if not in_id_order:
            return query.where(or_(in_span, Contact.id.in_(select(key).where(found))))
        outside = select(key.label("id")).where(found, ~key.between(*self.waiting))
        candidates = union_all(outside, select(Contact.id).where(in_span)).subquery("candidates")
        return query.join(candidates, candidates.c.id == Contact.id)


def _with_waiting[*Ts](
    query: Select[*Ts], index_query: str, waiting: tuple[int, int], in_id_order: bool
) -> Select[*Ts]:
    """The index's matches outside the waiting span, and every row in it.

    A count joins the two as one UNION ALL (an OR made SQLite collect and sort every
    match of the index: 0.3 s at a million). A page in id order reads `arms` instead."""
    rowid, match = fts_query.FTS.c.rowid, fts_query.matches(index_query)
    low, high = waiting
    if not in_id_order:
        indexed = Contact.id.in_(select(rowid).where(match))
        return query.where(or_(Contact.id.between(low, high), indexed))
    outside = select(rowid.label("id")).where(match, ~rowid.between(low, high))
    inside = select(Contact.id).where(Contact.id.between(low, high))
    candidates = union_all(outside, inside).subquery("candidates")
    return query.join(candidates, candidates.c.id == Contact.id)


def search_text(search: str) -> str:
    """The text a search looks for; a search longer than MAX_SEARCH is refused."""
    text = search.strip()
    if len(text) > MAX_SEARCH:
        raise InputError(
            f"A search can be at most {MAX_SEARCH} characters; this one is {len(text):,}."
        )
    return text


def plan(session: Session, search: str) -> SearchPlan:
    """Contacts whose email, names, company or title contain `search`, ignoring case
    (`contains`)."""
    typed = search_text(search)
    # One character for each typed: Python lowers "İ" to two, and the index lookups below go
    # by the search's length (the index folds each character its own way meanwhile).
    wanted = "".join(search_case.simple_lower(ch) for ch in typed)
    if "\x00" in wanted:
        # SQLite ends a LIKE pattern at a NUL, so "%\x00%" would match every row; no stored
        # field holds a NUL (imports refuse them), so such a search matches none.
        return SearchPlan(false())
    dialect = session.get_bind().dialect.name
    scan = or_(*(contains(dialect, column, typed) for column in SEARCHED))
    if dialect != "sqlite":
        return _on_postgres(session, typed, scan)
    waiting = search_backlog.span(session.connection())
    if len(wanted) >= fts_query.TRIGRAM:
        return SearchPlan(scan, fts_query.all_trigrams(wanted), waiting)
    if _is_common(session, dialect, typed):
        return SearchPlan(scan)
    terms = fts_query.any_term_starting(session, wanted)
    if terms is not None:
        return SearchPlan(scan, terms, waiting)
    # No indexed contact holds the text; only those waiting for the index may.
    return SearchPlan(false()) if waiting is None else SearchPlan(scan & _in(waiting))


def _in(span: tuple[int, int]) -> ColumnElement[bool]:
    return Contact.id.between(*span)


def _is_common(session: Session, dialect: str, typed: str) -> bool:
    """Whether `typed` is in at least COMMON (PG_COMMON) of the first PROBE_ROWS."""
    common = COMMON if dialect == "sqlite" else PG_COMMON
    first = select(*SEARCHED).order_by(Contact.id).limit(PROBE_ROWS).subquery()
    test = or_(*(contains(dialect, column, typed) for column in first.c))
    hits = select(first.c[0]).where(test).limit(common).subquery()
    return (session.scalar(select(func.count()).select_from(hits)) or 0) >= common


def _on_postgres(session: Session, typed: str, scan: ColumnElement[bool]) -> SearchPlan:
    conn = session.connection()
    if not search_index.has_search_table(conn):
        return SearchPlan(scan)  # no pg_trgm, so no table: searches scan, as they always did
    waiting = search_backlog.span(conn)
    if len(typed) >= fts_query.TRIGRAM:
        # The server lowers it, as the scan does (`contains`).
        return SearchPlan(scan, waiting=waiting, patterns=(f"%{escape_like(typed)}%",))
    if _is_common(session, "postgresql", typed):
        return SearchPlan(scan)
    # The pairs hold the values as the server lowers them, and so must the search: under the
    # C locale it leaves "Å" as it is, where Python's lower() gave "å", found in no pair.
    wanted = str(session.scalar(select(func.lower(_written(typed)))))
    return _short_on_postgres(session, wanted, scan, waiting)


def _short_on_postgres(
    session: Session, wanted: str, scan: ColumnElement[bool], waiting: tuple[int, int] | None
) -> SearchPlan:
    """One or two characters on PostgreSQL: the patterns `contact_pairs` gives, when it exists
    and the server's pg_trgm takes every character for part of a word; else the scan. A bulk
    add records its pairs at once, so they cover the contacts waiting for the index too."""
    if not search_index.has_pairs(session.connection()):
        return SearchPlan(scan)
    pairs = session.execute(
        text(f"SELECT a, b FROM {search_index.PAIRS_TABLE} WHERE a = :x OR b = :x"),
        {"x": wanted[0]},
    ).all()
    found = pg_patterns(wanted, [(a, b) for a, b in pairs])
    if not found:
        return SearchPlan(false())
    if len(found) > MAX_PATTERNS:
        return SearchPlan(scan)  # planning that many index scans would cost more than it saves
    if not session.scalar(_ONE_WORD, {"wanted": wanted}):
        return SearchPlan(scan)  # no trigram holds these characters whole (see `pg_patterns`)
    return SearchPlan(scan, waiting=waiting, patterns=found)


#: Whether pg_trgm (in the server's locale) makes one word of `wanted`: a word of n characters
#: has n + 1 trigrams. Otherwise a pattern may give the index no trigram holding the search.
_ONE_WORD = text("SELECT coalesce(array_length(show_trgm(:wanted), 1), 0) = length(:wanted) + 1")


def pg_patterns(wanted: str, pairs: list[tuple[str, str]]) -> tuple[str, ...]:
    """LIKE patterns for `wanted` (one or two characters) from the pairs of adjacent characters
    the contacts hold ('' for a value's start or end): each place `wanted` occurs, with the
    character before it and (for one character) the one after it. Each pattern contains the
    search, so matches only rows that do; every occurrence has its neighbours among the pairs,
    so together they match every such row. No pattern, no contact holds it.

    pg_trgm pads each word with spaces and drops other characters, so a pattern gives the
    index a trigram holding the search: "xqy", or " q"/"q " where a neighbour is no letter."""
    first, last = wanted[0], wanted[-1]
    before = sorted({a for a, b in pairs if b == first})
    if len(wanted) == 2 and (first, last) not in pairs:
        return ()
    after = sorted({b for a, b in pairs if a == last}) if len(wanted) == 1 else [None]
    return tuple(_neighboured(a, wanted, b) for a in before for b in after)


def _neighboured(before: str, wanted: str, after: str | None) -> str:
    """LIKE pattern: `wanted` after `before` and before `after`; '' is the value's edge, None
    anything."""
    head = "" if before == "" else "%" + escape_like(before)
    tail = "%" if after is None else "" if after == "" else escape_like(after) + "%"
    return head + escape_like(wanted) + tail


def _any_like(patterns: tuple[str, ...]) -> ColumnElement[bool]:
    """Some column of `contact_search` (lower-cased already) matches one of `patterns` (LIKE's
    default escape is backslash), each written into the statement (`_written`): a generic
    plan for a bound array counted a rare search in 2.9 s instead of 73 ms."""
    searched = [SEARCH.c[name] for name in search_index.COLUMNS]
    if len(patterns) == 1:
        # The search's own pattern is as typed: the server lowers it, as `contains` does (the
        # short searches' patterns are lower-cased already, which this leaves as they are).
        lowered = func.lower(_written(patterns[0]))
        return or_(*(c.like(lowered, escape="\\") for c in searched))
    # Start-up: SQLite never needs the PostgreSQL dialect (0.04 s of imports).
    from sqlalchemy.dialects import postgresql

    array = postgresql.array([_written(p) for p in patterns])
    return or_(*(c.like(any_(array)) for c in searched))


def contains(dialect: str, column: Any, typed: str) -> ColumnElement[bool]:
    """`column` contains the search as typed, ignoring case.

    SQLite: LIKE, which ignores ASCII case, or GLOB with a class per letter when the search
    holds letters with other cases outside ASCII (`search_case.py`). PostgreSQL: lower() on
    both sides, so the server folds the search as it folds the values (fully on a UTF-8
    locale, ASCII only on C); `contact_search` holds that same lower(column).
    """
    pattern = f"%{escape_like(typed)}%"
    if dialect == "sqlite":
        return search_case.contains(column, typed, pattern)
    return func.lower(column).like(func.lower(_written(pattern)), escape="\\")


def _written(pattern: str) -> BindParameter[str]:
    """`pattern` written into the statement on PostgreSQL rather than bound: psycopg prepares
    a statement it has run five times, and then the server may plan it once for any pattern.
    That generic plan took every search for one or two characters through the trigram
    indexes, which have no trigram to look up for them and read the whole of each: 2 to 5 s
    from about the tenth search of a session on (bench/short_search.py at 1M)."""
    return bindparam(None, pattern, Text, literal_execute=True)


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
