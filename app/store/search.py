"""The contacts search: which contacts contain the typed text, served by the engine's text index.

The result is exactly what the plain scan (`column LIKE '%text%'` on each searched column) has
always returned; the index only narrows which rows the scan looks at:

- SQLite: `contacts_fts`, an FTS5 table with the trigram tokenizer over the searched columns,
  kept current by triggers (see `search_index.py`). Its case folding maps every letter to one
  form, a superset of LIKE's ASCII-only folding, so the index finds every row LIKE would; LIKE
  then checks each candidate, which drops the rows only Unicode folding matched.
- PostgreSQL: a `pg_trgm` GIN index on each `lower(column)`, the very expression searched, so
  the planner serves the unchanged query from the indexes.

A search shorter than three characters has no trigram to look up, on either engine: it scans
(see docs/performance.md for why that stays fast enough for a page, and how counts cope).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, literal_column, or_, select, table

from app.errors import InputError
from app.store.models import Contact

SEARCHED = (
    Contact.email_key,
    Contact.first_name,
    Contact.last_name,
    Contact.company,
    Contact.title,
)
#: A trigram index can only look up text of at least this many characters.
TRIGRAM = 3
FTS_TABLE = "contacts_fts"
#: Longer than any name, email, company or title; SQLite refuses LIKE patterns over 50,000
#: bytes, and a pasted page of text is not a search.
MAX_SEARCH = 200


def search_text(search: str) -> str:
    """The text a search looks for; a search longer than MAX_SEARCH is refused."""
    text = search.strip()
    if len(text) > MAX_SEARCH:
        raise InputError(
            f"A search can be at most {MAX_SEARCH} characters; this one is {len(text):,}."
        )
    return text


def is_indexed(text: str) -> bool:
    """Whether the index can serve a search for `text` (as typed, before stripping)."""
    return len(text.strip().lower()) >= TRIGRAM


def contains(dialect: str, text: str) -> ColumnElement[bool]:
    """Contacts whose email, names, company or title contain `text`, ignoring case as before."""
    wanted = search_text(text).lower()
    if "\x00" in wanted:
        # SQLite ends a LIKE pattern at a NUL, so "%\x00%" would match every row; no stored
        # field holds a NUL (imports refuse them), so such a search matches none.
        return false()
    pattern = f"%{escape_like(wanted)}%"
    scan = or_(*(like(dialect, column, pattern) for column in SEARCHED))
    if dialect == "sqlite" and len(wanted) >= TRIGRAM:
        return and_(Contact.id.in_(_fts_rowids(wanted)), scan)
    return scan


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


def _fts_rowids(wanted: str) -> Any:
    """The rows of the FTS5 table that contain `wanted` as one phrase: a substring match."""
    phrase = '"' + wanted.replace('"', '""') + '"'
    fts = table(FTS_TABLE, literal_column("rowid"))
    return (
        select(literal_column("rowid"))
        .select_from(fts)
        .where(literal_column(FTS_TABLE).op("MATCH")(phrase))
    )
