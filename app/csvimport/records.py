"""Read CSV records with the physical line each one starts on, surviving unbalanced quotes.

Line numbers are what a recruiter needs to find a rejected row in a text editor, so they count
physical lines (a quoted field with newlines makes one record span several lines), not records.

The csv module in non-strict mode silently accepts a quote that is never closed: the field just
runs to the end of the file, swallowing every later row. To notice that, the line list ends with
a sentinel line holding a NUL (which decoding guarantees the file itself does not contain): a
well-formed file yields it as a record of its own, while an unclosed quote swallows it. The broken
record is reported and reading resumes on the line after the one where it started.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Generator, Iterator
from itertools import islice
from typing import NamedTuple

_SENTINEL = "\x00"
_SENTINEL_LINE = _SENTINEL + "\n"
# Each recovery may re-read the rest of the file; a file this broken is not worth more.
_MAX_RECOVERIES = 20
UNBALANCED_QUOTE = 'unbalanced quote: a field opened with " on this line is never closed'


class Record(NamedTuple):
    line: int  # 1-based physical line where the record starts
    end_line: int  # 1-based physical line where it ends
    cells: list[str]
    problem: str | None = None  # set when the record could not be read at all


_new_record = tuple.__new__


def split_lines(text: str) -> list[str]:
    """Physical lines (any of \\r\\n, \\n, \\r ends one) plus the sentinel line."""
    if not text.endswith(("\n", "\r")):
        text += "\n"
    # newline="" splits on all three line endings but keeps them, as csv.reader needs.
    lines = io.StringIO(text, newline="").readlines()
    lines.append(_SENTINEL_LINE)
    return lines


def read_records(lines: list[str], delimiter: str, start: int = 0) -> Iterator[Record]:
    """Records from `lines` (made by split_lines), beginning at the 0-based line index `start`."""
    for _ in range(_MAX_RECOVERIES + 1):
        broken = yield from _read_until_broken(lines, delimiter, start)
        if broken is None:
            return
        yield broken
        start = broken.line  # the 0-based index of the line after the broken record's first
    if start < len(lines) - 1:
        yield Record(start + 1, len(lines) - 1, [], "not read: too many unbalanced quotes above")


def _read_until_broken(
    lines: list[str], delimiter: str, start: int
) -> Generator[Record, None, Record | None]:
    # Yields the good records; returns the record that stopped reading, or None at the end.
    # skipinitialspace lets `a, "b, c"` quote as people who type CSV by hand expect.
    reader = csv.reader(islice(lines, start, None), delimiter=delimiter, skipinitialspace=True)
    consumed = 0
    try:
        for cells in reader:
            line = start + consumed + 1
            consumed = reader.line_num
            if cells and _SENTINEL in cells[-1]:
                if cells == [_SENTINEL]:
                    return None
                return Record(line, start + consumed, [], UNBALANCED_QUOTE)
            # tuple.__new__ skips the named tuple's Python-level __new__: one per row.
            yield _new_record(Record, (line, start + consumed, cells, None))
    except csv.Error as error:
        # E.g. a field over the csv module's size limit, usually also an unbalanced quote.
        reason = f"unreadable row ({error})"
        return Record(start + consumed + 1, start + reader.line_num, [], reason)
    return None
