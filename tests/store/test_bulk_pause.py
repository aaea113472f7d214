"""A bulk add pauses the insert triggers (SQLite's all, PostgreSQL's tally ones): the tallies
and the search index must still end exactly as the triggers would have left them, and the
pause must not outlive the write."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.domain import ContactFilter, ContactInput, ContactSyncState
from app.store import tallies
from app.workspace import Workspace

pytestmark = pytest.mark.both_databases

N = 5_000  # above WHOLE_SCAN, so enrolment takes the paused run path too


def _people(start: int, n: int) -> list[ContactInput]:
    return [
        ContactInput(email=f"p{i}@firm{i % 7}.example", first_name=f"Zorbul{i}", company="Acme")
        for i in range(start, start + n)
    ]


def _tallies(ws: Workspace) -> list[tuple[int, str, int]]:
    with ws.store.engine.connect() as conn:
        rows = conn.execute(text("SELECT sequence_id, state, n FROM contact_tallies WHERE n <> 0"))
        return sorted(tuple(r) for r in rows)


def _recounted(ws: Workspace) -> list[tuple[int, str, int]]:
    """The tallies as counted from the tables (rolled back after)."""
    with ws.store.engine.connect() as conn, conn.begin() as transaction:
        tallies.rebuild(conn)
        rows = conn.execute(text("SELECT sequence_id, state, n FROM contact_tallies WHERE n <> 0"))
        recounted = sorted(tuple(r) for r in rows)
        transaction.rollback()
    return recounted


def _ids(ws: Workspace, n: int) -> list[int]:
    with ws.store.engine.connect() as conn:
        return list(conn.scalars(text("SELECT id FROM contacts ORDER BY id LIMIT :n"), {"n": n}))


def test_bulk_adds_leave_tallies_index_and_marker_as_the_triggers_would(db_url: str) -> None:
    ws = Workspace.open(db_url)
    try:
        first, second = ws.create_sequence("One"), ws.create_sequence("Two")
        ws.add_contacts(first.id, _people(0, N))
        ws.add_contacts(second.id, _people(N - 100, N))  # 100 already known, enrolled again
        assert _recounted(ws) == _tallies(ws)
        with ws.store.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM bulk_writes")).scalar() == 0
        # A small write afterwards is counted by the triggers: the pause ended with the add.
        ws.add_to_sequence(second.id, _ids(ws, 3))
        assert _recounted(ws) == _tallies(ws)
        assert ws.count_contacts(ContactFilter()) == 2 * N - 100
        assert ws.count_contacts(ContactFilter(sequence_id=second.id)) == N + 3
        assert ws.count_contacts(ContactFilter(search="zorbul4999")) == 1
        assert ws.count_contacts(ContactFilter(search="zorbul9899")) == 1
    finally:
        ws.close()


def test_a_run_of_stored_contacts_in_mixed_states_is_counted_in_its_new_sequence(
    db_url: str,
) -> None:
    """Enrolling a run of stored contacts counts each under its own state, not the state new
    contacts start in."""
    ws = Workspace.open(db_url)
    try:
        first, second = ws.create_sequence("One"), ws.create_sequence("Two")
        ws.add_contacts(first.id, _people(0, N))
        with ws.store.engine.begin() as conn:
            conn.execute(text("UPDATE sync_records SET state = 'synced' WHERE contact_id % 3 = 0"))
            conn.execute(text("UPDATE sync_records SET state = 'error' WHERE contact_id % 7 = 0"))
        ids = _ids(ws, N)
        ws.add_to_sequence(second.id, ids)
        assert _recounted(ws) == _tallies(ws)
        errors = ContactFilter(sequence_id=second.id, states=frozenset({ContactSyncState.ERROR}))
        assert ws.count_contacts(errors) == sum(1 for cid in ids if cid % 7 == 0)
    finally:
        ws.close()
