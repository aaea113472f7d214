"""The resync preview counts what the run then does, LinkedIn matches included: preview,
run on the same data, compare (the issue: "Flagged 0" predicted, 1 possible duplicate seen)."""

from __future__ import annotations

import pytest

from app.domain import ContactFilter, ContactSyncState, SyncMode
from app.sync.resync import ResyncScope
from tests.sync.conftest import Rig, fresh, shared


def a_linkedin_in_clockwork(rig: Rig) -> str:
    """The LinkedIn URL of a sandbox person with another email than any we import."""
    for person in rig.cw.list_people(500, 0):
        if person["linkedinUrls"]:
            return str(person["linkedinUrls"][0]["url"])
    raise AssertionError("the demo firm has LinkedIn URLs")


def outcome(rig: Rig, seq: int) -> dict[ContactSyncState, int]:
    rows = rig.ws.contacts_page(ContactFilter(sequence_id=seq), 0, 100)
    return {state: sum(1 for r in rows if r.state is state) for state in ContactSyncState}


@pytest.mark.parametrize("dedup", [False, True])
async def test_preview_counts_equal_the_runs_outcome(rig: Rig, dedup: bool) -> None:
    rig.ws.update_clockwork_settings(sync_mode=SyncMode.OFF, dedup=dedup)
    seq = rig.ws.create_sequence("Preview then run")
    url = a_linkedin_in_clockwork(rig)
    contacts = [fresh(i) for i in range(1, 5)] + [fresh(9, linkedin_url=url)]
    rig.ws.add_contacts(seq.id, [*contacts, shared(0), shared(1)])
    scope = ResyncScope(sequence_id=seq.id)
    preview = await rig.ws.sync.preview(scope)
    assert preview.to_send == 7
    assert not preview.estimated
    rig.ws.sync.resync(scope)
    await rig.ws.sync.run(max_wait=10)
    seen = outcome(rig, seq.id)
    assert seen[ContactSyncState.POSSIBLE_DUPLICATE] == preview.will_flag_duplicate == 1
    assert seen[ContactSyncState.EXISTS_IN_CLOCKWORK] == preview.will_flag_existing
    assert seen[ContactSyncState.SYNCED] == preview.will_create + preview.will_link
    assert preview.will_flag_existing == (2 if dedup else 0)
    assert preview.will_link == (0 if dedup else 2)
    assert preview.will_create == 4
