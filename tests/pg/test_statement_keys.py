"""Migration `pgkeys` swaps PostgreSQL's declared foreign keys for statement keys and back
(the rules themselves: tests/store/test_foreign_keys.py, on both engines)."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection, insert, text
from sqlalchemy.exc import IntegrityError

from app.domain import ContactInput
from app.store import migrate, statement_keys
from app.store.engine import make_engine
from app.store.models import Enrollment
from app.workspace import Workspace
from tests.store.test_migration_chain import move

pytestmark = pytest.mark.postgres


def _declared(conn: Connection) -> set[tuple[str, str]]:
    rows = conn.execute(
        text(
            "SELECT c.conrelid::regclass::text, a.attname FROM pg_constraint c "
            "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
            "WHERE c.contype = 'f'"
        )
    )
    return {(table, column) for table, column in rows}


KEYED = {(key.table, key.column) for key in statement_keys.KEYS}


def test_going_down_declares_the_keys_again_and_up_swaps_them_back(pg_url: str) -> None:
    ws = Workspace.open(pg_url)
    seq = ws.create_sequence("S")
    ws.add_contacts(seq.id, [ContactInput(email=f"p{i}@example.com") for i in range(20)])
    ws.close()
    engine = make_engine(pg_url)
    try:
        with engine.connect() as conn:
            assert statement_keys.present(conn)
            assert not KEYED & _declared(conn)
            assert ("activity_events", "enrollment_id") in _declared(conn)  # the others stay
        move(engine, "pgsearch", down=True)
        with engine.connect() as conn:
            assert not statement_keys.present(conn)
            assert _declared(conn) >= KEYED
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(insert(Enrollment).values(contact_id=10**9, sequence_id=seq.id))
        migrate.upgrade(engine)
        with engine.connect() as conn:
            assert statement_keys.present(conn)
            assert not KEYED & _declared(conn)
    finally:
        engine.dispose()
    ws = Workspace.open(pg_url)
    try:
        assert [s.contact_count for s in ws.sequences()] == [20]
    finally:
        ws.close()
