"""The contacts search: which contacts contain the typed text, served by the engine's text index.

The result is exactly what the plain scan (`column LIKE '%text%'` on each searched column) has
always returned; the index only narrows which rows the scan looks at:

- SQLite: `contacts_fts`, an FTS5 table with the trigram tokenizer over the searched columns
  (see `search_index.py` and `fts_query.py`). Its case folding maps every letter to one form,
  a superset of LIKE's ASCII-only folding, so the index finds every row LIKE would; LIKE then
  checks each candidate, which drops the rows only Unicode folding matched. Text of three or
  more characters looks up its trigrams; one or two characters look up the index's terms that
  start with them (each value is indexed with two padding characters after it, so every
  character starts a trigram), unless a probe of the first rows shows they are common, when
  reading the table in order finds a page sooner.
- PostgreSQL: a `pg_trgm` GIN index on each `lower(column)`, the very expression searched, so
  the planner serves the unchanged query from the indexes. One or two characters have no
  trigram and scan; an index of each contact's characters was measured and left out (it cost
  a quarter of every bulk add and a minute of migration at a million contacts, and still took
  0.5 to 1.3 s for two common letters; docs/performance.md).

The index is joined to the contacts, not asked for a list of ids first: FTS5 yields its rows
in rowid order, so a page of 200 (or a count capped at a few thousand) stops as soon as it has
them. Pages in id order therefore order and page by the index's rowid (`SearchPlan.id_key`).

While contacts a bulk add stored wait for the index (`search_backlog.py`), the plan also
carries the span of their ids, and every row in it is tested with LIKE alone: a count reads
the index's matches outside the span and the span's rows as one UNION ALL, and a page in id
order reads the two apart, each in id order, and merges them (`SearchPlan.arms`). Without a
backlog (one read of a tiny table says so) the plan is the join above.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, or_, select, union_all
from sqlalchemy.orm import Session

from app.errors import InputError
from app.store import fts_query, search_backlog
from app.store.models import Contact

SEARCHED = (
    Contact.email_key,
    Contact.first_name,
    Contact.last_name,
    Contact.company,
    Contact.title,
)
FTS_TABLE = fts_query.FTS_TABLE
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


@dataclass(frozen=True)
class SearchPlan:
    """How one search reads the contacts: the exact test, the index query narrowing it, and
    the span of ids waiting for the index (search_backlog.py), which only the test can see."""

    scan: ColumnElement[bool]
    index_query: str | None = None
    waiting: tuple[int, int] | None = None

    def apply[*Ts](self, query: Select[*Ts], *, in_id_order: bool = True) -> Select[*Ts]:
        """`query` narrowed to the matches. Read `in_id_order`, the index drives the join;
        otherwise (a page in email order walks the email index) it gives the set of ids."""
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
        if self.index_query is None or self.waiting is None:
            return None
        in_span = Contact.id.between(*self.waiting)
        return SearchPlan(self.scan & ~in_span, self.index_query), SearchPlan(self.scan & in_span)

    @property
    def id_key(self) -> Any:
        """The column a page in id order sorts and pages by: the index's rowid when joined, as
        the index yields its rows in that order and takes a range on it."""
        joined = self.index_query is not None and self.waiting is None
        return fts_query.FTS.c.rowid if joined else Contact.id


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
    """Contacts whose email, names, company or title contain `search`, ignoring ASCII case."""
    wanted = search_text(search).lower()
    if "\x00" in wanted:
        # SQLite ends a LIKE pattern at a NUL, so "%\x00%" would match every row; no stored
        # field holds a NUL (imports refuse them), so such a search matches none.
        return SearchPlan(false())
    dialect = session.get_bind().dialect.name
    pattern = f"%{escape_like(wanted)}%"
    scan = or_(*(like(dialect, column, pattern) for column in SEARCHED))
    if dialect != "sqlite":
        return SearchPlan(scan)  # the planner uses the trigram indexes itself
    waiting = search_backlog.span(session.connection())
    if len(wanted) >= fts_query.TRIGRAM:
        return SearchPlan(scan, fts_query.all_trigrams(wanted), waiting)
    if _is_common(session, pattern):
        return SearchPlan(scan)
    terms = fts_query.any_term_starting(session, wanted)
    if terms is not None:
        return SearchPlan(scan, terms, waiting)
    # No indexed contact holds the text; only those waiting for the index may.
    return SearchPlan(false()) if waiting is None else SearchPlan(scan & _in(waiting))


def _in(span: tuple[int, int]) -> ColumnElement[bool]:
    return Contact.id.between(*span)


def _is_common(session: Session, pattern: str) -> bool:
    """Whether LIKE `pattern` matches at least COMMON of the first PROBE_ROWS contacts."""
    first = select(*SEARCHED).order_by(Contact.id).limit(PROBE_ROWS).subquery()
    test = or_(*(like("sqlite", column, pattern) for column in first.c))
    hits = select(first.c[0]).where(test).limit(COMMON).subquery()
    return (session.scalar(select(func.count()).select_from(hits)) or 0) >= COMMON


def like(dialect: str, column: Any, pattern: str) -> ColumnElement[bool]:
    """`column` matches the lower-cased `pattern`, ignoring case.

    SQLite's LIKE already ignores the case of ASCII letters, and its lower() changes nothing
    else, so lower() there only costs time. PostgreSQL's LIKE is case-sensitive and needs it;
    its trigram indexes are built on that same lower(column).
    """
    if dialect == "sqlite":
        return column.like(pattern, escape="\\")  # type: ignore[no-any-return]
    return func.lower(column).like(pattern, escape="\\")


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
