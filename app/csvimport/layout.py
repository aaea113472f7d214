"""Find the delimiter and the header row.

csv.Sniffer guesses from character frequencies and is easily fooled by commas inside names, so
each candidate delimiter is tried instead: the right one is the one under which a header cell
names an email column, and, if several qualify (a one-column file), the one whose following rows
have the header's number of fields most often.

The header is the first row, among the first 10 non-blank ones, with an email column: Sales
Navigator and some CRM exports put notes lines above it, and Excel may put a `sep=;` line there.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from app.csvimport.columns import EMAIL_HEADER_HINT, is_email_header
from app.csvimport.decoding import CsvFileError
from app.csvimport.records import Record, read_records
from app.csvimport.values import shorten

DELIMITERS = (",", ";", "\t")  # in order of preference when the evidence is equal
HEADER_SEARCH_ROWS = 10
_CONSISTENCY_ROWS = 20
_MAX_HEADERS_IN_MESSAGE = 8


@dataclass(frozen=True)
class Layout:
    delimiter: str
    header: Record


@dataclass(frozen=True)
class _Candidate:
    layout: Layout
    consistency: float  # share of the next rows with as many fields as the header


def detect_layout(lines: list[str]) -> Layout:
    """The delimiter and header record, or CsvFileError naming the accepted email headers."""
    candidates = [c for c in (_try_delimiter(lines, d) for d in DELIMITERS) if c is not None]
    if not candidates:
        raise CsvFileError(_no_email_column_message(lines))
    # max() keeps the first of equals, so DELIMITERS order breaks ties.
    best = max(candidates, key=lambda c: (c.consistency, len(c.layout.header.cells)))
    return best.layout


def _non_blank(records: Iterator[Record]) -> Iterator[Record]:
    return (r for r in records if r.problem is not None or any(c.strip() for c in r.cells))


def _try_delimiter(lines: list[str], delimiter: str) -> _Candidate | None:
    records = _non_blank(read_records(lines, delimiter))
    for record in islice(records, HEADER_SEARCH_ROWS):
        if any(is_email_header(cell) for cell in record.cells):
            width = len(record.cells)
            following = list(islice(records, _CONSISTENCY_ROWS))
            matching = sum(1 for r in following if len(r.cells) == width)
            consistency = matching / len(following) if following else 1.0
            return _Candidate(Layout(delimiter, record), consistency)
    return None


def _no_email_column_message(lines: list[str]) -> str:
    message = f"No email column found. {EMAIL_HEADER_HINT}"
    first_rows = [next(_non_blank(read_records(lines, d)), None) for d in DELIMITERS]
    widest = max((r for r in first_rows if r is not None), key=lambda r: len(r.cells), default=None)
    if widest is None or not widest.cells:
        return message
    shown = [shorten(cell) for cell in widest.cells[:_MAX_HEADERS_IN_MESSAGE]]
    more = ", …" if len(widest.cells) > _MAX_HEADERS_IN_MESSAGE else ""
    return f"{message} The first row has: {', '.join(shown)}{more}."
