"""Crash safety: a worker process killed with SIGKILL at random moments, 20 times, loses and
duplicates nothing. Also the fault soak: 5xx, dropped connections and 429 bursts together."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from app.domain import ContactFilter, ContactInput, ContactSyncState, SyncMode
from app.sandbox.knobs import Knobs
from app.sandbox.server import SandboxServer, environment
from app.workspace import Workspace
from tests.conftest import connect_firm

ROOT = Path(__file__).resolve().parents[2]
CONTACTS = 2000
REPLIED = range(0, CONTACTS, 4)
pytestmark = pytest.mark.slow


@pytest.fixture(params=["honour", "ignore", "refuse"])
def server(request: pytest.FixtureRequest) -> Iterator[SandboxServer]:
    """In each of the sandbox's answers to details sent inline in a create."""
    with SandboxServer(knobs=Knobs(latency_ms=3, inline_details=request.param)) as running:
        yield running


def contacts() -> list[ContactInput]:
    return [
        ContactInput(
            email=f"candidate{i}@crash.example.com",
            first_name="Cand",
            last_name=f"Idate{i}",
            title="CFO",
            company=f"Co {i % 50}",
        )
        for i in range(CONTACTS)
    ]


def prepared(db_url: str, server: SandboxServer) -> None:
    with Workspace.open(db_url) as ws:
        connect_firm(ws, server.credentials.firm)
        ws.update_clockwork_settings(sync_mode=SyncMode.ON_ADD, dedup=False, activity_tracking=True)
        project = next(p for p in server.state.list_projects(100, 0) if p["status"] == "Active")
        ws.set_default_project(str(project["id"]))
        seq = ws.create_sequence("Crash test")
        ws.add_contacts(seq.id, contacts())
        for i in REPLIED:
            ws.record_reply(f"candidate{i}@crash.example.com", "Crash test")


def start_worker(db_url: str, server: SandboxServer) -> subprocess.Popen[str]:
    env = {**os.environ, **environment(server), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "sync" / "crash_worker.py"), db_url],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def assert_end_state(db_url: str, db_path: Path, server: SandboxServer) -> None:
    with Workspace.open(db_url) as ws:
        rows = ws.contacts_page(ContactFilter(), 0, CONTACTS + 1)
        status = ws.status()
    assert len(rows) == CONTACTS
    assert {r.state for r in rows} == {ContactSyncState.SYNCED}
    nameless = [p for p in server.state.list_people(100_000, 0) if not p["emailAddresses"]]
    orphans = [p["name"] for p in nameless if p["name"].startswith("Cand ")]
    assert orphans == []
    assert status["outbox_pending"] == 0
    by_email = server.state.stats()["peopleByEmail"]
    duplicated = {r.email: by_email.get(r.email) for r in rows if by_email.get(r.email) != 1}
    assert duplicated == {}
    for row in rows:  # every detail present on every person, once
        person = server.state.find_person(row.email)
        assert person is not None
        assert [e["address"] for e in person["emailAddresses"]] == [row.email]
        assert [p["title"] for p in person["positions"]] == ["CFO"]
    for i in REPLIED:
        person = server.state.find_person(f"candidate{i}@crash.example.com")
        assert person is not None
        assert len(server.state.list_notes(str(person["id"]), 100)) == 1
    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_kill_9_at_random_moments_loses_and_duplicates_nothing(
    tmp_path: Path, server: SandboxServer
) -> None:
    db_path = tmp_path / "crash.db"
    db_url = f"sqlite:///{db_path}"
    prepared(db_url, server)
    rng = random.Random(20261127)
    for _ in range(20):
        worker = start_worker(db_url, server)
        time.sleep(rng.uniform(0.8, 3.0))
        worker.send_signal(signal.SIGKILL)
        worker.communicate(timeout=30)
        assert worker.returncode == -signal.SIGKILL
    final = start_worker(db_url, server)
    out, err = final.communicate(timeout=600)
    assert final.returncode == 0, err
    assert '"remaining": 0' in out
    assert_end_state(db_url, db_path, server)


def test_fault_soak_reaches_the_same_end_state(tmp_path: Path, server: SandboxServer) -> None:
    db_path = tmp_path / "soak.db"
    db_url = f"sqlite:///{db_path}"
    prepared(db_url, server)
    server.knobs.update(
        {
            "fault_rate": 0.10,
            "drop_after_write_rate": 0.05,
            "burst_429": 40,
            "retry_after_s": 0.05,
            "seed": 5,
        }
    )
    worker = start_worker(db_url, server)
    time.sleep(5)
    server.knobs.update({"burst_429": 40})
    out, err = worker.communicate(timeout=900)
    assert worker.returncode == 0, err
    assert '"remaining": 0' in out
    assert_end_state(db_url, db_path, server)
