"""A bulk add on PostgreSQL leaves its contacts to the search backlog's catch-up, which leaves
nothing in the trigram indexes' pending lists, which every search would otherwise read in full
until autovacuum came by."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.domain import ContactFilter, ContactInput
from app.store import search_backlog
from app.store.contacts import upsert_contacts
from app.store.search_index import TRIGRAM_INDEXES
from app.workspace import Workspace


def test_the_catch_up_moves_its_rows_out_of_the_gin_pending_lists(pg_url: str) -> None:
    with Workspace.open(pg_url) as ws:
        seq = ws.create_sequence("CFO")
        people = [ContactInput(email=f"p{i}@firm.example", company="Xylo") for i in range(6_000)]
        ws.add_contacts(seq.id, people)
        with ws.store.read() as session:
            assert search_backlog.waiting(session.connection()) == 6_000
        assert ws.count_contacts(ContactFilter(search="p5999@")) == 1
        ws.finish_search_backlog()
        with ws.store.engine.begin() as conn:
            left = [
                conn.execute(text(f"SELECT gin_clean_pending_list('{name}'::regclass)")).scalar()
                for name in TRIGRAM_INDEXES
            ]
            held = conn.scalar(text("SELECT count(*) FROM contact_search"))
        assert left == [0] * len(TRIGRAM_INDEXES)
        assert held == 6_000
        assert ws.count_contacts(ContactFilter(search="p5999@")) == 1


def test_a_contact_added_after_a_waiting_run_in_its_transaction_is_searchable_at_once(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The flag that tells the insert trigger a run waits is down again after the run."""
    monkeypatch.setattr(search_backlog, "FROM_ROWS", 3)
    with Workspace.open(pg_url) as ws:
        with ws.store.write() as session:
            upsert_contacts(session, [ContactInput(email=f"p{i}@x.example") for i in range(5)])
            # An id apart from the run's, so the late contact's range does not join it.
            session.execute(text("SELECT nextval(pg_get_serial_sequence('contacts', 'id'))"))
            upsert_contacts(session, [ContactInput(email="late@x.example")])
        with ws.store.read() as session:
            assert search_backlog.waiting(session.connection()) == 5
            held = set(session.scalars(text("SELECT email_key FROM contact_search")))
        assert held == {"late@x.example"}
