"""How a search ignores case on SQLite, beyond ASCII.

SQLite's LIKE ignores the case of ASCII letters only: searching "élodie" did not find "Élodie",
and since the search was lower-cased first, neither did searching "Élodie". A search holding a
letter with other cases outside ASCII is therefore tested with GLOB instead, each letter as the
class of its cases ("[Éé]lodie" for both ASCII and not): GLOB reads UTF-8 classes, LIKE has none.

A letter's cases are the characters that Python's str.lower() maps to the same single character
(É and é; Ǆ, ǅ and ǆ; ẞ and ß; not ß and "ss", nor İ, whose lower case is two characters), kept
only where the FTS5 trigram tokenizer folds them to one form too: the index must find every row
the test then accepts. Searches within ASCII keep LIKE, so they behave exactly as before.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement

from app.store import fts_query

#: GLOB's own characters, each written as a class of itself to stand for itself.
_GLOB_SPECIAL = frozenset("*?[")


def contains(column: Any, typed: str, like_pattern: str) -> ColumnElement[bool]:
    """`column` contains `typed`, ignoring case; `like_pattern` is the LIKE pattern for it."""
    if not needs_classes(typed):
        return column.like(like_pattern, escape="\\")  # type: ignore[no-any-return]
    return column.op("GLOB")(f"*{glob_classes(typed)}*")  # type: ignore[no-any-return]


def needs_classes(typed: str) -> bool:
    """Whether `typed` holds a letter outside ASCII that has other cases."""
    return not typed.isascii() and any(len(cases(ch)) > 1 for ch in typed if not ch.isascii())


def glob_classes(typed: str) -> str:
    """A GLOB pattern matching `typed` in any mix of its letters' cases."""
    return "".join(_glob_class(ch) for ch in typed)


def _glob_class(ch: str) -> str:
    found = cases(ch)
    if len(found) > 1:
        return "[" + "".join(sorted(found)) + "]"
    return f"[{ch}]" if ch in _GLOB_SPECIAL else ch


@cache
def cases(ch: str) -> frozenset[str]:
    """`ch` and the other characters with its lower case, that the index folds as it does."""
    lower = simple_lower(ch)
    same = {lower, *_capitals().get(lower, ())}
    if len(same) == 1:
        return frozenset({ch})
    folded = fts_query.fold(ch)
    return frozenset(c for c in same if c == ch or fts_query.fold(c) == folded)


def simple_lower(ch: str) -> str:
    """`ch`'s lower case when that is one character, else `ch` itself."""
    lower = ch.lower()
    return lower if len(lower) == 1 else ch


@cache
def _capitals() -> dict[str, tuple[str, ...]]:
    """Every character whose lower case is another single character, by that lower case.

    Built once, on the first search that needs it (about 0.2 s, off the GUI thread; two
    threads at once may both build it, with the same result)."""
    found: defaultdict[str, list[str]] = defaultdict(list)
    for point in range(sys.maxunicode + 1):
        ch = chr(point)
        lower = ch.lower()
        if lower != ch and len(lower) == 1:
            found[lower].append(ch)
    return {lower: tuple(chars) for lower, chars in found.items()}
