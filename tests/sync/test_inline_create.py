"""Fewer requests per person: details inline in the create, in each of the sandbox's modes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.activity import record_activity
from app.domain import ActivityKind, ContactFilter, ContactSyncState
from app.store.models import Enrollment
from app.sync.person_create import refuses_inline
from app.users import settings_for
from tests.sync.conftest import Rig, fresh, shared

LINKEDIN = "https://www.linkedin.com/in/new-person-{i}"
#: The issue's goals, counted in the sandbox's journal, per new contact.
GOAL = {"honour": 5, "ignore": 8, "refuse": 8}


def add_with_sent_email(rig: Rig, count: int) -> list[str]:
    rig.ws.update_clockwork_settings(activity_tracking=True)
    rig.ws.set_default_project(rig.project_id("CFO – Northwind"))
    seq = rig.ws.create_sequence("CFO")
    contacts = [fresh(i, linkedin_url=LINKEDIN.format(i=i)) for i in range(count)]
    rig.ws.add_contacts(seq.id, contacts)
    with rig.ws.store.write() as session:
        settings = settings_for(session, rig.ws.user_id)
        for enrollment in session.scalars(select(Enrollment)):
            record_activity(session, settings, enrollment, ActivityKind.SENT, subject="Hello")
    return [c.email for c in contacts]


def assert_every_detail(rig: Rig, emails: list[str]) -> None:
    for i, email in enumerate(emails):
        person = rig.cw.find_person(email)
        assert person is not None
        assert [e["address"] for e in person["emailAddresses"]] == [email]
        assert [u["url"] for u in person["linkedinUrls"]] == [LINKEDIN.format(i=i)]
        assert [(p["title"], p["company"]["name"]) for p in person["positions"]] == [
            ("CFO", "Fresh Co")
        ]
        assert rig.cw.people_with_email(email) == 1


@pytest.mark.parametrize("mode", ["honour", "ignore", "refuse"])
async def test_a_new_contact_costs_at_most_the_goal(rig: Rig, mode: str) -> None:
    rig.knobs.inline_details = mode
    emails = add_with_sent_email(rig, 3)
    rig.cw.journal.clear()
    result = await rig.ws.sync.run(concurrency=1)
    assert result.counts == {"synced": 3}
    assert_every_detail(rig, emails)
    assert rig.cw.stats()["notes"] >= 3
    requests = len(rig.cw.journal)
    # Once per session, not per contact: the read checked before the first write, and the
    # refusal (once per firm).
    extra = 1 + (1 if mode == "refuse" else 0)
    assert requests <= GOAL[mode] * 3 + extra


async def test_refused_inline_details_are_remembered_for_the_firm(rig: Rig) -> None:
    rig.knobs.inline_details = "refuse"
    add_with_sent_email(rig, 2)
    await rig.ws.sync.run(concurrency=1)
    creates = [
        e for e in rig.cw.journal.entries() if e.method == "POST" and e.path.endswith("/people")
    ]
    assert [e.status for e in creates] == [400, 201, 201]
    assert "emailAddress" not in creates[2].body["person"]
    with rig.ws.store.read() as session:
        assert refuses_inline(session, rig.cw.firm)


async def test_an_inline_field_the_answer_does_not_show_is_added_separately(rig: Rig) -> None:
    rig.knobs.inline_details = "ignore"
    [email] = add_with_sent_email(rig, 1)
    await rig.ws.sync.run()
    paths = [e.path for e in rig.cw.journal.writes()]
    assert any(p.endswith("/email_addresses") for p in paths)
    assert any(p.endswith("/positions") for p in paths)
    assert_every_detail(rig, [email])


async def test_honoured_details_are_not_sent_twice(rig: Rig) -> None:
    rig.knobs.inline_details = "honour"
    add_with_sent_email(rig, 1)
    await rig.ws.sync.run()
    paths = [e.path for e in rig.cw.journal.writes()]
    assert not any(p.endswith(("/email_addresses", "/linkedin_urls", "/positions")) for p in paths)


@pytest.mark.parametrize("mode", ["honour", "ignore", "refuse"])
async def test_a_contact_linked_to_an_existing_person_costs_at_most_three(
    rig: Rig, mode: str
) -> None:
    rig.knobs.inline_details = mode
    rig.ws.update_clockwork_settings(activity_tracking=True)
    rig.ws.set_default_project(rig.project_id("CFO – Northwind"))
    seq = rig.ws.create_sequence("CFO")
    rig.ws.add_contacts(seq.id, [shared(0), shared(1)])
    with rig.ws.store.write() as session:
        settings = settings_for(session, rig.ws.user_id)
        for enrollment in session.scalars(select(Enrollment)):
            record_activity(session, settings, enrollment, ActivityKind.SENT, subject="Hello")
    rig.cw.journal.clear()
    await rig.ws.sync.run()
    rows = rig.ws.contacts_page(ContactFilter(), 0, 5)
    assert {row.state for row in rows} == {ContactSyncState.SYNCED}
    # Plus one per session: the read checked before the first write.
    assert len(rig.cw.journal) <= 3 * 2 + 1
