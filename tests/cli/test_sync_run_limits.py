"""`sync run --timeout` against a Clockwork that answers every request with a 5xx: it ends in
time, says on stderr what it is doing, says in one line why anything is left, and exits 1."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.sandbox.server import SandboxServer, environment
from tests.conftest import Cli

PEOPLE = "Email,First Name,Last Name\n" + "".join(
    f"p{i}@fresh.example.com,Pat,Person{i}\n" for i in range(5)
)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[SandboxServer]:
    with SandboxServer() as running:
        for name, value in environment(running).items():
            monkeypatch.setenv(name, value)
        yield running


@pytest.fixture
def queued(cli: Cli, server: SandboxServer, tmp_path: Path) -> Cli:
    assert cli("connect", "--domain", "demo")[0] == 0
    assert cli("settings", "set", "sync-mode", "on-add")[0] == 0
    assert cli("settings", "set", "dedup", "off")[0] == 0
    csv = tmp_path / "people.csv"
    csv.write_text(PEOPLE, encoding="utf-8")
    assert cli("sequence", "create", "Down")[0] == 0
    assert cli("contacts", "import", str(csv), "--sequence", "Down")[0] == 0
    return cli


def test_a_failing_clockwork_ends_at_the_time_limit_with_the_reason(
    queued: Cli, server: SandboxServer
) -> None:
    server.knobs.update({"fault_rate": 1.0})
    started = time.monotonic()
    # 10 s: time for the client's own retries of one request (at most 7.5 s) to give up once.
    code, out, err = queued("sync", "run", "--timeout", "10")
    assert time.monotonic() - started < 25
    assert code == 1
    assert len(out.strip().splitlines()) == 1
    assert "5 left in the queue (" in out
    assert "last error: " in out
    assert "sync: " in err  # progress
    server.knobs.update({"fault_rate": 0.0})
    code, out, _ = queued("sync", "run", "--json", "--timeout", "120")
    summary = json.loads(out)
    assert (code, summary["remaining"], summary["timed_out"]) == (0, 0, False)
    assert server.state.stats()["peopleByEmail"]["p0@fresh.example.com"] == 1


@pytest.mark.parametrize("value", ["0", "-5", "1e9"])
def test_a_time_limit_out_of_range_is_bad_input(queued: Cli, value: str) -> None:
    code, _, err = queued("sync", "run", "--timeout", value)
    assert code == 2
    assert "--timeout" in err
    assert "Traceback" not in err


def test_retry_errors_queues_the_contacts_in_error_again(
    queued: Cli, server: SandboxServer
) -> None:
    code, out, _ = queued("sync", "retry", "--errors")
    assert (code, out.strip()) == (0, "0 contacts queued again; `sync run` sends them.")
    with pytest.raises(SystemExit) as exited:  # argparse: neither --errors nor an email
        queued("sync", "retry")
    assert exited.value.code == 2
