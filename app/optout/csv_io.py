"""The suppression list as CSV: exported with every column, imported from any file with an
"email" column (or, without a header, addresses in the first column)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from app.csvimport import normalise_email
from app.errors import InputError
from app.optout.types import SuppressionInfo

COLUMNS = ("email", "source", "trigger", "created_at", "created_by", "clockwork_person_id")
_NOTE_COLUMNS = ("trigger", "reason", "note")


@dataclass
class ReadAddresses:
    #: (address, note) in file order, each address once.
    addresses: list[tuple[str, str]] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)


def write(rows: Iterable[SuppressionInfo], path: Path) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for r in rows:
            when = r.created_at.isoformat() if r.created_at else ""
            writer.writerow(
                [r.email, r.source.value, r.trigger, when, r.created_by or "",
                 r.clockwork_person_id or ""]
            )  # fmt: skip
            count += 1
    return count


def read(path: Path) -> ReadAddresses:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"No file {path}.") from None
    except UnicodeDecodeError:
        raise InputError(f"{path.name} is not UTF-8 text.") from None
    lines = list(csv.reader(io.StringIO(text)))
    header = [h.strip().lower() for h in lines[0]] if lines else []
    has_header = "email" in header
    email_at = header.index("email") if has_header else 0
    note_at = next((header.index(c) for c in _NOTE_COLUMNS if c in header), None)
    found = ReadAddresses()
    seen: set[str] = set()
    for number, cells in enumerate(
        lines[1:] if has_header else lines, start=2 if has_header else 1
    ):
        if not any(c.strip() for c in cells):
            continue
        raw = cells[email_at].strip() if email_at < len(cells) else ""
        address = normalise_email(raw)
        if address is None:
            found.rejected.append((number, f'"{raw}" is not an email address'))
            continue
        if address.lower() in seen:
            continue
        seen.add(address.lower())
        note = cells[note_at].strip() if note_at is not None and note_at < len(cells) else ""
        found.addresses.append((address, note))
    return found
