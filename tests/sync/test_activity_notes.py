"""Activity tracking: email activity becomes Email notes on the person, once each."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.activity import record_activity
from app.domain import ActivityKind, ContactFilter, SyncMode
from app.store.models import Enrollment
from app.users import settings_for
from tests.sync.conftest import Rig, fresh

pytestmark = pytest.mark.both_databases


async def synced_person(rig: Rig) -> str:
    [row] = rig.ws.contacts_page(ContactFilter(), 0, 5)
    assert row.clockwork_person_id is not None
    return row.clockwork_person_id


async def test_replies_of_synced_contacts_become_email_notes(rig: Rig) -> None:
    rig.ws.update_clockwork_settings(activity_tracking=True)
    seq = rig.ws.create_sequence("CFO – Northwind")
    rig.ws.add_contacts(seq.id, [fresh(1)])
    await rig.ws.sync.run()
    rig.ws.record_reply(fresh(1).email, seq.name)
    await rig.ws.sync.run()
    [note] = rig.cw.list_notes(await synced_person(rig), 100)
    assert note["category"] == "Email"
    assert "Reply received" in note["content"]
    assert "CFO – Northwind" in note["content"]


async def test_activity_before_sync_is_backfilled_with_the_contact(rig: Rig) -> None:
    rig.ws.update_clockwork_settings(activity_tracking=True, sync_mode=SyncMode.ON_REPLY)
    seq = rig.ws.create_sequence("Board")
    rig.ws.add_contacts(seq.id, [fresh(1)])
    rig.ws.record_reply(fresh(1).email, "Board")
    await rig.ws.sync.run()
    notes = rig.cw.list_notes(await synced_person(rig), 100)
    assert len(notes) == 1


async def test_tracking_off_posts_nothing(rig: Rig) -> None:
    seq = rig.ws.create_sequence("Quiet")
    rig.ws.add_contacts(seq.id, [fresh(1)])
    await rig.ws.sync.run()
    rig.ws.record_reply(fresh(1).email, "Quiet")
    await rig.ws.sync.run()
    assert rig.cw.list_notes(await synced_person(rig), 100) == []


async def test_a_lost_note_answer_is_found_by_its_marker_not_posted_twice(rig: Rig) -> None:
    rig.ws.update_clockwork_settings(activity_tracking=True)
    seq = rig.ws.create_sequence("Flaky")
    rig.ws.add_contacts(seq.id, [fresh(1)])
    await rig.ws.sync.run()
    rig.ws.record_reply(fresh(1).email, "Flaky")
    rig.knobs.update({"drop_after_write_rate": 1.0})
    first = await rig.ws.sync.run(max_wait=0)
    assert first.counts.get("retry", 0) >= 1
    rig.knobs.update({"drop_after_write_rate": 0.0})
    await rig.ws.sync.run()
    notes = rig.cw.list_notes(await synced_person(rig), 100)
    assert len(notes) == 1
    assert "[escapement:activity:" in notes[0]["content"]


async def test_an_opted_in_body_goes_into_the_note(rig: Rig) -> None:
    rig.ws.update_clockwork_settings(activity_tracking=True)
    seq = rig.ws.create_sequence("Bodies")
    rig.ws.add_contacts(seq.id, [fresh(1)])
    await rig.ws.sync.run()
    with rig.ws.store.write() as session:
        enrollment = session.scalars(select(Enrollment)).one()
        settings = settings_for(session, rig.ws.user_id)
        record_activity(
            session,
            settings,
            enrollment,
            ActivityKind.SENT,
            subject="Hi",
            body="Dear Ada,\nshall we talk?",
        )
    await rig.ws.sync.run()
    [note] = rig.cw.list_notes(await synced_person(rig), 100)
    assert "Dear Ada,<br>shall we talk?" in note["content"]
