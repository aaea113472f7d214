"""Resync: only unsynced contacts, the dry-run preview, progress, Cancel, and project changes."""

from __future__ import annotations

from functools import partial

import pytest

from app.domain import ContactFilter, ContactSyncState, SyncMode
from app.sync import resync
from app.sync.resync import ResyncScope
from app.sync.service import SyncService
from tests.sync.conftest import Rig, fresh, shared, until

pytestmark = pytest.mark.both_databases


def by_state(rig: Rig) -> dict[ContactSyncState, int]:
    counts: dict[ContactSyncState, int] = {}
    for row in rig.ws.contacts_page(ContactFilter(), 0, 10_000):
        counts[row.state] = counts.get(row.state, 0) + 1
    return counts


async def test_resync_backfills_while_sync_is_off_and_skips_synced(rig: Rig) -> None:
    rig.ws.update_clockwork_settings(sync_mode=SyncMode.OFF, dedup=False)
    seq = rig.ws.create_sequence("Backfill")
    rig.ws.add_contacts(seq.id, [fresh(i) for i in range(5)])
    job, queued = rig.ws.sync.resync(ResyncScope(sequence_id=seq.id))
    assert queued == 5
    await rig.ws.sync.run()
    progress = rig.ws.sync.progress(job)
    assert (progress.total, progress.done, progress.pending) == (5, 5, 0)
    assert progress.counts == {"synced": 5}
    requests = len(rig.cw.journal)
    _, again = rig.ws.sync.resync(ResyncScope(everything=True))
    assert again == 0
    await rig.ws.sync.run()
    assert len(rig.cw.journal) == requests


async def test_resync_ignores_the_sequence_toggle(rig: Rig) -> None:
    seq = rig.ws.create_sequence("Quiet")
    rig.ws.set_sequence_sync(seq.id, False)
    rig.ws.add_contacts(seq.id, [fresh(1)])
    assert by_state(rig) == {ContactSyncState.NOT_SYNCED: 1}
    rig.ws.sync.resync(ResyncScope(everything=True))
    await rig.ws.sync.run()
    assert by_state(rig) == {ContactSyncState.SYNCED: 1}


async def test_preview_counts_creates_links_projects_and_skips(rig: Rig) -> None:
    project = rig.project_id("VP Engineering")
    rig.ws.update_clockwork_settings(sync_mode=SyncMode.OFF, dedup=False)
    seq = rig.ws.create_sequence("Preview")
    rig.ws.set_sequence_project(seq.id, project)
    rig.ws.add_contacts(seq.id, [fresh(1), fresh(2), shared(0), shared(1)])
    rig.ws.sync.resync(ResyncScope(contact_ids=(1,)))
    await rig.ws.sync.run()
    requests = len(rig.cw.journal.writes())
    preview = await rig.ws.sync.preview(ResyncScope(sequence_id=seq.id))
    assert len(rig.cw.journal.writes()) == requests
    assert preview.as_dict() == {
        "selected": 4,
        "to_send": 3,
        "will_create": 1,
        "will_link": 2,
        "will_flag_existing": 0,
        "by_project": {"VP Engineering – Helios Health": 3},
        "skipped": {"already synced to Clockwork": 1},
        "estimated": False,
        # 1 create (8, the bound without inline details) + 2 links (3 each), at 5 requests/s
        "estimated_requests": 14,
        "estimated_seconds": 2.8,
        "will_flag_duplicate": 0,
    }


async def test_preview_with_dedup_on_flags_instead_of_linking(rig: Rig) -> None:
    rig.ws.update_clockwork_settings(sync_mode=SyncMode.OFF, dedup=True)
    seq = rig.ws.create_sequence("Preview")
    rig.ws.add_contacts(seq.id, [fresh(1), shared(0)])
    preview = await rig.ws.sync.preview(ResyncScope(everything=True))
    assert (preview.will_create, preview.will_link, preview.will_flag_existing) == (1, 0, 1)


async def test_large_previews_sample_and_say_so(rig: Rig, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(resync, "PREVIEW_LOOKUPS", 5)
    rig.ws.update_clockwork_settings(sync_mode=SyncMode.OFF)
    seq = rig.ws.create_sequence("Big")
    rig.ws.add_contacts(seq.id, [fresh(i) for i in range(40)])
    before = len(rig.cw.journal)
    preview = await rig.ws.sync.preview(ResyncScope(everything=True))
    assert preview.estimated
    assert len(rig.cw.journal) - before == 5
    assert preview.will_create == 40


async def test_cancel_drops_the_rest_of_the_job(rig: Rig) -> None:
    rig.ws.update_clockwork_settings(sync_mode=SyncMode.OFF)
    seq = rig.ws.create_sequence("Big")
    rig.ws.add_contacts(seq.id, [fresh(i) for i in range(10)])
    job, _ = rig.ws.sync.resync(ResyncScope(everything=True))
    assert rig.ws.sync.cancel(job) == 10
    assert by_state(rig) == {ContactSyncState.NOT_SYNCED: 10}
    result = await rig.ws.sync.run()
    assert result.counts == {}
    assert rig.ws.sync.progress(job).pending == 0


def under_way(rig: Rig, job: str) -> bool:
    progress = rig.ws.sync.progress(job)
    return progress.done >= 3 or progress.finished


async def test_a_cancel_mid_run_drops_exactly_the_contacts_left_unsent(rig: Rig) -> None:
    """A contact's new state is written with its item's finish: a cancel never finds a contact
    Synced whose item is still queued (it would count as dropped, and stay Synced)."""
    rig.ws.update_clockwork_settings(sync_mode=SyncMode.OFF)
    rig.knobs.latency_ms = 5  # so the cancels land while items are under way
    seq = rig.ws.create_sequence("Big")
    rig.ws.add_contacts(seq.id, [fresh(i) for i in range(60)])
    service = SyncService(rig.ws.sync, idle_seconds=0.2, concurrency=8)
    service.start()
    try:
        for _ in range(4):  # each round resyncs what the last one left unsent
            job, queued = rig.ws.sync.resync(ResyncScope(everything=True))
            await until(partial(under_way, rig, job), what="some progress")
            dropped = await service.cancel_job(job)
            progress = rig.ws.sync.progress(job)
            assert progress.pending == 0
            assert dropped == by_state(rig).get(ContactSyncState.NOT_SYNCED, 0)
            assert progress.done + dropped == queued
    finally:
        await service.close()
    assert all(rig.cw.people_with_email(fresh(i).email) <= 1 for i in range(60))


async def test_a_project_change_can_be_applied_to_synced_contacts(rig: Rig) -> None:
    first, second = rig.project_id("CFO – Northwind"), rig.project_id("CEO – Atlas")
    seq = rig.ws.create_sequence("Moves")
    rig.ws.set_sequence_project(seq.id, first)
    rig.ws.add_contacts(seq.id, [fresh(1), fresh(2)])
    await rig.ws.sync.run()
    rig.ws.set_sequence_project(seq.id, second)
    assert rig.ws.sync.synced_outside_project(seq.id) == 2
    assert rig.ws.sync.apply_project(seq.id) == 2
    await rig.ws.sync.run()
    assert rig.ws.sync.synced_outside_project(seq.id) == 0
    ours = {r.clockwork_person_id for r in rig.ws.contacts_page(ContactFilter(), 0, 10)}
    in_second = [str(c["personId"]) for c in rig.cw.list_candidacies(second, 1000, 0)]
    assert sorted(p for p in in_second if p in ours) == sorted(ours)
    assert rig.ws.sync.apply_project(seq.id) == 0
