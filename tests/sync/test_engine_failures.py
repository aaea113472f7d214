"""Failure paths: 401 pauses, permanent errors show on the contact, faults never duplicate."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import httpx
import pytest

from app import events
from app.clockwork.client import ClockworkClient
from app.connection import ConnectionStatus
from app.domain import ContactFilter, ContactSyncState
from app.sandbox.harness import FAST, sandbox_transport
from app.sandbox.knobs import Knobs
from app.store.models import ClockworkSettings
from app.sync.outbox import Backoff
from app.sync.worker import KEYS_REJECTED
from tests.sync.conftest import Rig, fresh

pytestmark = pytest.mark.both_databases


def project_vanished_from_clockwork(rig: Rig) -> None:
    """The default project as if it was deleted in Clockwork after it was chosen."""
    with rig.ws.store.write() as session:
        session.get_one(ClockworkSettings, rig.ws.user_id).default_project_id = "999999"


def rows(rig: Rig):  # type: ignore[no-untyped-def]
    return rig.ws.contacts_page(ContactFilter(), 0, 10_000)


async def test_a_401_pauses_the_whole_queue_until_new_keys(rig: Rig) -> None:
    seq = rig.ws.create_sequence("CFO")
    rig.ws.add_contacts(seq.id, [fresh(i) for i in range(3)])
    rig.cw.credentials = replace(rig.cw.credentials, api_key="revoked-key")
    result = await rig.ws.sync.run()
    assert result.paused == KEYS_REJECTED
    assert result.remaining == 3
    assert {r.state for r in rows(rig)} == {ContactSyncState.QUEUED}
    again = await rig.ws.sync.run()
    assert again.counts == {}
    with rig.ws.store.write() as session:
        session.get_one(ClockworkSettings, rig.ws.user_id).paused_reason = None
    rig.cw.credentials = rig.client.credentials
    assert (await rig.ws.sync.run()).counts == {"synced": 3}


async def test_a_missing_project_is_a_permanent_error_on_the_contact(rig: Rig) -> None:
    project_vanished_from_clockwork(rig)
    seq = rig.ws.create_sequence("CFO")
    rig.ws.add_contacts(seq.id, [fresh(1)])
    result = await rig.ws.sync.run()
    assert result.counts == {"error": 1}
    assert result.remaining == 0
    [row] = rows(rig)
    assert row.state == ContactSyncState.ERROR
    assert "999999 no longer exists" in (row.error or "")
    log = rig.ws.sync.log(row.id)
    assert [(e.step, e.outcome) for e in log][:1] == [("sync_contact", "error")]


async def test_an_error_can_be_retried_once_fixed(rig: Rig) -> None:
    project_vanished_from_clockwork(rig)
    seq = rig.ws.create_sequence("CFO")
    rig.ws.add_contacts(seq.id, [fresh(1)])
    await rig.ws.sync.run()
    rig.ws.set_default_project(rig.project_id("CFO – Northwind"))
    [row] = rows(rig)
    _, queued = rig.ws.sync.retry([row.id])
    assert queued == 1
    await rig.ws.sync.run()
    assert [r.state for r in rows(rig)] == [ContactSyncState.SYNCED]
    assert rig.cw.people_with_email(row.email) == 1


async def test_server_errors_and_rate_limits_are_retried_to_the_same_end(rig: Rig) -> None:
    rig.knobs.update({"fault_rate": 0.3, "burst_429": 5, "retry_after_s": 0.01, "seed": 3})
    seq = rig.ws.create_sequence("CFO")
    rig.ws.add_contacts(seq.id, [fresh(i) for i in range(20)])
    result = await rig.ws.sync.run()
    assert result.remaining == 0
    assert {r.state for r in rows(rig)} == {ContactSyncState.SYNCED}
    assert all(rig.cw.people_with_email(fresh(i).email) == 1 for i in range(20))


async def test_dropped_connections_after_writes_never_duplicate(rig: Rig) -> None:
    rig.knobs.update({"drop_after_write_rate": 0.4, "malformed_rate": 0.1, "seed": 11})
    rig.ws.set_default_project(rig.project_id("CFO – Northwind"))
    rig.ws.update_clockwork_settings(activity_tracking=True)
    seq = rig.ws.create_sequence("CFO")
    rig.ws.add_contacts(seq.id, [fresh(i) for i in range(20)])
    for i in range(20):
        rig.ws.record_reply(fresh(i).email, "CFO")
    result = await rig.ws.sync.run()
    assert result.remaining == 0
    assert {r.state for r in rows(rig)} == {ContactSyncState.SYNCED}
    for row in rows(rig):
        assert rig.cw.people_with_email(row.email) == 1
        assert row.clockwork_person_id is not None
        notes = rig.cw.list_notes(row.clockwork_person_id, 100)
        assert len(notes) == 1
    project = rig.project_id("CFO – Northwind")
    person_ids = [c["personId"] for c in rig.cw.list_candidacies(project, 1000, 0)]
    assert len(person_ids) == len(set(person_ids))


class Steady(Backoff):
    """No jitter: a failed item is due again after `base` seconds, never at once."""

    def delay(self, attempts: int) -> timedelta:
        return timedelta(seconds=self.base)


async def test_offline_changes_sync_when_clockwork_comes_back(rig: Rig) -> None:
    # With the rig's jittered backoff of a few milliseconds the item is often due again before
    # a drain that does not wait has looked, so the outage drain went on retrying it, up to
    # MAX_ATTEMPTS and an error in a quarter of runs (more under load). With a steady 2 s it
    # tries the item once, and the next drain waits for it.
    rig.ws.sync.backoff = Steady(base=2.0)
    seq = rig.ws.create_sequence("CFO")
    rig.ws.add_contacts(seq.id, [fresh(1)])
    rig.knobs.update({"fault_rate": 1.0})
    result = await rig.ws.sync.run(max_wait=0)
    assert result.remaining == 1
    assert [r.state for r in rows(rig)] == [ContactSyncState.QUEUED]
    rig.knobs.update(Knobs().as_dict())
    assert (await rig.ws.sync.run()).counts == {"synced": 1}


class Cable(httpx.AsyncBaseTransport):
    """The sandbox behind a cable that can be pulled: requests fail to connect meanwhile."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner, self.pulled = inner, False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.pulled:
            raise httpx.ConnectError("connection refused", request=request)
        return await self.inner.handle_async_request(request)


async def test_the_connection_goes_offline_and_back_with_the_sync(rig: Rig) -> None:
    cable = Cable(sandbox_transport(rig.cw, rig.knobs))
    async with ClockworkClient(transport=cable, credentials=rig.cw.credentials, **FAST) as client:
        rig.ws.attach_client(client)
        changes: list[ConnectionStatus] = []
        rig.ws.bus.subscribe(
            events.CONNECTION_CHANGED, lambda e: changes.append(e.data["state"].status)
        )
        seq = rig.ws.create_sequence("CFO")
        rig.ws.add_contacts(seq.id, [fresh(1)])
        cable.pulled = True
        assert (await rig.ws.sync.run(max_wait=0)).remaining == 1
        offline = rig.ws.connection_state()
        assert offline.status is ConnectionStatus.OFFLINE
        assert "connect" in offline.message
        cable.pulled = False
        assert (await rig.ws.sync.run()).counts == {"synced": 1}
        assert rig.ws.connection_state().status is ConnectionStatus.CONNECTED
        assert changes == [ConnectionStatus.OFFLINE, ConnectionStatus.CONNECTED]
