"""Small CLI faults: --body-file, a closed pipe, and messages that name CLI commands."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Cli

ROOT = Path(__file__).resolve().parents[2]


def bad_body(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"body-{kind}"
    if kind == "missing":
        return path
    if kind == "folder":
        path.mkdir()
    elif kind == "binary":
        path.write_bytes(b"\x00PNG\x00\x01\x02" * 50)
    elif kind == "cp1252":
        path.write_bytes("Dear {first_name}, caf\xe9".encode("cp1252"))
    elif kind == "huge":
        path.write_bytes(b"a" * 1_000_001)
    return path


@pytest.mark.parametrize(
    ("kind", "says"),
    [
        ("missing", "does not exist"),
        ("folder", "is a folder"),
        ("binary", "binary file"),
        ("cp1252", "is not UTF-8 text (at byte 23)"),
        ("huge", "is over 1,000,000 bytes"),
    ],
)
def test_a_bad_body_file_is_one_line_and_changes_nothing(
    kind: str, says: str, cli: Cli, tmp_path: Path
) -> None:
    assert cli("sequence", "create", "CFO")[0] == 0
    path = bad_body(tmp_path, kind)
    for argv in (
        ("sequence", "step", "add", "CFO", "--subject", "Hi", "--body-file", str(path)),
        ("sequence", "step", "edit", "CFO", "1", "--body-file", str(path)),
    ):
        code, _, err = cli(*argv)
        assert code == 2
        assert err.count("\n") == 1
        assert says in err
    assert "No steps yet" in cli("sequence", "step", "list", "CFO")[1]


def test_json_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    data = tmp_path / "data"
    people = tmp_path / "people.csv"
    rows = (f"p{n}@example.com,Person,Number{n}" for n in range(3000))
    people.write_text("Email,First Name,Last Name\n" + "\n".join(rows) + "\n")
    base = [sys.executable, "main.py", "--data-dir", str(data)]
    subprocess.run([*base, "sequence", "create", "S"], cwd=ROOT, check=True)
    subprocess.run(
        [*base, "contacts", "import", str(people), "--sequence", "S"], cwd=ROOT, check=True
    )
    # More than a pipe's 64 KiB, so the writer meets the closed pipe.
    result = subprocess.run(
        f"{sys.executable} main.py --data-dir {data} status --json --contacts | head -c 10",
        shell=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stderr == ""


def test_messages_in_the_cli_name_cli_commands(cli: Cli) -> None:
    code, _, err = cli("sync", "run")
    assert code == 2
    assert "escapement connect --domain" in err
    assert "pane" not in err
