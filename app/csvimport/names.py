"""Split a single "Name" column into first and last name.

Convention (there is no correct answer for every culture; this one fits the Western names that
dominate recruiters' exports and never loses a word):

- "Last, First" — a comma separates the family name from the given names: "Müller, Zoë Anna"
  gives first "Zoë Anna", last "Müller".
- Otherwise the last word is the last name and everything before it the first name:
  "Mary Ann Smith" gives first "Mary Ann", last "Smith".
- Particles (any case) directly before the last word belong to it:
  "Ludwig van Beethoven" gives last "van Beethoven", "José de la Cruz" gives "de la Cruz".
- Leading honorifics are dropped ("Dr. Jane Doe" gives first "Jane").
- Generational and degree suffixes stay with the last name, without a comma:
  "John Smith, Jr." and "Smith, John, Jr." both give first "John", last "Smith Jr.".
- A single word is a first name: "Cher" gives first "Cher", last "".
"""

from __future__ import annotations

_HONORIFICS = frozenset({"dr", "mr", "mrs", "ms", "miss", "mx", "prof", "sir", "dame", "rev"})
# "V" is not listed: it is far more often an initial than "the fifth".
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md", "esq", "mba", "cpa"})
_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "ter", "ten"}
)


def split_name(full: str) -> tuple[str, str]:
    """(first, last) from a full name; see the module docstring for the convention."""
    pieces = [piece.strip() for piece in full.split(",") if piece.strip()]
    if not pieces:
        return "", ""
    suffixes = [piece for piece in pieces[1:] if _is_suffix(piece)]
    core = [pieces[0], *(piece for piece in pieces[1:] if not _is_suffix(piece))]
    if len(core) == 2:
        first = " ".join(_drop_honorifics(core[1].split()))
        last = " ".join(_drop_honorifics(core[0].split()))
    else:
        # No comma (or too many to mean "Last, First"): read the words in order.
        first, last, trailing = _split_words(_drop_honorifics(" ".join(core).split()))
        suffixes = trailing + suffixes
    return first, " ".join([last, *suffixes]).strip()


def _split_words(words: list[str]) -> tuple[str, str, list[str]]:
    trailing: list[str] = []
    while len(words) > 1 and _key(words[-1]) in _SUFFIXES:
        trailing.insert(0, words.pop())
    if len(words) == 1:
        return words[0], "", trailing
    start = len(words) - 1
    # Keep at least one word as the first name: "Van Morrison" is first "Van".
    while start > 1 and _key(words[start - 1]) in _PARTICLES:
        start -= 1
    return " ".join(words[:start]), " ".join(words[start:]), trailing


def _drop_honorifics(words: list[str]) -> list[str]:
    while len(words) > 1 and _key(words[0]) in _HONORIFICS:
        words = words[1:]
    return words


def _is_suffix(piece: str) -> bool:
    return all(_key(word) in _SUFFIXES for word in piece.split())


def _key(word: str) -> str:
    return word.casefold().strip(".")
