"""Each sync rule of the article, run through the engine against the sandbox."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.domain import ContactFilter, ContactInput, ContactSyncState, SyncMode
from app.sandbox.seed import DEMO_DO_NOT_CONTACT_EMAIL, DEMO_SHARED_PEOPLE
from app.store.models import Contact
from tests.sync.conftest import Rig, fresh, shared

pytestmark = pytest.mark.both_databases


def states(rig: Rig) -> dict[str, ContactSyncState]:
    return {r.email: r.state for r in rig.ws.contacts_page(ContactFilter(), 0, 1000)}


async def test_on_add_creates_the_person_with_details_and_candidacy(rig: Rig) -> None:
    project = rig.project_id("CFO – Northwind")
    rig.ws.set_default_project(project)
    seq = rig.ws.create_sequence("CFO")
    rig.ws.add_contacts(
        seq.id,
        [fresh(1, linkedin_url="https://www.linkedin.com/in/newp1", phone="+44 20 7946 0000")],
    )
    result = await rig.ws.sync.run()
    assert result.counts == {"synced": 1}
    [row] = rig.ws.contacts_page(ContactFilter(), 0, 10)
    assert row.state == ContactSyncState.SYNCED
    person = rig.cw.find_person(row.email)
    assert person is not None
    assert str(person["id"]) == row.clockwork_person_id
    assert [e["address"] for e in person["emailAddresses"]] == [row.email]
    assert [u["url"] for u in person["linkedinUrls"]] == ["https://www.linkedin.com/in/newp1"]
    assert person["positions"][0]["title"] == "CFO"
    assert [c["personId"] for c in rig.cw.list_candidacies(project, 100, 0)].count(
        person["id"]
    ) == 1


async def test_dedup_on_marks_exists_and_sends_nothing(rig: Rig) -> None:
    rig.ws.update_clockwork_settings(dedup=True)
    seq = rig.ws.create_sequence("CFO")
    rig.ws.add_contacts(seq.id, [shared(0), fresh(1)])
    people_before = rig.cw.stats()["people"]
    await rig.ws.sync.run()
    assert states(rig) == {
        shared(0).email: ContactSyncState.EXISTS_IN_CLOCKWORK,
        fresh(1).email: ContactSyncState.SYNCED,
    }
    assert rig.cw.stats()["people"] == people_before + 1
    [exists] = rig.ws.contacts_page(
        ContactFilter(states=frozenset({ContactSyncState.EXISTS_IN_CLOCKWORK})), 0, 5
    )
    assert (exists.duplicate_of or "").startswith("Amelia Hartley (Clockwork id ")
    assert exists.clockwork_person_id is None


async def test_dedup_with_sync_off_only_warns(rig: Rig) -> None:
    rig.ws.update_clockwork_settings(sync_mode=SyncMode.OFF, dedup=True)
    seq = rig.ws.create_sequence("CFO")
    rig.ws.add_contacts(seq.id, [shared(1), fresh(2)])
    requests_before = len(rig.cw.journal)
    await rig.ws.sync.run()
    assert states(rig) == {
        shared(1).email: ContactSyncState.EXISTS_IN_CLOCKWORK,
        fresh(2).email: ContactSyncState.NOT_SYNCED,
    }
    methods = {entry.method for entry in rig.cw.journal.entries()[requests_before:]}
    assert methods == {"GET"}


async def test_dedup_off_links_the_existing_person_never_duplicates(rig: Rig) -> None:
    seq = rig.ws.create_sequence("CFO")
    rig.ws.add_contacts(seq.id, [shared(2)])
    await rig.ws.sync.run()
    assert states(rig) == {shared(2).email: ContactSyncState.SYNCED}
    assert rig.cw.people_with_email(shared(2).email) == 1


async def test_a_different_email_for_the_same_person_creates_a_second_record(rig: Rig) -> None:
    p = shared(4)
    seq = rig.ws.create_sequence("CFO")
    rig.ws.add_contacts(
        seq.id,
        [
            ContactInput(
                email="grace.private@home.example.com",
                first_name=p.first_name,
                last_name=p.last_name,
            )
        ],
    )
    before = rig.cw.stats()["people"]
    await rig.ws.sync.run()
    assert rig.cw.stats()["people"] == before + 1


async def test_a_linkedin_match_is_flagged_possible_duplicate_and_can_be_resolved(rig: Rig) -> None:
    existing = rig.cw.create_person("Ada", "Byron", "Ada Byron")
    rig.cw.add_linkedin_url(str(existing["id"]), "https://www.linkedin.com/in/ada-byron")
    seq = rig.ws.create_sequence("CFO")
    rig.ws.add_contacts(
        seq.id,
        [
            ContactInput(
                email="ada@new.example.com",
                first_name="Ada",
                last_name="Byron",
                linkedin_url="https://www.linkedin.com/in/ada-byron",
            )
        ],
    )
    await rig.ws.sync.run()
    [row] = rig.ws.contacts_page(ContactFilter(), 0, 5)
    assert row.state == ContactSyncState.POSSIBLE_DUPLICATE
    before = rig.cw.stats()["people"]
    assert rig.ws.sync.resolve([row.id], link_existing=False) == 1
    await rig.ws.sync.run()
    assert states(rig) == {"ada@new.example.com": ContactSyncState.SYNCED}
    assert rig.cw.stats()["people"] == before + 1


async def test_do_not_contact_in_clockwork_marks_the_contact(rig: Rig) -> None:
    index = next(
        i for i, p in enumerate(DEMO_SHARED_PEOPLE) if p.email == DEMO_DO_NOT_CONTACT_EMAIL
    )
    seq = rig.ws.create_sequence("CFO")
    rig.ws.add_contacts(seq.id, [shared(index), fresh(1)])
    await rig.ws.sync.run()
    with rig.ws.store.read() as session:
        flags = {c.email: c.do_not_contact for c in session.scalars(select(Contact))}
    assert flags == {DEMO_DO_NOT_CONTACT_EMAIL: True, fresh(1).email: False}
