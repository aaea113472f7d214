"""Two app instances on one team database resync 2,000 contacts against one Clockwork: no
person is created twice, no contact is synced twice, and each queued item is done once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain import ContactInput, OutboxStatus, SyncMode
from app.sandbox.knobs import Knobs
from app.sandbox.server import SandboxServer, environment
from app.store.models import OutboxItem, SyncLogEntry
from app.sync.resync import ResyncScope
from app.workspace import Workspace
from tests.conftest import connect_firm

ROOT = Path(__file__).resolve().parents[2]
WORKER = ROOT / "tests" / "sync" / "crash_worker.py"
CONTACTS = 2000
ALREADY_IN_CLOCKWORK = range(0, CONTACTS, 10)
REPLIED = range(0, CONTACTS, 4)
pytestmark = [pytest.mark.slow, pytest.mark.postgres]


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    with SandboxServer(knobs=Knobs(latency_ms=3)) as running:
        yield running


def email(i: int) -> str:
    return f"teammate.lead{i}@shared.example.com"


def prepare(db_url: str, server: SandboxServer) -> None:
    """2,000 unsynced contacts (sync off), a tenth already in Clockwork, a quarter replied."""
    for i in ALREADY_IN_CLOCKWORK:
        person = server.state.create_person("Lead", f"Known{i}")
        server.state.add_email(str(person["id"]), email(i))
    with Workspace.open(db_url) as ws:
        connect_firm(ws, server.credentials.firm)
        ws.update_clockwork_settings(sync_mode=SyncMode.OFF, dedup=False, activity_tracking=True)
        project = next(p for p in server.state.list_projects(100, 0) if p["status"] == "Active")
        ws.set_default_project(str(project["id"]))
        seq = ws.create_sequence("Shared pipeline")
        leads = [ContactInput(email(i), "Lead", f"Number{i}", "CFO") for i in range(CONTACTS)]
        ws.add_contacts(seq.id, leads)
        for i in REPLIED:
            ws.record_reply(email(i), seq.name)
        _, queued = ws.sync.resync(ResyncScope(everything=True))
    assert queued == CONTACTS


def start_worker(db_url: str, server: SandboxServer) -> subprocess.Popen[str]:
    env = {**os.environ, **environment(server), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, str(WORKER), db_url],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_two_workers(db_url: str, server: SandboxServer) -> list[dict[str, int]]:
    workers = [start_worker(db_url, server) for _ in range(2)]
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=900)
        assert worker.returncode == 0, err
        results.append(json.loads(out))
    return results


def assert_synced_once(db_url: str, server: SandboxServer) -> None:
    by_email = server.state.stats()["peopleByEmail"]
    assert {by_email.get(email(i)) for i in range(CONTACTS)} == {1}
    with Workspace.open(db_url) as ws, ws.store.read() as session:
        outbox = Counter(session.scalars(select(OutboxItem.status)))
        made = select(SyncLogEntry.contact_id, SyncLogEntry.outbox_id).where(
            SyncLogEntry.step.in_(["create", "link"]), SyncLogEntry.outcome == "ok"
        )
        rows = session.execute(made).all()
        notes_logged = session.scalar(
            select(func.count()).where(
                SyncLogEntry.step.like("note:%"), SyncLogEntry.outcome == "ok"
            )
        )
    assert outbox == {OutboxStatus.DONE.value: CONTACTS}
    assert len(rows) == CONTACTS
    assert len({contact for contact, _ in rows}) == CONTACTS
    assert len({item for _, item in rows}) == CONTACTS
    assert notes_logged == len(REPLIED)
    for i in REPLIED:
        person = server.state.find_person(email(i))
        assert person is not None
        assert len(server.state.list_notes(str(person["id"]), 100)) == 1


def test_two_instances_never_sync_a_contact_twice(pg_url: str, server: SandboxServer) -> None:
    prepare(pg_url, server)
    requests_before = server.state.stats()["requests"]
    started = time.monotonic()
    results = run_two_workers(pg_url, server)
    elapsed = time.monotonic() - started
    synced = [r.get("synced", 0) for r in results]
    assert sum(synced) == CONTACTS
    assert all(n > 0 for n in synced), f"one worker did all the work: {synced}"
    assert [r["remaining"] for r in results] == [0, 0]
    assert_synced_once(pg_url, server)
    requests = server.state.stats()["requests"] - requests_before
    print(f"\ntwo workers: {elapsed:.1f} s, {requests} requests, synced {synced}, duplicates 0")
