"""Enrollments and sync records name a contact and a sequence that exist, on both engines, also
while another transaction deletes one: what any faster way of checking must keep (bulk adds
spend a third of their time on PostgreSQL in these keys' row checks; docs/performance.md)."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.domain import ContactInput, OutboxKind
from app.store.models import Contact, Enrollment, OutboxItem, Sequence, SyncRecord, User
from app.workspace import Workspace
from tests.conftest import people

pytestmark = pytest.mark.both_databases

MISSING = 10**9


def _enrolment(contact_id: int, sequence_id: int) -> dict[str, object]:
    return {
        "contact_id": contact_id,
        "sequence_id": sequence_id,
        "status": "active",
        "sync_enabled_at_add": False,
        "next_step": 0,
    }


def _count(ws: Workspace, model: type[Enrollment] | type[SyncRecord]) -> int:
    with ws.store.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_an_enrolment_of_a_missing_contact_or_sequence_is_refused(workspace: Workspace) -> None:
    seq = workspace.create_sequence("S")
    workspace.add_contacts(seq.id, people(3))
    with workspace.store.read() as session:
        first = min(session.scalars(select(Contact.id)))
    for row in (_enrolment(MISSING, seq.id), _enrolment(first, MISSING)):
        with pytest.raises(IntegrityError), workspace.store.write() as session:
            # A whole set at once, the bulk add's way, with the one bad row among good ones.
            session.execute(insert(Enrollment), [row])
    assert _count(workspace, Enrollment) == 3


def test_a_sync_record_of_a_missing_contact_is_refused(workspace: Workspace) -> None:
    seq = workspace.create_sequence("S")
    workspace.add_contacts(seq.id, people(2))
    with pytest.raises(IntegrityError), workspace.store.write() as session:
        session.execute(insert(SyncRecord), [{"contact_id": MISSING, "state": "not_synced"}])
    assert _count(workspace, SyncRecord) == 2


def test_moving_an_enrolment_to_a_missing_sequence_is_refused(workspace: Workspace) -> None:
    seq = workspace.create_sequence("S")
    workspace.add_contacts(seq.id, people(2))
    with pytest.raises(IntegrityError), workspace.store.write() as session:
        session.execute(update(Enrollment).values(sequence_id=MISSING))
    other = workspace.create_sequence("T")
    with workspace.store.write() as session:
        session.execute(update(Enrollment).values(sequence_id=other.id))  # one that exists
    assert [s.contact_count for s in workspace.sequences() if s.id == other.id] == [2]


def test_deleting_contacts_deletes_their_enrolments_and_sync_records(
    workspace: Workspace,
) -> None:
    seq = workspace.create_sequence("S")
    workspace.add_contacts(seq.id, people(5))
    with workspace.store.write() as session:
        session.execute(delete(Contact).where(Contact.email_key < "person2"))
    assert (_count(workspace, Enrollment), _count(workspace, SyncRecord)) == (3, 3)
    assert [s.contact_count for s in workspace.sequences()] == [3]  # the tallies followed


def test_deleting_a_sequence_deletes_its_enrolments(workspace: Workspace) -> None:
    keep, gone = workspace.create_sequence("Keep"), workspace.create_sequence("Gone")
    workspace.add_contacts(keep.id, people(2))
    workspace.add_contacts(gone.id, people(4))
    with workspace.store.write() as session:
        session.execute(delete(Sequence).where(Sequence.id == gone.id))
    assert (_count(workspace, Enrollment), _count(workspace, SyncRecord)) == (2, 4)


def test_a_contacts_id_never_changes_while_it_is_enrolled(workspace: Workspace) -> None:
    seq = workspace.create_sequence("S")
    workspace.add_contacts(seq.id, [ContactInput(email="a@example.com")])
    with pytest.raises(IntegrityError), workspace.store.write() as session:
        session.execute(update(Contact).values(id=MISSING))


def test_a_set_with_one_missing_contact_among_many_is_refused_whole(workspace: Workspace) -> None:
    seq, other = workspace.create_sequence("S"), workspace.create_sequence("T")
    workspace.add_contacts(seq.id, people(50))
    with workspace.store.read() as session:
        ids = sorted(session.scalars(select(Contact.id)))
    rows = [_enrolment(cid, other.id) for cid in ids] + [_enrolment(MISSING, other.id)]
    with pytest.raises(IntegrityError), workspace.store.write() as session:
        session.execute(insert(Enrollment), rows)
    assert _count(workspace, Enrollment) == 50
    with workspace.store.write() as session:
        session.execute(insert(Enrollment), rows[:-1])  # the same set without it goes in
    assert _count(workspace, Enrollment) == 100


def test_a_run_of_contacts_with_one_gone_from_its_middle_is_refused(workspace: Workspace) -> None:
    """Ids in a run, as a bulk add's new contacts are, with a hole where a contact was deleted."""
    seq, other = workspace.create_sequence("S"), workspace.create_sequence("T")
    workspace.add_contacts(seq.id, people(30))
    with workspace.store.write() as session:
        ids = sorted(session.scalars(select(Contact.id)))
        session.execute(delete(Contact).where(Contact.id == ids[15]))
        session.execute(delete(SyncRecord))
    records = [{"contact_id": cid, "state": "not_synced"} for cid in ids]
    with pytest.raises(IntegrityError), workspace.store.write() as session:
        session.execute(insert(SyncRecord), records)
    with pytest.raises(IntegrityError), workspace.store.write() as session:
        session.execute(insert(Enrollment), [_enrolment(cid, other.id) for cid in ids])
    assert (_count(workspace, Enrollment), _count(workspace, SyncRecord)) == (29, 0)
    with workspace.store.write() as session:  # the run without the hole goes in
        session.execute(insert(SyncRecord), records[:15] + records[16:])
        session.execute(insert(Enrollment), [_enrolment(cid, other.id) for cid in ids[16:]])
    assert (_count(workspace, Enrollment), _count(workspace, SyncRecord)) == (29 + 14, 29)


def _outbox_item(contact_id: int, user_id: int | None) -> dict[str, object]:
    return {"kind": OutboxKind.SYNC_CONTACT.value, "contact_id": contact_id, "user_id": user_id}


def test_outbox_items_go_with_their_contact_and_outlive_their_user(workspace: Workspace) -> None:
    seq = workspace.create_sequence("S")
    workspace.add_contacts(seq.id, people(2))
    with workspace.store.write() as session:
        first, second = sorted(session.scalars(select(Contact.id)))
        user = User(name="Leaving", email="leaving@example.com", email_key="leaving@example.com")
        session.add(user)
        session.flush()
        session.execute(insert(OutboxItem), [_outbox_item(first, user.id)] * 2)
        session.execute(insert(OutboxItem), [_outbox_item(second, user.id)])
    with workspace.store.write() as session:
        session.execute(delete(Contact).where(Contact.id == first))
        session.execute(delete(User).where(User.email_key == "leaving@example.com"))
    with workspace.store.read() as session:
        left = session.execute(select(OutboxItem.contact_id, OutboxItem.user_id)).all()
    assert [tuple(row) for row in left] == [(second, None)]


def test_an_outbox_item_of_a_missing_contact_or_user_is_refused(workspace: Workspace) -> None:
    seq = workspace.create_sequence("S")
    workspace.add_contacts(seq.id, people(1))
    with workspace.store.read() as session:
        contact = session.scalar(select(Contact.id))
    assert contact is not None
    for row in (_outbox_item(MISSING, None), _outbox_item(contact, MISSING)):
        with pytest.raises(IntegrityError), workspace.store.write() as session:
            session.execute(insert(OutboxItem), [row])
    with workspace.store.write() as session:
        session.execute(insert(OutboxItem), [_outbox_item(contact, None)])  # no user is fine
    with workspace.store.read() as session:
        assert session.scalar(select(func.count()).select_from(OutboxItem)) == 1
