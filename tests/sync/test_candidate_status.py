"""Candidate statuses both ways: read back (and stopping sequences), moved on reply."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.domain import ContactFilter, EnrollmentStatus
from app.errors import InputError
from app.store.models import Enrollment
from app.sync.candidate_status import DEFAULT_STOP_STATUSES
from tests.sync.conftest import Rig, fresh

MODES = ["honour", "ignore", "refuse"]


async def synced(rig: Rig, count: int, mode: str) -> tuple[str, list[str]]:
    rig.knobs.inline_details = mode
    project = rig.project_id("CFO – Northwind")
    rig.ws.set_default_project(project)
    seq = rig.ws.create_sequence("CFO")
    rig.ws.add_contacts(seq.id, [fresh(i) for i in range(count)])
    result = await rig.ws.sync.run()
    assert result.counts == {"synced": count}
    return project, [fresh(i).email for i in range(count)]


def candidacy_of(rig: Rig, project: str, email: str) -> dict[str, object]:
    person = rig.cw.find_person(email)
    assert person is not None
    return next(
        c for c in rig.cw.list_candidacies(project, 1000, 0) if c["personId"] == person["id"]
    )


def enrollment_of(rig: Rig, email: str) -> Enrollment:
    cid = rig.ws.contact_id(email)
    with rig.ws.store.read() as session:
        found = session.scalars(select(Enrollment).where(Enrollment.contact_id == cid)).one()
        session.expunge(found)
        return found


@pytest.mark.parametrize("mode", MODES)
async def test_refresh_reads_statuses_in_pages_and_stops_by_status(rig: Rig, mode: str) -> None:
    project, emails = await synced(rig, 3, mode)
    placed = candidacy_of(rig, project, emails[0])
    rig.cw.set_candidacy_status(project, str(placed["id"]), "Placed")
    rig.knobs.max_page_size = 2
    rig.cw.journal.clear()
    result = await rig.ws.clockwork.refresh_statuses()
    assert result.projects == 1
    # The cost is the pages of the project, not one request per contact.
    assert len(rig.cw.journal) == result.pages
    assert result.stopped == 1
    stopped = enrollment_of(rig, emails[0])
    assert stopped.status == EnrollmentStatus.STOPPED.value
    assert stopped.stop_reason is not None
    assert "Placed" in stopped.stop_reason
    assert enrollment_of(rig, emails[1]).status == EnrollmentStatus.ACTIVE.value
    rows = {r.email: r.candidate_status for r in rig.ws.contacts_page(ContactFilter(), 0, 10)}
    assert rows == {emails[0]: "Placed", emails[1]: "Research", emails[2]: "Research"}
    only_placed = ContactFilter(candidate_statuses=frozenset({"Placed"}))
    assert [r.email for r in rig.ws.contacts_page(only_placed, 0, 10)] == [emails[0]]
    assert rig.ws.count_contacts(only_placed) == 1
    listing = rig.ws.status(with_contacts=True)["contacts"]
    assert {c["email"]: c["candidate_status"] for c in listing} == rows  # type: ignore[attr-defined]
    reasons = rig.ws.clockwork.stop_reasons([rig.ws.contact_id(e) for e in emails])
    assert list(reasons.values()) == ["Candidate status in Clockwork is “Placed”."]
    assert [c["stop_reason"] for c in listing] == [
        reasons[rig.ws.contact_id(emails[0])],
        None,
        None,
    ]  # type: ignore[attr-defined]


async def test_the_stop_set_is_configurable(rig: Rig) -> None:
    assert rig.ws.clockwork.stop_statuses() == DEFAULT_STOP_STATUSES
    assert rig.ws.clockwork.set_stop_statuses(" Research , Pursuing,Research") == (
        "Research",
        "Pursuing",
    )
    _project, _emails = await synced(rig, 1, "honour")
    result = await rig.ws.clockwork.refresh_statuses()
    assert result.stopped == 1
    assert rig.ws.clockwork.set_stop_statuses("default") == DEFAULT_STOP_STATUSES
    with pytest.raises(InputError):
        rig.ws.clockwork.set_stop_statuses(" , ")


@pytest.mark.parametrize("mode", MODES)
async def test_a_reply_moves_the_candidacy_to_the_reply_status(rig: Rig, mode: str) -> None:
    project, emails = await synced(rig, 1, mode)
    assert "Qualifying" in await rig.ws.clockwork.statuses()
    rig.ws.clockwork.set_reply_status("Qualifying")
    rig.ws.record_reply(emails[0], "CFO")
    rig.cw.journal.clear()
    result = await rig.ws.sync.run()
    assert result.counts.get("status_set") == 1
    assert candidacy_of(rig, project, emails[0])["status"] == "Qualifying"
    puts = [e for e in rig.cw.journal.entries() if e.method == "PUT"]
    assert len(puts) == 1
    assert puts[0].body == {"candidacy": {"statusId": "6"}}
    [row] = rig.ws.contacts_page(ContactFilter(), 0, 5)
    assert row.candidate_status == "Qualifying"


async def test_a_status_changed_in_clockwork_is_never_overwritten(rig: Rig) -> None:
    project, emails = await synced(rig, 1, "honour")
    candidacy = candidacy_of(rig, project, emails[0])
    rig.cw.set_candidacy_status(project, str(candidacy["id"]), "Interviewing")  # a recruiter
    rig.ws.clockwork.set_reply_status("Qualifying")
    rig.ws.record_reply(emails[0], "CFO")
    await rig.ws.sync.run()
    assert candidacy_of(rig, project, emails[0])["status"] == "Interviewing"
    assert not [e for e in rig.cw.journal.entries() if e.method == "PUT"]
    assert any("changed in Clockwork" in row.message for row in rig.ws.sync.log())


async def test_a_retry_after_a_lost_answer_does_not_write_twice(rig: Rig) -> None:
    project, emails = await synced(rig, 1, "honour")
    rig.ws.clockwork.set_reply_status("Qualifying")
    rig.ws.record_reply(emails[0], "CFO")
    rig.knobs.drop_after_write_rate = 1.0  # the PUT lands, its answer is lost
    first = await rig.ws.sync.run(max_wait=0)
    rig.knobs.drop_after_write_rate = 0.0
    await rig.ws.sync.run()
    assert first.counts.get("retry", 0) >= 1
    assert candidacy_of(rig, project, emails[0])["status"] == "Qualifying"
    puts = [e for e in rig.cw.journal.entries() if e.method == "PUT"]
    assert len(puts) == 1


async def test_no_reply_status_means_no_status_item(rig: Rig) -> None:
    _, emails = await synced(rig, 1, "honour")
    rig.ws.record_reply(emails[0], "CFO")
    await rig.ws.sync.run()
    assert not [e for e in rig.cw.journal.entries() if e.method == "PUT"]


async def test_the_resync_preview_estimates_its_duration_at_the_cap(rig: Rig) -> None:
    from app.sync.resync import ResyncScope

    rig.ws.update_clockwork_settings(sync_mode=rig.ws.clockwork_settings().sync_mode.OFF)
    rig.ws.update_clockwork_settings(rate_limit=2.0)
    seq = rig.ws.create_sequence("CFO")
    rig.ws.add_contacts(seq.id, [fresh(i) for i in range(4)])
    preview = await rig.ws.sync.preview(ResyncScope(everything=True))
    assert preview.will_create == 4
    assert preview.estimated_requests == 4 * 8
    assert preview.estimated_seconds == 16.0
    assert preview.as_dict()["estimated_seconds"] == 16.0


async def test_the_schedule_refreshes_until_cancelled(rig: Rig) -> None:
    import asyncio
    import contextlib

    project, emails = await synced(rig, 1, "honour")
    candidacy = candidacy_of(rig, project, emails[0])
    rig.cw.set_candidacy_status(project, str(candidacy["id"]), "Withdrew")
    task = asyncio.create_task(rig.ws.clockwork.run_status_schedule(every=0.01))
    for _ in range(200):
        await asyncio.sleep(0.01)
        if rig.ws.clockwork.last_refresh is not None:
            break
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    assert rig.ws.clockwork.last_refresh is not None
    assert enrollment_of(rig, emails[0]).status == EnrollmentStatus.STOPPED.value
