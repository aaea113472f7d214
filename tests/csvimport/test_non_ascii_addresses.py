"""CSV import and addresses outside ASCII: an IDN domain is imported as is (it is sent in its
ASCII form); a non-ASCII local part is imported with a note naming its line, because only
servers offering SMTPUTF8 can send to it; an address no server can route is rejected."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Cli

ROWS = [
    "Email,First Name",
    "ada@example.com,Ada",  # line 2
    "josé@bücher.example,José",  # line 3: needs SMTPUTF8
    "bob@bücher.example,Bob",  # line 4: IDN domain only
    "eve@٣.com,Eve",  # line 5: fails IDNA's bidi rule: never sendable
]


def import_rows(cli: Cli, tmp_path: Path, *extra: str) -> tuple[int, str, str]:
    path = tmp_path / "people.csv"
    path.write_text("\n".join(ROWS) + "\n", encoding="utf-8")
    cli("sequence", "create", "CFO")
    return cli("contacts", "import", str(path), "--sequence", "CFO", *extra)


def test_non_ascii_addresses_are_imported_flagged_or_rejected_by_line(
    cli: Cli, tmp_path: Path
) -> None:
    code, out, _ = import_rows(cli, tmp_path)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Added 3, updated 0, merged 0, rejected 1."
    assert lines[1].startswith('  line 5: invalid email "eve@٣.com"')
    assert lines[2].startswith("  note: line 3: josé@bücher.example has letters outside A-Z")
    assert "SMTPUTF8" in lines[2]
    assert len(lines) == 3  # nothing said about line 4: its domain is sent as xn--bcher-kva


def test_the_json_report_carries_the_note_in_its_warnings(cli: Cli, tmp_path: Path) -> None:
    code, out, _ = import_rows(cli, tmp_path, "--json")
    assert code == 0
    report = json.loads(out)
    assert [r["line"] for r in report["rejected"]] == [5]
    [note] = report["warnings"]
    assert note.startswith("line 3: josé@bücher.example")
    code, out, _ = cli("status", "--contacts", "--json")
    emails = {c["email"] for c in json.loads(out)["contacts"]}
    assert emails == {"ada@example.com", "josé@bücher.example", "bob@bücher.example"}
