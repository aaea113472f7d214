"""`clockwork check|refresh`, the two status settings and `status --json`, end to end against
a loopback sandbox with keys from the environment."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.sandbox.server import SandboxServer, environment
from tests.conftest import Cli

PEOPLE = "Email,First Name,Last Name,Company,Title\nada@fresh.example.com,Ada,Lovelace,AE,CFO\n"


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[SandboxServer]:
    with SandboxServer() as running:
        for name, value in environment(running).items():
            monkeypatch.setenv(name, value)
        yield running


@pytest.fixture
def connected(cli: Cli, server: SandboxServer) -> Cli:
    assert cli("connect", "--domain", "demo")[0] == 0
    return cli


def test_check_json_has_the_issue_shape(connected: Cli) -> None:
    code, out, _ = connected("clockwork", "check", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["compatible"] is True
    assert {row["result"] for row in data["endpoints"]} == {"ok", "not_tried"}
    assert all(set(row) == {"name", "certainty", "result", "detail"} for row in data["endpoints"])


def test_check_exits_1_when_a_wrapper_differs(connected: Cli, server: SandboxServer) -> None:
    server.knobs.drift_wrappers = "list_projects"
    code, out, _ = connected("clockwork", "check")
    assert code == 1
    assert "list_projects" in out
    assert "differs" in out


def test_settings_for_statuses(connected: Cli) -> None:
    assert connected("settings", "set", "stop-statuses", "Placed,Withdrew")[0] == 0
    assert connected("settings", "set", "stop-statuses", "default")[0] == 0
    code, _, err = connected("settings", "set", "stop-statuses", ",")
    assert code == 2
    assert "at least one" in err
    assert connected("settings", "set", "reply-status", "Qualifying")[0] == 0
    assert connected("settings", "set", "reply-status", "none")[0] == 0


def test_refresh_and_status_json(connected: Cli, server: SandboxServer, tmp_path: Path) -> None:
    project = next(p for p in server.state.list_projects(100, 0) if p["status"] == "Active")
    csv = tmp_path / "people.csv"
    csv.write_text(PEOPLE, encoding="utf-8")
    connected("sequence", "create", "CFO")
    connected("contacts", "import", str(csv), "--sequence", "CFO")
    connected("settings", "set", "default-project", str(project["id"]))
    assert connected("resync", "--all")[0] == 0
    ada = server.state.find_person("ada@fresh.example.com")
    assert ada is not None
    [candidacy] = [
        c
        for c in server.state.list_candidacies(str(project["id"]), 1000, 0)
        if c["personId"] == ada["id"]
    ]
    server.state.set_candidacy_status(str(project["id"]), str(candidacy["id"]), "Placed")
    code, out, _ = connected("clockwork", "refresh", "--json")
    assert code == 0
    refreshed = json.loads(out)
    assert refreshed["projects"] == 1
    assert refreshed["updated"] == 1
    assert refreshed["stopped"] == 1
    code, out, _ = connected("status", "--json", "--contacts")
    data = json.loads(out)
    assert [c["candidate_status"] for c in data["contacts"]] == ["Placed"]
    assert set(data["clockwork"]) == {"requests_last_hour", "rate_limit", "throttled_last_hour"}
    assert data["clockwork"]["rate_limit"] == 5 * 3600


def test_refresh_needs_a_connection(cli: Cli) -> None:
    code, _, err = cli("clockwork", "refresh")
    assert code == 2
    assert "Connect to Clockwork first" in err
