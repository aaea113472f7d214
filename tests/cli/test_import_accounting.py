"""`contacts import` accounts for every row: the 100-row file with one stray quote that once
reported "Added 49, rejected 1 (line 82)" now adds 99 and names the line of the quote."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Cli


def test_a_stray_quote_costs_one_row_named_by_its_line(cli: Cli, tmp_path: Path) -> None:
    rows = [f"p{i}@example.com,Pat,{'VP' if i != 30 else '"VP'}\n" for i in range(100)]
    rows.append("p0@example.com,Pat,Again\n")  # line 102: merged into line 2
    path = tmp_path / "people.csv"
    path.write_text("Email,First Name,Title\n" + "".join(rows), encoding="utf-8")
    assert cli("sequence", "create", "CFO")[0] == 0
    code, out, _ = cli("contacts", "import", str(path), "--sequence", "CFO")
    assert code == 0
    assert out.splitlines()[0] == "Added 99, updated 0, merged 1, rejected 1."
    assert out.splitlines()[1].startswith("  line 32: ")


def test_a_second_address_in_another_email_column_is_reported(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(
        b"Email,Work Email,First Name\nann@home.example.com,ann@work.example.com,Ann\n"
        + "zoe@example.com,,Zoë\n".encode("cp1252")
    )
    assert cli("sequence", "create", "CFO")[0] == 0
    code, out, _ = cli("contacts", "import", str(path), "--sequence", "CFO", "--json")
    report = json.loads(out)
    assert (code, report["added"], report["merged"], report["rejected"]) == (0, 2, 0, [])
    [warning] = report["warnings"]
    assert "lines 2" in warning
