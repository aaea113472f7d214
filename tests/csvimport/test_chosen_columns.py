"""A column mapping the user chose: it overrides the header synonyms, and the Workspace
remembers it per user and file layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.csvimport import CsvFileError, layout_key, parse_csv_bytes
from app.domain import ContactFilter
from app.workspace import Workspace

CSV = b"Email,Employer,Given,Role\nada@example.com,Analytical Engines,Ada,Countess\n"


def test_detector_leaves_unknown_headers_unmapped() -> None:
    parsed = parse_csv_bytes(CSV)
    assert parsed.columns == {"email": 0}
    assert parsed.header == ("Email", "Employer", "Given", "Role")
    assert parsed.contacts[0].company == ""


def test_chosen_columns_map_what_the_detector_would_not() -> None:
    parsed = parse_csv_bytes(CSV, {"email": 0, "company": 1, "first_name": 2, "title": 3})
    contact = parsed.contacts[0]
    assert (contact.company, contact.first_name, contact.title) == (
        "Analytical Engines",
        "Ada",
        "Countess",
    )
    assert parsed.mapping.fields["company"] == "Employer"
    assert parsed.mapping.unmapped == []
    assert parsed.columns == {"email": 0, "first_name": 2, "title": 3, "company": 1}


def test_chosen_columns_can_leave_a_detected_column_out() -> None:
    parsed = parse_csv_bytes(b"Email,Company\nada@example.com,Acme\n", {"email": 0})
    assert parsed.contacts[0].company == ""
    assert parsed.mapping.unmapped == ["Company"]


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ({"company": 1}, "No column is mapped to Email"),
        ({"email": 7}, "no column 8"),
        ({"email": 0, "shoe_size": 1}, "Unknown contact field"),
    ],
)
def test_a_mapping_that_cannot_work_is_refused(columns: dict[str, int], message: str) -> None:
    with pytest.raises(CsvFileError, match=message):
        parse_csv_bytes(CSV, columns)


def test_layout_key_ignores_case_and_punctuation_not_order() -> None:
    assert layout_key(["E-mail", "First Name"]) == layout_key(["email", "first_name"])
    assert layout_key(["Email", "Name"]) != layout_key(["Name", "Email"])
    assert parse_csv_bytes(CSV).layout_key == layout_key(["e mail", "EMPLOYER", "given", "role"])


@pytest.mark.both_databases
def test_remembered_columns_round_trip(workspace: Workspace) -> None:
    ws = workspace
    key = parse_csv_bytes(CSV).layout_key
    assert ws.csv_columns(key) is None
    ws.remember_csv_columns(key, {"email": 0, "company": 1})
    assert ws.csv_columns(key) == {"email": 0, "company": 1}
    ws.remember_csv_columns(key, {"email": 0, "title": 3})  # a later choice replaces it
    assert ws.csv_columns(key) == {"email": 0, "title": 3}
    assert ws.csv_columns(layout_key(["Email"])) is None  # another layout: nothing


def test_import_csv_uses_the_chosen_columns(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(CSV)
    ws = workspace
    seq = ws.create_sequence("Board search")
    report = ws.import_csv(path, seq.id, {"email": 0, "company": 1})
    assert report.added == 1
    (row,) = ws.contacts_page(ContactFilter(sequence_id=seq.id), 0, 10)
    assert row.company == "Analytical Engines"
