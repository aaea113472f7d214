"""The sync commands end to end: settings, sequence set, resync (dry run and real), sync run,
against a real loopback sandbox with keys from the environment."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.sandbox.seed import DEMO_SHARED_PEOPLE
from app.sandbox.server import SandboxServer, environment
from tests.conftest import Cli

PEOPLE = (
    "Email,First Name,Last Name,Company,Title\n"
    "ada@fresh.example.com,Ada,Lovelace,Analytical,CFO\n"
    "grace@fresh.example.com,Grace,Hopper,Navy,CTO\n"
    f"{DEMO_SHARED_PEOPLE[0].email},Amelia,Hartley,Northwind Logistics,CFO\n"
)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[SandboxServer]:
    with SandboxServer() as running:
        for name, value in environment(running).items():
            monkeypatch.setenv(name, value)
        yield running


@pytest.fixture
def connected(cli: Cli, server: SandboxServer, tmp_path: Path) -> Cli:
    assert cli("connect", "--domain", "demo")[0] == 0
    csv = tmp_path / "people.csv"
    csv.write_text(PEOPLE, encoding="utf-8")
    cli("sequence", "create", "CFO")
    assert cli("contacts", "import", str(csv), "--sequence", "CFO")[0] == 0
    return cli


def project_id(server: SandboxServer, name_start: str) -> str:
    return next(
        str(p["id"]) for p in server.state.list_projects(100, 0) if p["name"].startswith(name_start)
    )


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("sync-mode", "sometimes", "off, on-add or on-reply"),
        ("dedup", "maybe", "on or off"),
        ("rate-limit", "fast", "not a number"),
        ("rate-limit", "1000", "between 0.1 and 100"),
        ("bcc", "pendulum@", "not an email address"),
        ("default-project", "424242", "no project 424242"),
    ],
)
def test_bad_settings_exit_2(connected: Cli, name: str, value: str, message: str) -> None:
    code, _, err = connected("settings", "set", name, value)
    assert code == 2
    assert message in err


def test_settings_and_double_recording_warning(connected: Cli) -> None:
    assert connected("settings", "set", "activity-tracking", "on")[0] == 0
    code, out, _ = connected("settings", "set", "bcc", "pendulum@demo.example.com")
    assert code == 0
    assert "record each email twice" in out


def test_closed_projects_cannot_be_chosen(connected: Cli, server: SandboxServer) -> None:
    closed = project_id(server, "COO – Redpine")
    code, _, err = connected("sequence", "set", "CFO", "--project", closed)
    assert code == 2
    assert "Closed" in err


def test_dry_run_then_resync_then_nothing_left(connected: Cli, server: SandboxServer) -> None:
    connected("settings", "set", "dedup", "off")
    connected("sequence", "set", "CFO", "--project", project_id(server, "CFO – Northwind"))
    code, out, _ = connected("resync", "--sequence", "CFO", "--dry-run", "--json")
    assert code == 0
    preview = json.loads(out)
    assert (preview["to_send"], preview["will_create"], preview["will_link"]) == (3, 2, 1)
    assert server.state.journal.writes() == []
    code, out, err = connected("resync", "--all", "--json")
    assert code == 0
    assert json.loads(out)["counts"] == {"checked": 3, "synced": 3}
    assert "3/3 contacts" in err
    code, out, _ = connected("status", "--json")
    assert json.loads(out)["contacts_by_state"]["synced"] == 3
    code, out, _ = connected("sync", "run", "--json")
    assert (code, json.loads(out)["remaining"]) == (0, 0)


def test_on_add_then_sync_run(cli: Cli, server: SandboxServer, tmp_path: Path) -> None:
    cli("connect", "--domain", "demo")
    cli("settings", "set", "sync-mode", "on-add")
    cli("settings", "set", "dedup", "on")
    cli("sequence", "create", "CFO")
    csv = tmp_path / "people.csv"
    csv.write_text(PEOPLE, encoding="utf-8")
    cli("contacts", "import", str(csv), "--sequence", "CFO")
    code, out, _ = cli("sync", "run", "--json")
    assert code == 0
    assert json.loads(out)["counts"] == {"synced": 2, "exists_in_clockwork": 1}
    _, out, _ = cli("status", "--json", "--contacts")
    states = {c["email"]: c["state"] for c in json.loads(out)["contacts"]}
    assert states[DEMO_SHARED_PEOPLE[0].email] == "exists_in_clockwork"


def test_a_wrong_key_pauses_and_exits_1(
    connected: Cli, server: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    connected("settings", "set", "sync-mode", "on-add")
    monkeypatch.setenv("CLOCKWORK_API_KEY", "revoked")
    connected("resync", "--contact", "ada@fresh.example.com")
    code, out, _ = connected("sync", "run")
    assert code == 1
    assert "Paused" in out
