"""PostgreSQL's foreign keys under concurrency: what any faster way of checking them must keep
(tests/store/test_foreign_keys.py has the rules on both engines)."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import delete, func, insert, select

from app.domain import ContactInput
from app.store.models import Contact, Enrollment
from app.workspace import Workspace

pytestmark = pytest.mark.postgres


def test_a_delete_waits_for_an_add_naming_the_contact_then_cascades(pg_url: str) -> None:
    """Deleting a contact while another transaction enrols it waits for that one to commit,
    then takes the new enrolment with it: no enrolment is left naming no contact."""
    ws = Workspace.open(pg_url)
    try:
        first, second = ws.create_sequence("First"), ws.create_sequence("Second")
        ws.add_contacts(first.id, [ContactInput(email="a@example.com")])
        with ws.store.read() as session:
            contact = session.scalar(select(Contact.id))
        assert contact is not None
        deleted = threading.Event()

        def remove_contact() -> None:
            with ws.store.write() as session:
                session.execute(delete(Contact).where(Contact.id == contact))
            deleted.set()

        with ws.store.write() as session:
            session.execute(
                insert(Enrollment),
                [
                    {
                        "contact_id": contact,
                        "sequence_id": second.id,
                        "status": "active",
                        "sync_enabled_at_add": False,
                        "next_step": 0,
                    }
                ],
            )
            deleting = threading.Thread(target=remove_contact)
            deleting.start()
            time.sleep(0.5)
            assert not deleted.is_set()  # waiting for this transaction's lock
        deleting.join(10)
        assert deleted.is_set()
        with ws.store.read() as session:
            assert session.scalar(select(func.count()).select_from(Enrollment)) == 0
    finally:
        ws.close()
