"""Parse a whole file: decode, find layout and columns, clean every row, merge duplicates."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from app.csvimport.columns import ColumnMapping, ColumnPlan, plan_columns
from app.csvimport.decoding import CsvFileError, decode_csv_bytes
from app.csvimport.layout import detect_layout
from app.csvimport.names import split_name
from app.csvimport.records import Record, read_records, split_lines
from app.csvimport.values import (
    clean_cell,
    first_of_many,
    normalise_email,
    normalise_linkedin_url,
    shorten,
)
from app.domain import ContactInput, RejectedRow

# The ContactInput fields after email, in constructor order.
_OTHER_FIELDS = ("first_name", "last_name", "title", "company", "linkedin_url", "phone")
_CACHE_LIMIT = 50_000
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


def parse_csv_file(path: Path) -> ParsedCsv:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CsvFileError(f"Could not read {path.name}: {error.strerror or error}.") from None
    return parse_csv_bytes(data)


def parse_csv_bytes(data: bytes) -> ParsedCsv:
    """Contacts from a CSV/TSV export; InputError if the file cannot be a contact list."""
    lines = split_lines(decode_csv_bytes(data))
    layout = detect_layout(lines)
    plan = plan_columns(layout.header.cells)
    records = read_records(lines, layout.delimiter, start=layout.header.end_line)
    return _collect(records, plan, layout.delimiter)


class _RowReader:
    """Turns one record's cells into field values, using the column plan."""

    def __init__(self, plan: ColumnPlan) -> None:
        self.email = plan.indexes["email"]
        self.name = plan.indexes.get("name")
        # An unmapped field gets an index no row reaches, so the hot loop needs no None check.
        self.others = [plan.indexes.get(field, sys.maxsize) for field in _OTHER_FIELDS]
        # Names, companies and titles repeat down a file: each distinct cell is cleaned once.
        self._cleaned: dict[str, str] = {}

    def email_text(self, cells: list[str]) -> str:
        return first_of_many(clean_cell(cells[self.email])) if self.email < len(cells) else ""

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


def _collect(records: Iterable[Record], plan: ColumnPlan, delimiter: str) -> ParsedCsv:
    rows = _RowReader(plan)
    by_email: dict[str, ContactInput] = {}
    rejected: list[RejectedRow] = []
    merged = 0
    email_text, values, keep = rows.email_text, rows.values, by_email.setdefault  # hot loop
    for record in records:
        line, _, cells, problem = record  # unpacking is cheaper than four attribute lookups
        if problem is not None:
            rejected.append(RejectedRow(line, problem))
            continue
        text = email_text(cells)
        email = normalise_email(text) if text else None
        if email is None:
            if text or any(cell.strip() for cell in cells):
                rejected.append(RejectedRow(line, _email_problem(text, record, plan)))
            continue  # a blank row: nothing to import or to report
        contact = ContactInput(email, *values(cells))
        earlier = keep(email, contact)
        if earlier is not contact:
            merged += 1
            by_email[email] = _fill_blanks(earlier, contact)
    return ParsedCsv(plan.mapping, list(by_email.values()), rejected, merged, delimiter)


def _fill_blanks(earlier: ContactInput, later: ContactInput) -> ContactInput:
    """`earlier` with its empty fields taken from `later`: the first non-empty value wins."""
    filled = {field: getattr(earlier, field) or getattr(later, field) for field in _OTHER_FIELDS}
    return ContactInput(earlier.email, **filled)


def _email_problem(text: str, record: Record, plan: ColumnPlan) -> str:
    reason = f'invalid email "{shorten(text)}"' if text else "missing email"
    if record.end_line > record.line:
        # A record over several lines with no usable email is usually a stray quote.
        return (
            f"{reason} (this row runs over lines {record.line}–{record.end_line}; check its quotes)"
        )
    count = len(record.cells)
    if not text and plan.indexes["email"] >= count:
        # Too few fields: say so, or the user looks for an empty email cell that isn't there.
        fields = "field" if count == 1 else "fields"
        return f"{reason} (the row has {count} {fields}, the header has {plan.width})"
    return reason
