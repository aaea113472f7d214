"""A failing Clockwork cannot hold a drain for ever: a time limit stops it at a safe point, and
an item that keeps failing becomes an error on its contact, with its last reason, until retried."""

from __future__ import annotations

import time

import pytest

from app.domain import ContactFilter, ContactSyncState
from app.sync.worker import GAVE_UP
from tests.sync.conftest import Rig, fresh

pytestmark = pytest.mark.both_databases


def states(rig: Rig) -> list[ContactSyncState]:
    return [row.state for row in rig.ws.contacts_page(ContactFilter(), 0, 100)]


async def test_an_item_that_keeps_failing_becomes_an_error_with_its_last_reason(rig: Rig) -> None:
    rig.ws.sync.max_attempts = 3
    seq = rig.ws.create_sequence("Failing")
    rig.ws.add_contacts(seq.id, [fresh(1), fresh(2)])
    rig.knobs.update({"fault_rate": 1.0})
    result = await rig.ws.sync.run(max_wait=5)
    assert result.counts.get(GAVE_UP) == 2
    assert result.remaining == 0
    assert result.last_error is not None
    rows = rig.ws.contacts_page(ContactFilter(), 0, 10)
    assert {r.state for r in rows} == {ContactSyncState.ERROR}
    assert all("Gave up after 3 failed attempts" in (r.error or "") for r in rows)
    assert all("50" in (r.error or "") for r in rows)  # the 5xx status is the reason
    rig.knobs.update({"fault_rate": 0.0})
    rig.ws.sync.retry([r.id for r in rows])
    again = await rig.ws.sync.run()
    assert again.remaining == 0
    assert set(states(rig)) == {ContactSyncState.SYNCED}
    assert rig.cw.stats()["peopleByEmail"][fresh(1).email] == 1


async def test_unreachable_and_rate_limited_do_not_use_up_attempts(rig: Rig) -> None:
    rig.ws.sync.max_attempts = 2
    seq = rig.ws.create_sequence("Slow down")
    rig.ws.add_contacts(seq.id, [fresh(1)])
    rig.knobs.update({"burst_429": 12, "retry_after_s": 0.01})
    result = await rig.ws.sync.run(max_wait=5)
    assert GAVE_UP not in result.counts
    assert states(rig) == [ContactSyncState.SYNCED]


async def test_the_time_limit_stops_a_drain_against_a_failing_clockwork(rig: Rig) -> None:
    rig.ws.sync.max_attempts = 10_000
    seq = rig.ws.create_sequence("Down")
    rig.ws.add_contacts(seq.id, [fresh(i) for i in range(6)])
    rig.knobs.update({"fault_rate": 1.0})
    started = time.monotonic()
    result = await rig.ws.sync.run(max_wait=None, time_limit=1.0)
    # Generous: the point is that it returns at all (max_wait=None alone never would).
    assert time.monotonic() - started < 15
    assert result.timed_out
    assert result.remaining == 6
    assert result.last_error is not None
    assert set(states(rig)) == {ContactSyncState.QUEUED}
    rig.knobs.update({"fault_rate": 0.0})
    assert (await rig.ws.sync.run()).remaining == 0
    assert set(states(rig)) == {ContactSyncState.SYNCED}
    by_email = rig.cw.stats()["peopleByEmail"]
    assert [by_email[fresh(i).email] for i in range(6)] == [1] * 6
