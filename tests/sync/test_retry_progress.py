"""Only attempts that get no further count towards the cap: an item whose steps keep being cut
off but that saves a new recovery point each time is carried through, however often."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from app.activity import record_activity
from app.clockwork.client import ClockworkClient
from app.domain import ActivityKind, ContactFilter, ContactSyncState
from app.sandbox.harness import FAST, sandbox_transport
from app.store.models import Enrollment
from app.sync import outbox
from app.sync.worker import GAVE_UP
from app.users import settings_for
from tests.sync.conftest import Rig, fresh

pytestmark = pytest.mark.both_databases
NOTES = 10


def one_contact_with_notes(rig: Rig) -> None:
    """A contact whose sync has more writes than MAX_ATTEMPTS: the person, a detail, the
    project and NOTES activity notes."""
    rig.ws.set_default_project(rig.project_id("CFO – Northwind"))
    rig.ws.update_clockwork_settings(activity_tracking=True)
    seq = rig.ws.create_sequence("CFO")
    rig.ws.add_contacts(seq.id, [fresh(1)])
    with rig.ws.store.write() as session:
        enrollment = session.scalars(select(Enrollment)).one()
        settings = settings_for(session, rig.ws.user_id)
        for i in range(NOTES):
            record_activity(session, settings, enrollment, ActivityKind.SENT, subject=f"#{i}")


async def test_an_item_cut_off_after_every_write_but_getting_further_ends_synced(
    rig: Rig,
) -> None:
    assert NOTES + 3 > outbox.MAX_ATTEMPTS  # more failed attempts than the cap allows
    one_contact_with_notes(rig)
    rig.knobs.update({"drop_after_write_rate": 1.0})  # every write lands, its answer never
    result = await rig.ws.sync.run()
    assert GAVE_UP not in result.counts
    assert result.counts["synced"] == 1
    assert result.counts["retry"] > outbox.MAX_ATTEMPTS
    [row] = rig.ws.contacts_page(ContactFilter(), 0, 5)
    assert row.state == ContactSyncState.SYNCED
    assert rig.cw.people_with_email(row.email) == 1
    assert row.clockwork_person_id is not None
    assert len(rig.cw.list_notes(row.clockwork_person_id, 100)) == NOTES
    candidacies = rig.cw.list_candidacies(rig.project_id("CFO – Northwind"), 1000, 0)
    assert [str(c["personId"]) for c in candidacies].count(row.clockwork_person_id) == 1


class NotesRefused(httpx.AsyncBaseTransport):
    """The sandbox, except that every note post answers 503: that step never goes through."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path.endswith("/notes"):
            return httpx.Response(503, request=request)
        return await self.inner.handle_async_request(request)


async def test_an_item_stuck_on_one_step_gives_up_after_the_cap_without_progress(
    rig: Rig,
) -> None:
    transport = NotesRefused(sandbox_transport(rig.cw, rig.knobs))
    async with ClockworkClient(transport=transport, credentials=rig.cw.credentials, **FAST) as c:
        rig.ws.attach_client(c)
        one_contact_with_notes(rig)
        result = await rig.ws.sync.run()
    # The first failed attempt got as far as the first note, a new recovery point, so it does
    # not count: then the cap's worth of attempts that got no further, the last one given up.
    cap = outbox.MAX_ATTEMPTS
    assert result.counts == {"retry": cap, GAVE_UP: 1}
    [row] = rig.ws.contacts_page(ContactFilter(), 0, 5)
    assert row.state == ContactSyncState.ERROR
    assert f"Gave up after {cap} failed attempts without progress" in (row.error or "")
    assert "503" in (row.error or "")
