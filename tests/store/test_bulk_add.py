"""A bulk add leaves every column exactly as adding the same contacts one at a time through the
ORM would (row by row, with every trigger live): the upsert by case-insensitive email, blanks
that never erase, duplicates in one batch, suppressed addresses kept out of the sequence, the
tallies and the search index. Run on both engines, at sizes that take the set-based paths."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Sequence as Seq
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import make_url, select, text
from sqlalchemy.orm import Session

from app.domain import ContactFilter, ContactInput, ContactSyncState, ImportReport
from app.optout.suppression import suppressed_keys
from app.store import contacts, tallies
from app.store.models import Contact, Enrollment, Sequence, SyncRecord
from app.workspace import Workspace
from tests.pg import database as pg

pytestmark = pytest.mark.both_databases
FIELDS = ("first_name", "last_name", "title", "company", "linkedin_url", "phone")
WHOLE_SCAN = 50  # the set-based paths' threshold, lowered so that small adds take them
STORED = 300


@pytest.fixture(autouse=True)
def _small_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(contacts, "WHOLE_SCAN", WHOLE_SCAN)


def person(i: int, **fields: str) -> ContactInput:
    values = {
        "first_name": f"First{i}",
        "last_name": f"Last{i % 13}",
        "title": f"Title{i % 5}",
        "company": f"Company{i % 7}",
        "linkedin_url": f"https://www.linkedin.com/in/p{i}",
        "phone": f"+44 {i:06d}" if i % 3 == 0 else "",
    }
    return ContactInput(email=f"p{i}@firm{i % 7}.example", **(values | fields))


def stored() -> list[ContactInput]:
    """What the store holds before the add: every fourth person with blanks to fill."""
    return [person(i, title="", phone="") if i % 4 == 0 else person(i) for i in range(STORED)]


def batch() -> list[ContactInput]:
    """Known people in other case, with blanks and changes; new people; duplicates in it."""
    rows: list[ContactInput] = []
    for i in range(0, STORED, 2):  # half the store again
        changed = {"company": f"Moved{i}"} if i % 6 == 0 else {}
        blank = {"first_name": "", "linkedin_url": ""} if i % 10 == 0 else {}
        known = person(i, **changed, **blank)
        rows.append(replace(known, email=known.email.upper()) if i % 3 == 0 else known)
    rows += [person(i) for i in range(STORED, STORED + WHOLE_SCAN + 200)]  # new
    later = person(STORED + 1, title="Later title")
    rows.append(replace(later, email=later.email.title()))  # new, twice: this row's values
    rows.append(replace(person(5, phone=""), email="P5@FIRM5.EXAMPLE"))  # known, twice
    return rows


SUPPRESSED = [f"p{i}@firm{i % 7}.example" for i in (8, 12, 21, STORED + 3, STORED + 40)] + [
    "nobody@nowhere.example"
]


def reference_add(session: Session, sequence_id: int, contacts: Seq[ContactInput]) -> ImportReport:
    """The add, one contact at a time: the last row of an address gives its values."""
    unique = {c.email.lower(): c for c in contacts}
    ids: dict[str, int] = {}
    added = updated = 0
    for key, c in unique.items():
        row = session.scalar(select(Contact).where(Contact.email_key == key))
        if row is None:
            row = Contact(email_key=key, email=c.email, **{f: getattr(c, f) for f in FIELDS})
            session.add(row)
            session.flush()
            session.add(SyncRecord(contact_id=row.id, state=ContactSyncState.NOT_SYNCED.value))
            added += 1
        else:
            for f in FIELDS:
                if getattr(c, f):
                    setattr(row, f, getattr(c, f))
            updated += 1
        session.flush()
        ids[key] = row.id
    blocked = suppressed_keys(session, (c.email for c in contacts))
    seq = session.get(Sequence, sequence_id)
    assert seq is not None
    for key in unique:
        known = select(Enrollment).where(
            Enrollment.contact_id == ids[key], Enrollment.sequence_id == sequence_id
        )
        if key not in blocked and session.scalar(known) is None:
            session.add(
                Enrollment(
                    contact_id=ids[key],
                    sequence_id=sequence_id,
                    status="active",
                    sync_enabled_at_add=seq.sync_to_clockwork,
                    next_step=0,
                )
            )
            session.flush()
    return ImportReport(added=added, updated=updated, suppressed=sorted(blocked))


def snapshot(ws: Workspace) -> dict[str, Any]:
    """Every column but the timestamps, the tallies as kept and as recounted, some searches.
    Contacts go by email key, in id order: which ids they got is the engine's business."""
    tables = {
        "contacts": "SELECT email_key, email, first_name, last_name, title, company, "
        "linkedin_url, phone, do_not_contact FROM contacts ORDER BY id",
        "sync_records": "SELECT c.email_key, state, clockwork_person_id, candidacy_id, "
        "project_id, duplicate_of, create_attempted_at, last_error, synced_at "
        "FROM sync_records s JOIN contacts c ON c.id = s.contact_id ORDER BY c.id",
        "enrollments": "SELECT c.email_key, sequence_id, status, replied_at, "
        "sync_enabled_at_add, next_step, next_due_at, send_state, send_message_id, "
        "send_started_at, stop_reason, send_error FROM enrollments e "
        "JOIN contacts c ON c.id = e.contact_id ORDER BY sequence_id, c.id",
        "tallies": "SELECT sequence_id, state, n FROM contact_tallies WHERE n <> 0 "
        "ORDER BY sequence_id, state",
    }
    with ws.store.engine.connect() as conn:
        shot: dict[str, Any] = {
            name: [tuple(r) for r in conn.execute(text(sql))] for name, sql in tables.items()
        }
    with ws.store.engine.begin() as conn:
        tallies.rebuild(conn)
        shot["recounted"] = [tuple(r) for r in conn.execute(text(tables["tallies"]))]
    later = f"p{STORED + 1}@firm{(STORED + 1) % 7}"
    searches = ("moved12", f"first{STORED + 5}", "later title", "company3", later)
    shot["searches"] = [ws.count_contacts(ContactFilter(search=s)) for s in searches]
    return shot


def batches() -> list[list[ContactInput]]:
    """The mixed batch (whole-table look-ups), then new people only (enrolled as a run of ids),
    then a few known people (looked up by index)."""
    new = [person(i) for i in range(STORED + 300, STORED + 360)]
    known = [
        replace(person(i, title="Again"), email=f"P{i}@firm{i % 7}.example") for i in range(1, 56)
    ]
    return [batch(), new, known]


def run(url: str, bulk: bool) -> tuple[list[ImportReport], dict[str, Any]]:
    ws = Workspace.open(url)
    try:
        first, second = ws.create_sequence("First"), ws.create_sequence("Second")
        ws.add_contacts(first.id, stored())
        ws.suppression.add(SUPPRESSED)
        ws.add_contacts(second.id, [person(i) for i in range(0, STORED, 3)])  # some in it already
        reports = []
        for rows in batches():
            if bulk:
                reports.append(ws.add_contacts(second.id, rows))
                continue
            with ws.store.write() as session:
                reports.append(reference_add(session, second.id, rows))
        return reports, snapshot(ws)
    finally:
        ws.close()


def gapped(new_ids: Callable[[Session, int], list[int]]) -> Callable[[Session, int], list[int]]:
    """Every other id of twice as many: ascending, unused, never a run."""
    return lambda session, n: new_ids(session, 2 * n)[::2]


def fresh(db_url: str, tmp_path: Path, name: str) -> str:
    if db_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / name}"
    pg.empty_schema(make_url(db_url))
    return db_url


@pytest.mark.parametrize("gaps", [False, True], ids=["run", "gaps"])
def test_a_bulk_add_leaves_every_column_as_one_at_a_time_would(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gaps: bool
) -> None:
    """`gaps`: the new ids do not form a run, as when another writer on PostgreSQL took some
    from the sequence meanwhile; the add then goes row by row where it would copy a run."""
    expected_reports, expected = run(fresh(db_url, tmp_path, "reference.db"), bulk=False)
    if gaps:
        monkeypatch.setattr(contacts, "_new_ids", gapped(contacts._new_ids))
    reports, got = run(fresh(db_url, tmp_path, "bulk.db"), bulk=True)
    assert reports == expected_reports
    assert [r.added for r in reports] == [WHOLE_SCAN + 200, 60, 0]
    assert reports[0].suppressed
    assert reports[2].suppressed
    for name in expected:
        assert got[name] == expected[name], name
    assert got["tallies"] == got["recounted"]
    assert all(got["searches"])
