"""A bulk add on PostgreSQL leaves its contacts to the search backlog's catch-up, which leaves
nothing in the trigram indexes' pending lists, which every search would otherwise read in full
until autovacuum came by."""

from __future__ import annotations

from sqlalchemy import text

from app.domain import ContactFilter, ContactInput
from app.store import search_backlog
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
