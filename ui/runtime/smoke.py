"""The frozen build's smoke test, run by the real app when ESCAPEMENT_SMOKE=1.

With `--sandbox`, once the window shows: resync up to five demo contacts through the
background sync, wait until Clockwork has them, print `smoke ok: N synced` and return 0.
Anything else prints `smoke failed: ...` on stderr and returns 1. The caller then closes the
window, so the app shuts down in its usual order.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys

from app.api import (
    SYNC_PROGRESS,
    ContactFilter,
    ContactSyncState,
    Event,
    JobProgress,
    ResyncScope,
)
from app.workspace import Workspace

SMOKE_ENV = "ESCAPEMENT_SMOKE"
CONTACTS = 5
TIMEOUT_S = 60.0
_ARRIVED = frozenset({ContactSyncState.SYNCED, ContactSyncState.EXISTS_IN_CLOCKWORK})


def requested() -> bool:
    return os.environ.get(SMOKE_ENV) == "1"


async def smoke_run(ws: Workspace) -> int:
    try:
        async with asyncio.timeout(TIMEOUT_S):
            synced = await _sync_a_few(ws)
    except TimeoutError:
        return _failed(f"the contacts were not synced within {TIMEOUT_S:.0f} s")
    except Exception as exc:  # a smoke test reports, it does not crash
        return _failed(f"{type(exc).__name__}: {exc}")
    if isinstance(synced, str):
        return _failed(synced)
    print(f"smoke ok: {synced} synced", flush=True)
    return 0


async def _sync_a_few(ws: Workspace) -> int | str:
    waiting = ContactFilter(states=frozenset({ContactSyncState.NOT_SYNCED}))
    rows = await asyncio.to_thread(ws.contacts_page, waiting, 0, CONTACTS)
    if not rows:
        return "no contact is waiting to be synced (start with --sandbox)"
    ids = tuple(row.id for row in rows)
    job_id, queued = await asyncio.to_thread(ws.sync.resync, ResyncScope(contact_ids=ids))
    progress = await until_finished(ws, job_id)
    # counts: the contacts' sync states once their items are done.
    arrived = sum(progress.counts.get(state.value, 0) for state in _ARRIVED)
    if progress.failed or arrived != queued:
        return f"{arrived} of {queued} contacts reached Clockwork; states {progress.counts}"
    return arrived


def _failed(reason: str) -> int:
    print(f"smoke failed: {reason}", file=sys.stderr, flush=True)
    return 1


async def until_finished(ws: Workspace, job_id: str) -> JobProgress:
    """The job's progress once nothing of it is pending; looks again on each progress event."""
    loop = asyncio.get_running_loop()
    moved = asyncio.Event()

    def wake(_event: Event) -> None:
        loop.call_soon_threadsafe(moved.set)  # the worker may publish from another thread

    unsubscribe = ws.bus.subscribe(SYNC_PROGRESS, wake)
    try:
        while True:
            moved.clear()
            progress = await asyncio.to_thread(ws.sync.progress, job_id)
            if progress.finished:
                return progress
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(moved.wait(), 1.0)
    finally:
        unsubscribe()
