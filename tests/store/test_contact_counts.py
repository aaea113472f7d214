"""Counts from the tallies equal counting the rows, through every kind of change; keyset pages
and anchors walk the same rows as the old offset pages."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text, update

from app.domain import ContactFilter, ContactInput, ContactSort, ContactSyncState
from app.store.contact_pages import key_of
from app.store.models import SyncRecord
from app.workspace import Workspace
from tests.store.scan_oracle import scan_ids

pytestmark = pytest.mark.both_databases
STATES = list(ContactSyncState)


def people(prefix: str, n: int) -> list[ContactInput]:
    return [ContactInput(email=f"{prefix}{i}@ex.com", last_name=f"L{i % 3}") for i in range(n)]


def filters(ws: Workspace) -> list[ContactFilter]:
    seqs = [s.id for s in ws.sequences()]
    states = [frozenset(), frozenset(STATES[:1]), frozenset(STATES[1:3]), frozenset(STATES)]
    return [ContactFilter(sequence_id=s, states=st) for s in [None, *seqs] for st in states]


def assert_counts_match(ws: Workspace) -> None:
    for flt in filters(ws):
        with ws.store.read() as session:
            expected = len(scan_ids(session, flt))
        assert ws.count_contacts(flt) == expected, flt
        assert ws.contact_count(flt).value == expected, flt


def set_states(ws: Workspace, ids: list[int], state: ContactSyncState) -> None:
    with ws.store.write() as session:
        session.execute(
            update(SyncRecord).where(SyncRecord.contact_id.in_(ids)).values(state=state.value)
        )


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(changes=st.lists(st.tuples(st.sets(st.integers(0, 9)), st.sampled_from(STATES)), max_size=5))
def test_tallies_follow_adds_state_changes_and_deletes(
    workspace: Workspace, changes: list[tuple[set[int], ContactSyncState]]
) -> None:
    a = workspace.create_sequence("A")
    b = workspace.create_sequence("B")
    workspace.add_contacts(a.id, people("p", 10))
    workspace.add_contacts(b.id, people("p", 4) + people("q", 3))  # 4 in both sequences
    ids = sorted(r.id for r in workspace.contacts_page(ContactFilter(), 0, 100))
    try:
        for picked, state in changes:
            set_states(workspace, [ids[i] for i in picked], state)
            assert_counts_match(workspace)
        workspace.delete_sequence(b.id)
        assert_counts_match(workspace)
        with workspace.store.write() as session:
            session.execute(text(f"DELETE FROM contacts WHERE id IN ({ids[0]}, {ids[1]})"))
        assert_counts_match(workspace)
    finally:
        with workspace.store.write() as session:
            session.execute(text("DELETE FROM contacts"))
            session.execute(text("DELETE FROM sequences"))
    with workspace.store.read() as session:
        assert session.scalar(text("SELECT coalesce(sum(n), 0) FROM contact_tallies")) == 0


@pytest.mark.parametrize("sort", list(ContactSort))
def test_keyset_pages_and_anchors_walk_every_row_once_in_order(
    workspace: Workspace, sort: ContactSort
) -> None:
    seq = workspace.create_sequence("Pages")
    # Emails out of id order, so the two sorts differ.
    workspace.add_contacts(
        seq.id, [ContactInput(email=f"{(i * 7) % 23}x{i}@ex.com") for i in range(23)]
    )
    flt = ContactFilter(sequence_id=seq.id, search="x")
    every = 5
    rows, last = [], None
    while page := workspace.contacts_after(flt, last, every, sort):
        assert len(page) <= every
        rows += page
        last = key_of(page[-1], sort)
    keys = [key_of(r, sort) for r in rows]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(rows) == 23
    anchors = workspace.contact_anchors(flt, every, sort)
    assert anchors == [keys[i] for i in range(every - 1, 23, every)]
    # Page 3 read from its anchor is the same as walking there.
    assert workspace.contacts_after(flt, anchors[1], every, sort) == rows[10:15]


def test_state_and_sequence_pages_match_the_scan_whether_common_or_rare(
    workspace: Workspace,
) -> None:
    """A common filter is read in id order, a rare one through its index: same rows."""
    big = workspace.create_sequence("Big")
    small = workspace.create_sequence("Small")
    workspace.add_contacts(big.id, people("b", 60))
    workspace.add_contacts(small.id, people("b", 2))
    ids = sorted(r.id for r in workspace.contacts_page(ContactFilter(), 0, 100))
    set_states(workspace, ids[5:7], ContactSyncState.ERROR)
    for flt in [
        ContactFilter(states=frozenset({ContactSyncState.ERROR})),
        ContactFilter(states=frozenset({ContactSyncState.NOT_SYNCED})),
        ContactFilter(sequence_id=small.id),
        ContactFilter(sequence_id=big.id, states=frozenset({ContactSyncState.NOT_SYNCED})),
    ]:
        with workspace.store.read() as session:
            expected = scan_ids(session, flt)
        walked, last = [], None
        while page := workspace.contacts_after(flt, last, 7):
            walked += [r.id for r in page]
            last = page[-1].id
        assert walked == expected, flt
