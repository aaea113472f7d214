"""An answer in an unknown shape pauses the whole queue; a lookup settles it afterwards."""

from __future__ import annotations

import pytest

from app.domain import ContactFilter, ContactSyncState
from app.sync.worker import SHAPE_PAUSE
from tests.sync.conftest import Rig, fresh


@pytest.mark.parametrize("mode", ["honour", "ignore", "refuse"])
async def test_a_drifted_read_pauses_the_queue_and_creates_nothing(rig: Rig, mode: str) -> None:
    rig.knobs.inline_details = mode
    rig.knobs.drift_wrappers = "*"  # another API version: every wrapper renamed
    seq = rig.ws.create_sequence("CFO")
    rig.ws.add_contacts(seq.id, [fresh(i) for i in range(6)])
    people = rig.cw.stats()["people"]
    result = await rig.ws.sync.run(concurrency=4)
    assert result.paused is not None
    assert result.paused.startswith(SHAPE_PAUSE)
    # The lookups of new emails are 404s, which have no wrapper; the read before the
    # session's first write is checked, so no create was sent.
    assert rig.cw.stats()["people"] == people
    assert not rig.cw.journal.writes()
    assert result.remaining == 6


@pytest.mark.parametrize("mode", ["honour", "ignore", "refuse"])
async def test_a_drifted_create_pauses_everything_and_a_lookup_settles_it(
    rig: Rig, mode: str
) -> None:
    rig.knobs.inline_details = mode
    rig.knobs.drift_wrappers = "create_person"
    seq = rig.ws.create_sequence("CFO")
    rig.ws.add_contacts(seq.id, [fresh(i) for i in range(6)])
    people = rig.cw.stats()["people"]
    result = await rig.ws.sync.run(concurrency=4)
    assert result.paused is not None
    assert result.paused.startswith(SHAPE_PAUSE)
    # The strict first create goes alone: one person at most, whatever the concurrency.
    assert rig.cw.stats()["people"] == people + 1
    log = [row for row in rig.ws.sync.log() if row.outcome == "paused"]
    assert log
    assert "“person”" in log[0].message
    assert '"data"' in log[0].message
    assert "@" not in log[0].message  # the answer's shape only, values redacted
    # Nothing more happens until the user checks compatibility.
    again = await rig.ws.sync.run()
    assert again.paused is not None
    assert rig.cw.stats()["people"] == people + 1

    rig.knobs.drift_wrappers = ""
    report = await rig.ws.clockwork.check()
    assert report.compatible
    done = await rig.ws.sync.run()
    assert done.paused is None
    rows = rig.ws.contacts_page(ContactFilter(), 0, 10)
    assert {r.state for r in rows} == {ContactSyncState.SYNCED}
    assert rig.cw.stats()["people"] == people + 6  # the first one adopted, not made twice
    for i in range(6):
        assert rig.cw.people_with_email(fresh(i).email) == 1
