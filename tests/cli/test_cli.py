"""Every CLI command, in-process through main(), plus one real subprocess run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Cli

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    path = tmp_path / "people.csv"
    path.write_text(
        "Email,First Name,Last Name,Company\n"
        "ada@example.com,Ada,Lovelace,Analytical\n"
        "not-an-email,Bad,Row,X\n"
        "grace@example.com,Grace,Hopper,Navy\n",
        encoding="utf-8",
    )
    return path


def test_sequence_create(cli: Cli) -> None:
    assert cli("sequence", "create", "CFO search")[0] == 0
    code, _, err = cli("sequence", "create", "cfo SEARCH")
    assert code == 2
    assert "already exists" in err
    assert err.count("\n") == 1


def test_contacts_import_json(cli: Cli, csv_file: Path) -> None:
    cli("sequence", "create", "CFO")
    code, out, _ = cli("contacts", "import", str(csv_file), "--sequence", "CFO", "--json")
    assert code == 0
    report = json.loads(out)
    assert report["added"] == 2
    assert report["updated"] == 0
    assert [r["line"] for r in report["rejected"]] == [3]
    code, out, _ = cli("contacts", "import", str(csv_file), "--sequence", "CFO", "--json")
    assert json.loads(out)["updated"] == 2


def test_contacts_import_text(cli: Cli, csv_file: Path) -> None:
    cli("sequence", "create", "CFO")
    code, out, _ = cli("contacts", "import", str(csv_file), "--sequence", "CFO")
    assert code == 0
    assert "Added 2, updated 0, merged 0, rejected 1." in out
    assert "line 3:" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("contacts", "import", "missing.csv", "--sequence", "CFO"), "No such file"),
        (("contacts", "reply", "x@example.com", "--sequence", "Nope"), "No sequence"),
    ],
)
def test_bad_input_exits_2_with_one_line(cli: Cli, argv: tuple[str, ...], message: str) -> None:
    cli("sequence", "create", "CFO")
    code, _, err = cli(*argv)
    assert code == 2
    assert message in err
    assert err.count("\n") == 1


def test_a_file_without_an_email_column_exits_2(cli: Cli, tmp_path: Path) -> None:
    cli("sequence", "create", "CFO")
    bad = tmp_path / "bad.csv"
    bad.write_text("Name,Phone\nAda,123\n", encoding="utf-8")
    code, _, err = cli("contacts", "import", str(bad), "--sequence", "CFO")
    assert code == 2
    assert "email" in err.lower()


def test_usage_errors_exit_2(cli: Cli) -> None:
    with pytest.raises(SystemExit) as exc:
        cli("contacts", "import")
    assert exc.value.code == 2


def test_reply_and_status(cli: Cli, csv_file: Path) -> None:
    cli("sequence", "create", "CFO")
    cli("contacts", "import", str(csv_file), "--sequence", "CFO")
    assert cli("contacts", "reply", "ADA@example.com", "--sequence", "cfo")[0] == 0
    code, out, _ = cli("status", "--json")
    status = json.loads(out)
    assert code == 0
    assert status["contacts_by_state"]["not_synced"] == 2
    assert status["outbox_pending"] == 0
    code, out, _ = cli("status", "--json", "--contacts")
    listed = {c["email"]: c for c in json.loads(out)["contacts"]}
    assert listed["grace@example.com"] == {
        "email": "grace@example.com",
        "sequences": ["CFO"],
        "state": "not_synced",
        "clockwork_person_id": None,
        "error": None,
        "opted_out": False,
        "candidate_status": None,
        "stop_reason": None,
    }
    assert json.loads(out)["clockwork"]["requests_last_hour"] == 0


def test_status_text(cli: Cli) -> None:
    code, out, _ = cli("status")
    assert code == 0
    assert "not_synced: 0" in out


def test_a_real_process_uses_the_environment_data_dir(tmp_path: Path) -> None:
    env = {**os.environ, "ESCAPEMENT_DATA_DIR": str(tmp_path / "envdata")}
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "sequence", "create", "From env"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "envdata" / "escapement.db").exists()
    assert (tmp_path / "envdata" / "logs" / "escapement.log").exists()


def test_contacts_add_puts_stored_contacts_in_another_sequence(cli: Cli, csv_file: Path) -> None:
    cli("sequence", "create", "CFO")
    cli("sequence", "create", "Board")
    cli("contacts", "import", str(csv_file), "--sequence", "CFO")
    code, out, _ = cli("contacts", "add", "ADA@example.com", "--sequence", "board")
    assert code == 0
    assert out == "Added 1 to “Board”; 0 were in it already.\n"
    code, out, _ = cli(
        "contacts", "add", "ada@example.com", "grace@example.com", "--sequence", "Board", "--json"
    )
    assert json.loads(out) == {"added": 1, "already": 1, "suppressed": []}
    code, out, _ = cli("contacts", "add", "ada@example.com", "--sequence", "Board")
    assert out == "Added 0 to “Board”; 1 was in it already.\n"
    code, out, _ = cli("status", "--json", "--contacts")
    listed = {c["email"]: c["sequences"] for c in json.loads(out)["contacts"]}
    assert sorted(listed["ada@example.com"]) == ["Board", "CFO"]


def test_contacts_add_refuses_unknown_addresses_and_adds_none(cli: Cli, csv_file: Path) -> None:
    cli("sequence", "create", "CFO")
    cli("sequence", "create", "Board")
    cli("contacts", "import", str(csv_file), "--sequence", "CFO")
    code, _, err = cli(
        "contacts", "add", "ada@example.com", "nobody@example.com", "--sequence", "Board"
    )
    assert code == 2
    assert "nobody@example.com" in err
    assert err.count("\n") == 1
    code, out, _ = cli("status", "--json", "--contacts")
    listed = {c["email"]: c["sequences"] for c in json.loads(out)["contacts"]}
    assert listed["ada@example.com"] == ["CFO"]
