"""A bulk add pauses SQLite's insert triggers: the tallies and the search index must still end
exactly as the triggers would have left them, and the marker must not outlive the write."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from app.domain import ContactFilter, ContactInput
from app.store import tallies
from app.workspace import Workspace

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


def test_bulk_adds_leave_tallies_index_and_marker_as_the_triggers_would(tmp_path: Path) -> None:
    ws = Workspace.open(f"sqlite:///{tmp_path / 'e.db'}")
    try:
        first, second = ws.create_sequence("One"), ws.create_sequence("Two")
        ws.add_contacts(first.id, _people(0, N))
        ws.add_contacts(second.id, _people(N - 100, N))  # 100 already known, enrolled again
        kept = _tallies(ws)
        with ws.store.engine.begin() as conn:
            tallies.rebuild(conn)
            assert conn.execute(text("SELECT count(*) FROM bulk_writes")).scalar() == 0
        assert _tallies(ws) == kept
        assert ws.count_contacts(ContactFilter()) == 2 * N - 100
        assert ws.count_contacts(ContactFilter(sequence_id=second.id)) == N
        assert ws.count_contacts(ContactFilter(search="zorbul4999")) == 1
        assert ws.count_contacts(ContactFilter(search="zorbul9899")) == 1
    finally:
        ws.close()
