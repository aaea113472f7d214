"""Stored contacts added to another sequence: as importing them there would, the sync rules
apply and the suppression list keeps people out; the report says what happened."""

from __future__ import annotations

import pytest

from app.domain import ContactFilter, SyncMode
from app.errors import NotFoundError
from app.workspace import Workspace
from tests.conftest import connect_firm, people

pytestmark = pytest.mark.both_databases


def ids_in(ws: Workspace, sequence_id: int) -> set[int]:
    rows = ws.contacts_page(ContactFilter(sequence_id=sequence_id), 0, 100)
    return {row.id for row in rows}


def test_contacts_join_another_sequence_and_stay_in_the_first(workspace: Workspace) -> None:
    first = workspace.create_sequence("CFO search")
    second = workspace.create_sequence("Board search")
    workspace.add_contacts(first.id, people(5))
    chosen = sorted(ids_in(workspace, first.id))[:3]
    workspace.add_contacts(second.id, people(1))  # person0 is in the second already

    report = workspace.add_to_sequence(second.id, [*chosen, chosen[0]])

    assert (report.added, report.already, report.suppressed) == (2, 1, [])
    assert ids_in(workspace, second.id) == set(chosen)
    assert len(ids_in(workspace, first.id)) == 5
    assert workspace.count_contacts(ContactFilter()) == 5  # no contact was created


def test_the_suppression_list_keeps_people_out(workspace: Workspace) -> None:
    first = workspace.create_sequence("CFO search")
    second = workspace.create_sequence("Board search")
    workspace.add_contacts(first.id, people(3))
    workspace.suppression.add(["PERSON1@example.com"], "asked by phone")
    everyone = sorted(ids_in(workspace, first.id))

    report = workspace.add_to_sequence(second.id, everyone)

    assert (report.added, report.already, report.suppressed) == (2, 0, ["person1@example.com"])
    emails = {
        row.email for row in workspace.contacts_page(ContactFilter(sequence_id=second.id), 0, 9)
    }
    assert emails == {"person0@example.com", "person2@example.com"}


def test_with_sync_on_add_the_added_contacts_are_queued_to_clockwork(workspace: Workspace) -> None:
    connect_firm(workspace)
    workspace.update_clockwork_settings(sync_mode=SyncMode.ON_ADD, dedup=False)
    quiet = workspace.create_sequence("Not synced")
    workspace.set_sequence_sync(quiet.id, False)
    synced = workspace.create_sequence("Synced")
    workspace.add_contacts(quiet.id, people(2))
    assert workspace.queue_status()["outbox_pending"] == 0

    workspace.add_to_sequence(synced.id, sorted(ids_in(workspace, quiet.id)))

    assert workspace.queue_status()["outbox_pending"] == 2


def test_deleted_contacts_and_sequences(workspace: Workspace) -> None:
    seq = workspace.create_sequence("CFO search")
    workspace.add_contacts(seq.id, people(1))
    (only,) = ids_in(workspace, seq.id)
    report = workspace.add_to_sequence(seq.id, [only + 1000])  # deleted meanwhile: skipped
    assert (report.added, report.already) == (0, 0)
    with pytest.raises(NotFoundError, match="no longer exists"):
        workspace.add_to_sequence(seq.id + 1000, [only])
