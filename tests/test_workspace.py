"""The Workspace façade: sequences, adding contacts, replies, status and the events it publishes."""

from __future__ import annotations

import pytest

from app import events
from app.domain import ContactFilter, ContactInput, ContactSyncState
from app.errors import InputError, NotFoundError
from app.workspace import Workspace
from tests.conftest import connect_firm, people

pytestmark = pytest.mark.both_databases


def test_sequences_create_rename_delete(workspace: Workspace) -> None:
    first = workspace.create_sequence("  CFO   search ")
    workspace.create_sequence("board advisors")
    assert [s.name for s in workspace.sequences()] == ["board advisors", "CFO search"]
    workspace.rename_sequence(first.id, "CFO – Northwind")
    assert workspace.sequence_by_name("cfo – northwind").id == first.id
    workspace.delete_sequence(first.id)
    assert [s.name for s in workspace.sequences()] == ["board advisors"]


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
def test_sequence_names_are_validated(workspace: Workspace, name: str) -> None:
    with pytest.raises(InputError):
        workspace.create_sequence(name)


def test_duplicate_sequence_names_are_refused_case_insensitively(workspace: Workspace) -> None:
    workspace.create_sequence("Partners")
    with pytest.raises(InputError, match="already exists"):
        workspace.create_sequence("partners")
    other = workspace.create_sequence("Associates")
    with pytest.raises(InputError, match="already exists"):
        workspace.rename_sequence(other.id, "PARTNERS")


def test_deleting_a_sequence_keeps_its_contacts(workspace: Workspace) -> None:
    seq = workspace.create_sequence("Temp")
    workspace.add_contacts(seq.id, people(3))
    workspace.delete_sequence(seq.id)
    assert workspace.count_contacts(ContactFilter()) == 3
    with pytest.raises(NotFoundError):
        workspace.add_contacts(seq.id, people(1))


def test_adding_contacts_upserts_and_enrolls_once(workspace: Workspace) -> None:
    a = workspace.create_sequence("A")
    b = workspace.create_sequence("B")
    assert workspace.add_contacts(a.id, people(5)).added == 5
    again = workspace.add_contacts(b.id, people(7))
    assert (again.added, again.updated) == (2, 5)
    workspace.add_contacts(b.id, people(7))
    counts = {s.name: s.contact_count for s in workspace.sequences()}
    assert counts == {"A": 5, "B": 7}
    assert workspace.count_contacts(ContactFilter(sequence_id=a.id)) == 5


def test_a_thinner_row_never_erases_what_was_known(workspace: Workspace) -> None:
    seq = workspace.create_sequence("A")
    workspace.add_contacts(seq.id, [ContactInput(email="x@y.com", first_name="Xu", company="Acme")])
    workspace.add_contacts(seq.id, [ContactInput(email="X@Y.com", title="CFO")])
    [row] = workspace.contacts_page(ContactFilter(), 0, 10)
    assert (row.first_name, row.company, row.title) == ("Xu", "Acme", "CFO")


def test_contact_filter_search_state_and_paging(workspace: Workspace) -> None:
    seq = workspace.create_sequence("A")
    workspace.add_contacts(seq.id, people(250))
    workspace.add_contacts(
        seq.id, [ContactInput(email="zoe@north.com", first_name="Zoë", company="Northwind")]
    )
    assert workspace.count_contacts(ContactFilter(search="northWIND")) == 1
    assert workspace.count_contacts(ContactFilter(search="zoë")) == 1
    assert workspace.count_contacts(ContactFilter(search="100%")) == 0
    assert workspace.count_contacts(ContactFilter(states=frozenset({ContactSyncState.SYNCED}))) == 0
    page = workspace.contacts_page(ContactFilter(), 200, 100)
    assert [r.email for r in page[:2]] == ["person200@example.com", "person201@example.com"]
    assert len(page) == 51


def test_replies_are_recorded_and_unknown_ones_refused(workspace: Workspace) -> None:
    seq = workspace.create_sequence("A")
    workspace.add_contacts(seq.id, people(2))
    workspace.record_reply("PERSON1@example.com", "a")
    with pytest.raises(NotFoundError):
        workspace.record_reply("nobody@example.com", "A")
    with pytest.raises(NotFoundError):
        workspace.record_reply("person1@example.com", "No such sequence")


def test_changes_publish_events(workspace: Workspace) -> None:
    seen: list[str] = []
    workspace.bus.subscribe("*", lambda e: seen.append(e.topic))
    seq = workspace.create_sequence("A")
    workspace.add_contacts(seq.id, people(1))
    assert seen == [events.SEQUENCES_CHANGED, events.CONTACTS_CHANGED, events.SEQUENCES_CHANGED]


def test_a_failure_mid_change_leaves_the_store_untouched(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    seq = workspace.create_sequence("A")

    def disk_full(*_args: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("app.sync.rules.contacts_added", disk_full)
    with pytest.raises(OSError, match="No space"):
        workspace.add_contacts(seq.id, people(10))
    assert workspace.count_contacts(ContactFilter()) == 0
    assert workspace.sequences()[0].contact_count == 0


def test_queue_status_is_the_status_bars_part_of_status(workspace: Workspace) -> None:
    connect_firm(workspace)
    seq = workspace.create_sequence("Queue")
    workspace.add_contacts(seq.id, people(3))
    full = workspace.status()
    assert full["outbox_pending"] == 3  # one create per contact, queued on adding
    assert workspace.queue_status() == {
        "outbox_pending": full["outbox_pending"],
        "mail": full["mail"],
    }
