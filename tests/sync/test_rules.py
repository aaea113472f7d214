"""The article's rules for what gets queued, before any network: mode, toggle, dedup, project."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.domain import OutboxKind, SyncMode
from app.store.models import OutboxItem
from app.workspace import Workspace
from tests.conftest import connect_firm, people

pytestmark = pytest.mark.both_databases


def queued(ws: Workspace) -> list[tuple[str, int, str | None]]:
    with ws.store.read() as session:
        rows = session.execute(
            select(OutboxItem.kind, OutboxItem.contact_id, OutboxItem.project_id)
        )
        return sorted(rows)


def test_nothing_is_queued_before_connecting(workspace: Workspace) -> None:
    workspace.update_clockwork_settings(sync_mode=SyncMode.ON_ADD)
    seq = workspace.create_sequence("A")
    workspace.add_contacts(seq.id, people(3))
    assert queued(workspace) == []


def test_on_add_queues_a_sync_with_the_sequence_project(workspace: Workspace) -> None:
    connect_firm(workspace)
    workspace.update_clockwork_settings(sync_mode=SyncMode.ON_ADD)
    workspace.set_default_project("p-default")
    seq = workspace.create_sequence("A")
    workspace.set_sequence_project(seq.id, "p-override")
    workspace.add_contacts(seq.id, people(2))
    assert queued(workspace) == [
        ("sync_contact", 1, "p-override"),
        ("sync_contact", 2, "p-override"),
    ]
    assert workspace.status()["contacts_by_state"]["queued"] == 2  # type: ignore[index]


def test_default_project_applies_without_an_override(workspace: Workspace) -> None:
    connect_firm(workspace)
    workspace.update_clockwork_settings(sync_mode=SyncMode.ON_ADD)
    workspace.set_default_project("p-default")
    seq = workspace.create_sequence("A")
    workspace.add_contacts(seq.id, people(1))
    assert queued(workspace) == [("sync_contact", 1, "p-default")]


def test_sync_off_with_dedup_only_looks_up(workspace: Workspace) -> None:
    connect_firm(workspace)
    workspace.update_clockwork_settings(sync_mode=SyncMode.OFF, dedup=True)
    seq = workspace.create_sequence("A")
    workspace.add_contacts(seq.id, people(1))
    assert queued(workspace) == [(OutboxKind.DEDUP_CHECK.value, 1, None)]


def test_sync_off_without_dedup_queues_nothing(workspace: Workspace) -> None:
    connect_firm(workspace)
    workspace.update_clockwork_settings(sync_mode=SyncMode.OFF, dedup=False)
    seq = workspace.create_sequence("A")
    workspace.add_contacts(seq.id, people(1))
    assert queued(workspace) == []


def test_a_sequence_toggled_off_does_not_sync_its_contacts_then_or_later(
    workspace: Workspace,
) -> None:
    connect_firm(workspace)
    workspace.update_clockwork_settings(sync_mode=SyncMode.ON_REPLY, dedup=False)
    seq = workspace.create_sequence("Quiet")
    workspace.set_sequence_sync(seq.id, False)
    workspace.add_contacts(seq.id, people(1))
    workspace.set_sequence_sync(seq.id, True)
    workspace.record_reply("person0@example.com", "Quiet")
    assert queued(workspace) == []


def test_on_reply_queues_only_the_contact_who_replied(workspace: Workspace) -> None:
    connect_firm(workspace)
    workspace.update_clockwork_settings(sync_mode=SyncMode.ON_REPLY, dedup=False)
    seq = workspace.create_sequence("A")
    workspace.add_contacts(seq.id, people(3))
    assert queued(workspace) == []
    workspace.record_reply("person1@example.com", "A")
    assert queued(workspace) == [("sync_contact", 2, None)]


def test_a_contact_is_not_queued_twice(workspace: Workspace) -> None:
    connect_firm(workspace)
    workspace.update_clockwork_settings(sync_mode=SyncMode.ON_ADD)
    a = workspace.create_sequence("A")
    b = workspace.create_sequence("B")
    workspace.add_contacts(a.id, people(1))
    workspace.add_contacts(b.id, people(1))
    assert len(queued(workspace)) == 1
