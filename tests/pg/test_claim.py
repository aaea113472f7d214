"""Claiming on PostgreSQL: two instances claiming at the same moment never lease two items of
one contact, even when the second item lies beyond the rows the first claim locked."""

from __future__ import annotations

import threading
import time

import pytest

from app.domain import OutboxKind
from app.store.models import OutboxItem
from app.sync.outbox import Claimed, claim
from app.workspace import Workspace
from tests.conftest import people

pytestmark = pytest.mark.postgres


def queue(ws: Workspace, contact_ids: list[int]) -> None:
    with ws.store.write() as session:
        for cid in contact_ids:
            session.add(
                OutboxItem(kind=OutboxKind.SYNC_CONTACT.value, contact_id=cid, user_id=ws.user_id)
            )


def test_concurrent_claims_take_turns(pg_url: str) -> None:
    with Workspace.open(pg_url) as ws:
        seq = ws.create_sequence("Claims")
        ws.add_contacts(seq.id, people(5))
        # Contact 1 has a second item after four others: outside the first claim's window.
        queue(ws, [1, 2, 3, 4, 5, 1])
        other: list[Claimed] = []

        def second_instance() -> None:
            with ws.store.write() as session:
                other.extend(claim(session, "host-b:2", ws.user_id, limit=5))

        with ws.store.write() as session:
            first = claim(session, "host-a:1", ws.user_id, limit=1)
            racer = threading.Thread(target=second_instance)
            racer.start()
            time.sleep(0.5)
            assert other == [], "the second claim must wait for the first to commit"
        racer.join(timeout=10)
    assert [c.contact_id for c in first] == [1]
    assert sorted(c.contact_id for c in other) == [2, 3, 4, 5]
