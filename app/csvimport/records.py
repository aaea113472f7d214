"""Read CSV records, streamed, with the physical line each one starts on; no record may swallow
the rows after it.

Line numbers are what a recruiter needs to find a rejected row in a text editor, so they count
physical lines (a quoted field with newlines makes one record span several lines), not records.

A stray quote opens a field that runs on, in the csv module's non-strict mode, until the next
quote anywhere below, swallowing every row in between into one cell. So a record over several
lines is kept only when the caller's check accepts it (the parser refuses one whose later lines
read as rows of their own, or whose email is unusable); otherwise its first line is rejected
and reading starts again on the line after it. A record still open after MAX_RECORD_LINES lines
is cut off the same way, which also bounds what one record can hold in memory. The line source
ends with a sentinel line holding a NUL (decoding guarantees the file has none): a quote never
closed swallows it, and that record is reported as an unbalanced quote.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

SENTINEL = "\x00"
SENTINEL_LINE = SENTINEL + "\n"
#: A quoted field longer than this is a stray quote, not a note someone typed.
MAX_RECORD_LINES = 200
UNBALANCED_QUOTE = 'unbalanced quote: a field opened with " on this line is never closed'
TOO_LONG = (
    f'a field opened with " on this line runs past {MAX_RECORD_LINES} lines; check its quotes'
    " (the lines after it were read again)"
)


class Record(NamedTuple):
    line: int  # 1-based physical line where the record starts
    end_line: int  # 1-based physical line where it ends
    cells: list[str]
    problem: str | None = None  # set when the record could not be read at all


#: For a record over several lines: its cells, its lines, its first line number -> a problem.
SpanCheck = Callable[[list[str], list[str], int], str | None]
_new_record = tuple.__new__


class _TooLong(Exception):
    pass


class _Feed:
    """Numbered lines for csv.reader; keeps the lines of the record being read, so a rejected
    record's later lines can be fed again."""

    def __init__(self, lines: Iterator[str], first: int) -> None:
        self._lines = lines
        self._replay: list[str] = []  # reversed: pop() gives the next line
        self.window: list[str] = []
        self.start = first  # number of window[0]

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        window = self.window
        if len(window) >= MAX_RECORD_LINES:
            raise _TooLong
        line = self._replay.pop() if self._replay else next(self._lines)
        window.append(line)
        return line

    def take(self) -> tuple[int, list[str]]:
        """The record just read: its first line number and lines; the window starts anew."""
        start, lines = self.start, self.window
        self.start += len(lines)
        self.window = []
        return start, lines

    def reject_first(self) -> None:
        """Drop the window's first line; its others are read again."""
        self._replay.extend(reversed(self.window[1:]))
        self.start += 1
        self.window = []


def read_records(
    lines: Iterable[str], delimiter: str, first_line: int = 1, check: SpanCheck | None = None
) -> Iterator[Record]:
    """Records from `lines` (physical lines with their endings; numbered from `first_line`)."""
    feed = _Feed(iter(lines), first_line)
    while True:
        # skipinitialspace lets `a, "b, c"` quote as people who type CSV by hand expect.
        reader = csv.reader(feed, delimiter=delimiter, skipinitialspace=True)
        try:
            for cells in reader:
                if not (len(feed.window) > 1 or (cells and SENTINEL in cells[-1])):
                    start, _ = feed.take()
                    # tuple.__new__ skips the named tuple's Python-level __new__: one per row.
                    yield _new_record(Record, (start, start, cells, None))
                    continue
                problem = _span_problem(cells, feed, check)
                if problem == "":  # the sentinel: the end
                    return
                start = feed.start
                if problem is None:
                    _, taken = feed.take()
                    yield Record(start, start + len(taken) - 1, cells)
                    continue
                feed.reject_first()
                yield Record(start, start, [], problem)
            return
        except _TooLong:
            problem = TOO_LONG
        except csv.Error as error:
            # E.g. a field over the csv module's size limit, usually also an unbalanced quote.
            problem = f"unreadable row ({error})"
        start = feed.start
        feed.reject_first()
        yield Record(start, start, [], problem)


def _span_problem(cells: list[str], feed: _Feed, check: SpanCheck | None) -> str | None:
    """None to keep a record, "" at the sentinel, else why its first line is rejected."""
    if cells and SENTINEL in cells[-1]:
        if cells == [SENTINEL]:
            return ""
        return UNBALANCED_QUOTE
    if check is None:
        return None
    return check(cells, feed.window, feed.start)
