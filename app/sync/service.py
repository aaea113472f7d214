"""The background sync loop the app runs while it is open, and a Cancel that really stops it.

It drains the queue, sleeps, and drains again; a change that queues work wakes it at once.
Cancelling a bulk resync cancels the running drain (in-flight requests included), drops the
rest of the job from the queue, then starts the loop again for everything else.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading

from app import events
from app.errors import EscapementError
from app.sync.facade import SyncFacade
from app.sync.worker import DrainResult

log = logging.getLogger(__name__)


class SyncService:
    def __init__(
        self, sync: SyncFacade, *, idle_seconds: float = 5.0, concurrency: int = 4
    ) -> None:
        self.sync = sync
        self.idle_seconds = idle_seconds
        self.concurrency = concurrency
        self.last: DrainResult | None = None
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        # The bus calls handlers on the publisher's thread; an asyncio.Event may only be set
        # on its loop's thread, so wakes from elsewhere are handed over.
        self._home: tuple[asyncio.AbstractEventLoop, int] | None = None
        self._unsubscribe = sync.bus.subscribe(events.CONTACTS_CHANGED, self._on_change)

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        self._home = (asyncio.get_running_loop(), threading.get_ident())
        if not self.running:
            self._task = asyncio.get_running_loop().create_task(self._loop(), name="sync-service")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def close(self) -> None:
        self._unsubscribe()
        await self.stop()

    async def cancel_job(self, job_id: str) -> int:
        """Stops the work now, then drops the job's remaining items from the queue."""
        was_running = self.running
        await self.stop()
        dropped = await asyncio.to_thread(self.sync.cancel, job_id)
        if was_running:
            self.start()
        return dropped

    def _on_change(self, event: events.Event) -> None:
        # The worker's own per-contact events carry data; they must not re-wake the loop.
        if event.data or self._home is None:
            return
        loop, thread = self._home
        if threading.get_ident() == thread:
            self._wake.set()
        elif not loop.is_closed():
            loop.call_soon_threadsafe(self._wake.set)

    async def _loop(self) -> None:
        while True:
            self._wake.clear()
            try:
                self.last = await self.sync.run(
                    max_wait=self.idle_seconds, concurrency=self.concurrency
                )
            except EscapementError as exc:  # not connected yet, keyring locked: wait and see
                log.info("sync paused: %s", exc.message)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.idle_seconds)
