"""Undo of the destructive actions: contacts removed from a sequence, a sequence deleted.
Undo puts back every row, email activity and queued notes included, with the same ids."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.activity import record_activity
from app.domain import ActivityKind, ContactFilter, SyncMode
from app.errors import InputError
from app.store.models import (
    ActivityEvent,
    ClockworkSettings,
    Enrollment,
    OutboxItem,
    SequenceStep,
)
from app.workspace import Workspace
from tests.conftest import connect_firm, people

pytestmark = pytest.mark.both_databases


def counts(ws: Workspace) -> tuple[int, ...]:
    with ws.store.read() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Enrollment, ActivityEvent, OutboxItem, SequenceStep)
        )


def a_sequence_with_history(ws: Workspace) -> tuple[int, list[int]]:
    connect_firm(ws)
    ws.update_clockwork_settings(sync_mode=SyncMode.ON_ADD, dedup=False)
    seq = ws.create_sequence("CFO search")
    ws.mail.add_step(seq.id, subject="Hello {first_name}", body="Body")
    ws.add_contacts(seq.id, people(4))
    with ws.store.write() as session:
        settings = session.get_one(ClockworkSettings, ws.user_id)
        for enrollment in session.scalars(select(Enrollment)):
            record_activity(session, settings, enrollment, ActivityKind.SENT, step_index=0)
    ids = [row.id for row in ws.contacts_page(ContactFilter(sequence_id=seq.id), 0, 10)]
    return seq.id, ids


def test_removed_contacts_come_back_whole_with_undo(workspace: Workspace) -> None:
    seq, ids = a_sequence_with_history(workspace)
    before = counts(workspace)
    assert before[:2] == (4, 4)  # 4 enrollments, 4 emails sent
    assert workspace.remove_from_sequence(seq, ids[:2]) == 2
    assert workspace.count_contacts(ContactFilter(sequence_id=seq)) == 2
    assert workspace.count_contacts(ContactFilter()) == 4  # the contacts themselves stay
    assert counts(workspace)[:2] == (2, 2)

    assert workspace.undo_removal() == "Undone: 2 contacts removed from “CFO search”."
    assert counts(workspace) == before
    assert workspace.count_contacts(ContactFilter(sequence_id=seq)) == 4
    with pytest.raises(InputError, match="nothing to undo"):
        workspace.undo_removal()


def test_a_deleted_sequence_comes_back_with_its_steps_and_contacts(workspace: Workspace) -> None:
    seq, _ids = a_sequence_with_history(workspace)
    before = counts(workspace)
    workspace.delete_sequence(seq)
    assert workspace.sequences() == []
    assert counts(workspace)[:2] == (0, 0)
    assert counts(workspace)[3] == 0

    assert workspace.undo_removal() == "Undone: Sequence “CFO search” deleted."
    assert [s.name for s in workspace.sequences()] == ["CFO search"]
    assert counts(workspace) == before
    assert len(workspace.mail.steps(seq)) == 1


def test_undo_refuses_whole_when_the_rows_were_replaced(workspace: Workspace) -> None:
    seq, ids = a_sequence_with_history(workspace)
    workspace.remove_from_sequence(seq, ids[:1])
    with workspace.store.write() as session:  # the same contact added back meanwhile
        session.add(Enrollment(contact_id=ids[0], sequence_id=seq))
    with pytest.raises(InputError, match="can no longer be undone"):
        workspace.undo_removal()
    assert workspace.count_contacts(ContactFilter(sequence_id=seq)) == 4
