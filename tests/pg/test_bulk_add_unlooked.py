"""A bulk add on PostgreSQL looks up a sample of its emails and, when none is stored, inserts
them all without looking each up (contacts.upsert_contacts): a stored email the sample missed
must still be filled in, not refused or doubled, and leave nothing half-written."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from sqlalchemy import text

from app.domain import ContactFilter, ContactInput, ImportReport
from app.store import contacts
from app.store.contacts import upsert_contacts
from app.workspace import Workspace

NEW = 6_000  # over contacts.WHOLE_SCAN, so the add is a bulk one


def _people(at: int, stored: ContactInput) -> list[ContactInput]:
    people = [ContactInput(email=f"p{i}@zq.example", company="Zqx") for i in range(NEW)]
    people.insert(at, stored)
    return people


@pytest.mark.parametrize("at", [1, NEW - 1], ids=["early", "late"])
def test_a_stored_email_the_sample_missed_is_filled_in(pg_url: str, at: int) -> None:
    with Workspace.open(pg_url) as ws:
        seq = ws.create_sequence("CFO")
        ws.add_contacts(seq.id, [ContactInput(email="kept@firm.example", title="CFO")])
        sample = list(range(0, NEW + 1, (NEW + 1) // contacts.SAMPLE))
        assert at not in sample

        later = ws.create_sequence("CEO")
        stored = ContactInput(email="KEPT@firm.example", company="Acme")
        report = ws.add_contacts(later.id, _people(at, stored))

        assert (report.added, report.updated) == (NEW, 1)
        assert ws.count_contacts(ContactFilter()) == NEW + 1
        assert ws.count_contacts(ContactFilter(sequence_id=later.id)) == NEW + 1
        with ws.store.read() as session:
            kept = session.execute(
                text("SELECT title, company FROM contacts WHERE email_key = 'kept@firm.example'")
            ).one()
            records = session.scalar(text("SELECT count(*) FROM sync_records"))
        assert tuple(kept) == ("CFO", "Acme")
        assert records == NEW + 1
        # The pairs and the search table after the rolled-back attempt: a short search and a
        # long one find the new contacts.
        assert ws.count_contacts(ContactFilter(search="zq")) == NEW
        assert ws.count_contacts(ContactFilter(search="p5999@zq")) == 1


def test_a_teammates_add_of_the_same_email_while_the_insert_waits_is_filled_in(
    pg_url: str,
) -> None:
    """The sample cannot see a teammate's uncommitted contact; the insert waits on the unique
    index for their commit, is refused, and the add goes the looked-up way."""
    with Workspace.open(pg_url) as ws, Workspace.open(pg_url) as teammate:
        seq = ws.create_sequence("CFO")
        reports: list[ImportReport] = []
        with teammate.store.write() as session:
            upsert_contacts(session, [ContactInput(email="shared@firm.example", title="CFO")])
            adding = threading.Thread(
                target=lambda: reports.append(
                    ws.add_contacts(seq.id, _people(1, ContactInput(email="shared@firm.example")))
                )
            )
            adding.start()
            _wait_for_a_lock_wait(ws)
        adding.join(timeout=60)
        assert [(r.added, r.updated) for r in reports] == [(NEW, 1)]
        assert ws.count_contacts(ContactFilter(sequence_id=seq.id)) == NEW + 1
        assert ws.count_contacts(ContactFilter(search="shared@")) == 1


def _wait_for_a_lock_wait(ws: Workspace) -> None:
    waiting = text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with ws.store.engine.connect() as conn:
            if conn.scalar(waiting):
                return
        time.sleep(0.02)
    raise AssertionError("the add never waited for the teammate's commit")


def test_another_failure_in_the_insert_is_raised_and_nothing_is_kept(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = contacts._add_sync_records
    calls: list[int] = []

    def broken(*args: Any) -> None:
        """Fails once: an add that retried the other way would then succeed."""
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("disk full")
        real(*args)

    with Workspace.open(pg_url) as ws:
        seq = ws.create_sequence("CFO")
        monkeypatch.setattr(contacts, "_add_sync_records", broken)
        with pytest.raises(RuntimeError, match="disk full"):
            ws.add_contacts(seq.id, _people(0, ContactInput(email="first@firm.example")))
        assert ws.count_contacts(ContactFilter()) == 0
        report = ws.add_contacts(seq.id, _people(0, ContactInput(email="first@firm.example")))
        assert report.added == NEW + 1
        assert ws.count_contacts(ContactFilter(search="zq")) == NEW
