"""SQLite's side of the contacts search: the FTS5 queries that narrow a search to candidates.

The index (`search_index.py`) holds each searched value followed by PAD, with `detail=none`:
which rows hold which trigrams, no positions. So a candidate for text of three or more
characters holds all of its trigrams, and one for a shorter text holds a trigram that starts
with it: with the padding, every character of a value starts one. Candidates are a superset of
the rows LIKE matches; `search.py` always applies LIKE to them.
"""

from __future__ import annotations

import sqlite3
import threading
from functools import cache

from sqlalchemy import ColumnElement, Integer, column, literal_column, table, text
from sqlalchemy.orm import Session

FTS_TABLE = "contacts_fts"
#: fts5vocab over FTS_TABLE: one row per distinct trigram, in order, so a range is cheap.
TERMS_TABLE = "contacts_fts_terms"
FTS = table(FTS_TABLE, column("rowid", Integer))
#: A trigram index can only look up text of at least this many characters.
TRIGRAM = 3
#: After every indexed value: control characters no one types, so a one- or two-character
#: search finds every place it occurs as the start of a trigram.
PAD = "\x03\x03"


def matches(query: str) -> ColumnElement[bool]:
    return literal_column(FTS_TABLE).op("MATCH")(query)


def quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def all_trigrams(wanted: str) -> str:
    """Rows holding every trigram of `wanted` (FTS5 folds each quoted trigram's case)."""
    trigrams = dict.fromkeys(wanted[i : i + TRIGRAM] for i in range(len(wanted) - TRIGRAM + 1))
    return " AND ".join(quoted(t) for t in trigrams)


def any_term_starting(session: Session, wanted: str) -> str | None:
    """Rows holding any trigram that starts with `wanted` (one or two characters) as the index
    folds it; None when the index has no such trigram, so no contact contains `wanted`."""
    prefix = "".join(fold(ch) for ch in wanted)
    upper = _after_prefix(prefix)
    query = f"SELECT term FROM {TERMS_TABLE} WHERE term >= :low"
    if upper is not None:
        query += " AND term < :high"
    found = session.scalars(text(query), {"low": prefix, "high": upper})
    terms = [term for term in found if term.startswith(prefix)]
    return " OR ".join(quoted(t) for t in terms) if terms else None


def _after_prefix(prefix: str) -> str | None:
    """The least string greater than every string starting with `prefix`, if there is one."""
    following = ord(prefix[-1]) + 1
    if 0xD800 <= following <= 0xDFFF:
        following = 0xE000  # surrogates are no characters: UTF-8 cannot hold them
    if following > 0x10FFFF:
        return None
    return prefix[:-1] + chr(following)


_folding_lock = threading.Lock()


@cache
def fold(ch: str) -> str:
    """`ch` as the trigram tokenizer stores it (its own case folding, not Python's)."""
    with _folding_lock:
        db = _folder()
        db.execute("DELETE FROM f")
        db.execute("INSERT INTO f(a) VALUES (?)", (ch + PAD,))
        (term,) = db.execute("SELECT term FROM v").fetchone()
    return str(term[0])


@cache
def _folder() -> sqlite3.Connection:
    """An in-memory FTS5 table tokenizing as the store's does: same library, same tokenizer."""
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute("CREATE VIRTUAL TABLE f USING fts5(a, tokenize='trigram')")
    db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(f, 'row')")
    return db
