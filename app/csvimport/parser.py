"""Parse a whole file: decode, find layout and columns, clean every row, merge duplicates.

The file is streamed: only its first lines (for the layout), the record being read and the
contacts found so far are in memory, and at most MAX_CONTACTS of those.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from itertools import chain, islice
from pathlib import Path
from typing import BinaryIO

from app.csvimport.columns import (
    ColumnMapping,
    ColumnPlan,
    layout_key,
    plan_chosen_columns,
    plan_columns,
)
from app.csvimport.decoding import CsvFileError, text_lines
from app.csvimport.layout import detect_layout
from app.csvimport.names import split_name
from app.csvimport.records import Record, SpanCheck, read_records
from app.csvimport.values import (
    clean_cell,
    first_of_many,
    normalise_email,
    normalise_linkedin_url,
    shorten,
)
from app.domain import ContactInput, RejectedRow
from app.mail.addresses import import_note

# The ContactInput fields after email, in constructor order.
_OTHER_FIELDS = ("first_name", "last_name", "title", "company", "linkedin_url", "phone")
_CACHE_LIMIT = 50_000
#: Lines read before the header and delimiter are decided (the layout looks at 30 rows).
_HEAD_LINES = 400
#: Contacts one import may hold; a bigger list is split into several files.
MAX_CONTACTS = 1_000_000
_LINES_NAMED = 10
_FIRST, _LAST, _LINKEDIN, _PHONE = (
    _OTHER_FIELDS.index(field) for field in ("first_name", "last_name", "linkedin_url", "phone")
)


@dataclass(frozen=True)
class ParsedCsv:
    mapping: ColumnMapping
    contacts: list[ContactInput]  # valid rows, one per email (first-seen order)
    rejected: list[RejectedRow]  # in file order; line = physical line where the record starts
    merged_duplicates: int  # rows merged into an earlier row with the same email
    delimiter: str
    #: What was read but not imported in full, e.g. a second address in another email column.
    warnings: list[str] = field(default_factory=list)
    #: The header row's cells, in file order, and which of them feeds which field.
    header: tuple[str, ...] = ()
    columns: dict[str, int] = field(default_factory=dict)

    @property
    def layout_key(self) -> str:
        """The file layout, for remembering a chosen column mapping (see `layout_key`)."""
        return layout_key(self.header)


def parse_csv_file(path: Path, columns: dict[str, int] | None = None) -> ParsedCsv:
    """`columns` (field -> 0-based column index), when given, replaces the header synonyms."""
    try:
        with path.open("rb") as stream:
            return parse_csv_stream(stream, columns)
    except OSError as error:
        raise CsvFileError(f"Could not read {path.name}: {error.strerror or error}.") from None


def parse_csv_bytes(data: bytes, columns: dict[str, int] | None = None) -> ParsedCsv:
    return parse_csv_stream(io.BytesIO(data), columns)


def parse_csv_stream(stream: BinaryIO, columns: dict[str, int] | None = None) -> ParsedCsv:
    """Contacts from a CSV/TSV export; InputError if the file cannot be a contact list."""
    lines = text_lines(stream)
    head = list(islice(lines, _HEAD_LINES))
    layout = detect_layout(head)
    header = layout.header.cells
    plan = plan_columns(header) if columns is None else plan_chosen_columns(header, columns)
    rows = _RowReader(plan)
    after_header = layout.header.end_line
    records = read_records(
        chain(head[after_header:], lines),
        layout.delimiter,
        first_line=after_header + 1,
        check=_span_check(rows, layout.delimiter),
    )
    parsed = _collect(records, rows, plan, layout.delimiter)
    return replace(parsed, header=tuple(header), columns=dict(plan.indexes))


def _span_check(rows: _RowReader, delimiter: str) -> SpanCheck:
    """Keeps a record over several lines only if it has a usable email and at most one of its
    lines reads as a row on its own (a legitimate note over lines holds no other address):
    otherwise a stray quote swallowed rows."""

    def reads_as_row(line: str) -> bool:
        # Quotes dropped: a swallowed row may itself begin with the stray quote's twin.
        unquoted = line.replace('"', "")
        cells = next(csv.reader([unquoted], delimiter=delimiter, skipinitialspace=True), [])
        text = rows.email_text(cells)
        email, _ = rows.pick_email(cells, normalise_email(text) if text else None)
        return email is not None

    def check(cells: list[str], lines: list[str], start: int) -> str | None:
        end = start + len(lines) - 1
        again = f"line{'s' if end > start + 1 else ''} {_span(start + 1, end)} read again"
        row_like = [start + offset for offset, line in enumerate(lines) if reads_as_row(line)]
        if len(row_like) > 1:
            return (
                f'a field opened with " on this line swallows line {row_like[1]}, which reads'
                f" as a row of its own; check its quotes ({again})"
            )
        text = rows.email_text(cells)
        email, _ = rows.pick_email(cells, normalise_email(text) if text else None)
        if email is None:
            reason = f'invalid email "{shorten(text)}"' if text else "missing email"
            return f"{reason} in a row over lines {start}–{end}; check its quotes ({again})"
        return None

    return check


class _RowReader:
    """Turns one record's cells into field values, using the column plan."""

    def __init__(self, plan: ColumnPlan) -> None:
        self.email = plan.indexes["email"]
        self.more_emails = plan.more_emails
        #: Lines whose second email column held another address than the one imported.
        self.second_address_lines: list[int] = []
        self.name = plan.indexes.get("name")
        # An unmapped field gets an index no row reaches, so the hot loop needs no None check.
        self.others = [plan.indexes.get(field, sys.maxsize) for field in _OTHER_FIELDS]
        # Names, companies and titles repeat down a file: each distinct cell is cleaned once.
        self._cleaned: dict[str, str] = {}

    def email_text(self, cells: list[str]) -> str:
        return first_of_many(clean_cell(cells[self.email])) if self.email < len(cells) else ""

    def pick_email(self, cells: list[str], found: str | None) -> tuple[str | None, bool]:
        """With several email columns: the first usable address, the first column's first;
        and whether another column holds a different one, which is not imported."""
        second = False
        for index in self.more_emails:
            text = first_of_many(clean_cell(cells[index])) if index < len(cells) else ""
            other = normalise_email(text) if text else None
            if other is None or other == found:
                continue
            if found is None:
                found = other
            else:
                second = True
        return found, second

    def values(self, cells: list[str]) -> list[str]:
        count = len(cells)
        cache = self._cleaned
        values = []
        for index in self.others:
            if index < count:
                raw = cells[index]
                value = cache.get(raw)
                if value is None:
                    value = clean_cell(raw)
                    if len(cache) < _CACHE_LIMIT:
                        cache[raw] = value
                values.append(value)
            else:
                values.append("")
        if self.name is not None and self.name < count:
            values[_FIRST], values[_LAST] = split_name(clean_cell(cells[self.name]))
        if values[_LINKEDIN]:
            values[_LINKEDIN] = normalise_linkedin_url(values[_LINKEDIN])
        if values[_PHONE]:
            values[_PHONE] = first_of_many(values[_PHONE])
        return values


def _collect(
    records: Iterable[Record], rows: _RowReader, plan: ColumnPlan, delimiter: str
) -> ParsedCsv:
    by_email: dict[str, ContactInput] = {}
    rejected: list[RejectedRow] = []
    utf8_notes: list[str] = []
    merged = 0
    email_text, values, keep = rows.email_text, rows.values, by_email.setdefault  # hot loop
    for record in records:
        line, _, cells, problem = record  # unpacking is cheaper than four attribute lookups
        if problem is not None:
            rejected.append(RejectedRow(line, problem))
            continue
        text = email_text(cells)
        email = normalise_email(text) if text else None
        if rows.more_emails:
            email, second = rows.pick_email(cells, email)
            if second:
                rows.second_address_lines.append(line)
        if email is None:
            if text or any(cell.strip() for cell in cells):
                rejected.append(RejectedRow(line, _email_problem(text, record, plan)))
            continue  # a blank row: nothing to import or to report
        if not email.isascii():
            sendable, note = import_note(email)
            if not sendable:
                rejected.append(RejectedRow(line, note or "invalid email"))
                continue
            if note:
                utf8_notes.append(f"line {line}: {note}")
        contact = ContactInput(email, *values(cells))
        earlier = keep(email, contact)
        if earlier is not contact:
            merged += 1
            by_email[email] = _fill_blanks(earlier, contact)
        elif len(by_email) > MAX_CONTACTS:
            raise CsvFileError(
                f"The file has more than {MAX_CONTACTS:,} contacts (line {line}). "
                "Split it into smaller files and import each."
            )
    warnings = [*_capped(utf8_notes), *_second_address_warning(rows, plan)]
    contacts = list(by_email.values())
    return ParsedCsv(plan.mapping, contacts, rejected, merged, delimiter, warnings)


def _capped(notes: list[str]) -> list[str]:
    if len(notes) <= _LINES_NAMED:
        return notes
    more = len(notes) - _LINES_NAMED
    return [*notes[:_LINES_NAMED], f"{more} more addresses like these, on later lines."]


def _span(first: int, last: int) -> str:
    return f"{first}–{last}" if last > first else str(first)


def _second_address_warning(rows: _RowReader, plan: ColumnPlan) -> list[str]:
    lines = rows.second_address_lines
    if not lines:
        return []
    shown = ", ".join(str(n) for n in lines[:_LINES_NAMED]) + (
        ", …" if len(lines) > _LINES_NAMED else ""
    )
    first = plan.mapping.fields["email"]
    return [
        f"{len(lines)} rows (lines {shown}) have a second, different address in another email"
        f" column; a contact has one email, so the one in {first} was imported."
    ]


def _fill_blanks(earlier: ContactInput, later: ContactInput) -> ContactInput:
    """`earlier` with its empty fields taken from `later`: the first non-empty value wins."""
    filled = {field: getattr(earlier, field) or getattr(later, field) for field in _OTHER_FIELDS}
    return ContactInput(earlier.email, **filled)


def _email_problem(text: str, record: Record, plan: ColumnPlan) -> str:
    reason = f'invalid email "{shorten(text)}"' if text else "missing email"
    count = len(record.cells)
    if not text and plan.indexes["email"] >= count:
        # Too few fields: say so, or the user looks for an empty email cell that isn't there.
        fields = "field" if count == 1 else "fields"
        return f"{reason} (the row has {count} {fields}, the header has {plan.width})"
    return reason
