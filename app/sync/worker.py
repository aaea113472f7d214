"""The sync worker: claims outbox items and runs their steps with bounded concurrency.

One worker serves one user (their keys, their items). It stops at a safe point when its task is
cancelled, hands unfinished items back, and pauses the whole queue on a 401.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import events
from app.clockwork.errors import AuthError, ClockworkError, RateLimited, ShapeDrift, Unreachable
from app.domain import ContactSyncState, OutboxKind, OutboxStatus
from app.events import EventBus
from app.store import Store
from app.store.models import ClockworkSettings, OutboxItem, utcnow
from app.sync import outbox, records, writes
from app.sync.errors import PermanentStepError

if TYPE_CHECKING:
    from app.clockwork.client import ClockworkClient

log = logging.getLogger(__name__)
#: How a finished item that changed no contact's state is counted in a drain's summary.
_DONE_LABELS = {
    OutboxKind.DEDUP_CHECK: "checked",
    OutboxKind.ADD_TO_PROJECT: "added_to_project",
    OutboxKind.POST_ACTIVITY: "note_posted",
    OutboxKind.SYNC_CONTACT: "synced",
    OutboxKind.MARK_DO_NOT_CONTACT: "marked_do_not_contact",
    OutboxKind.SET_STATUS: "status_set",
}
#: Longest a claimed item waits to start, well inside its lease (outbox.LEASE).
_READY_FOR = outbox.LEASE.total_seconds() / 4
#: Stored as the pause reason and shown by either front end, so it names neither.
KEYS_REJECTED = "Clockwork rejected the API key. Connect again with new keys."
SHAPE_ADVICE = (
    "The sync is paused so no wrong record is made; check compatibility (the Integration "
    "pane's button, or clockwork check) to see what differs and resume."
)
#: Starts every pause for an answer in an unknown shape; `clockwork check` lifts those.
SHAPE_PAUSE = "Clockwork answered in an unknown shape"


GAVE_UP = "gave_up"


@dataclass
class DrainResult:
    """What one drain did, by outcome, what is left in the queue and why."""

    counts: dict[str, int] = field(default_factory=dict)
    remaining: int = 0
    paused: str | None = None
    #: The drain's deadline ran out with items still queued.
    timed_out: bool = False
    #: Seconds until the next queued item is due, when some are left.
    next_due_in: float | None = None
    #: The reason of the latest failed attempt in this drain.
    last_error: str | None = None

    def add(self, outcome: str) -> None:
        self.counts[outcome] = self.counts.get(outcome, 0) + 1


class SyncWorker:
    def __init__(
        self,
        store: Store,
        bus: EventBus,
        client: ClockworkClient,
        user_id: int,
        *,
        concurrency: int = 4,
        poll_seconds: float = 1.0,
        worker_id: str | None = None,
        backoff: outbox.Backoff = outbox.DEFAULT_BACKOFF,
        max_attempts: int = outbox.MAX_ATTEMPTS,
        on_outcome: Callable[[str, DrainResult], None] | None = None,
    ) -> None:
        self.store = store
        self.bus = bus
        self.client = client
        self.user_id = user_id
        self.concurrency = concurrency
        self.poll_seconds = poll_seconds
        self.worker_id = worker_id or outbox.worker_identity()
        self.backoff = backoff
        self.max_attempts = max_attempts
        # Told of every item's outcome as it happens: the CLI prints progress from it.
        self.on_outcome = on_outcome
        self._result = DrainResult()
        # None until this worker's first answer or failure: then each change is published once.
        self.offline: bool | None = None
        self.paused: str | None = None
        self._writer: ThreadPoolExecutor | None = None
        # Claimed and not started yet: a claim reads the whole due queue, so it takes the
        # next few items at once rather than one each time an item finishes.
        self._ready: deque[outbox.Claimed] = deque()
        self._ready_since = 0.0

    async def db[T](self, fn: Callable[[Session], T]) -> T:
        """Store work off the event loop, so the GUI never waits on a busy database.

        All of a drain's writes go through one thread, one after the other: SQLite takes one
        writer at a time anyway, and writers from several threads wait for each other in
        SQLite's busy handler, which sleeps in steps of milliseconds.
        """
        if self._writer is None:
            self._writer = ThreadPoolExecutor(1, thread_name_prefix="sync-writes")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._writer, self._write, fn)

    def _write[T](self, fn: Callable[[Session], T]) -> T:
        with self.store.write() as session:
            return fn(session)

    # --- draining ---------------------------------------------------------------------------

    async def drain(
        self, *, max_wait: float | None = 120.0, time_limit: float | None = None
    ) -> DrainResult:
        """Run until nothing is due. Waits for backed-off items up to `max_wait` seconds
        (None: for ever, as the app's background loop does). After `time_limit` seconds in all
        it stops at a safe point, whatever is left (None: no deadline)."""
        try:
            return await self._drain(
                max_wait, None if time_limit is None else time.monotonic() + time_limit
            )
        finally:
            if self._writer is not None:
                self._writer.shutdown(wait=False)  # a write under way still completes
                self._writer = None

    async def _drain(self, max_wait: float | None, deadline: float | None) -> DrainResult:
        result = self._result = DrainResult()
        await self.db(self._recover_claims)
        self.paused = await self.db(self._paused_reason)
        running: dict[asyncio.Task[str], int] = {}
        try:
            while self.paused is None:
                step = _until(deadline, self.poll_seconds)
                if step <= 0:
                    result.timed_out = True
                    break
                await self._fill(running)
                if running:
                    done, _ = await asyncio.wait(
                        running, timeout=step, return_when=asyncio.FIRST_COMPLETED
                    )
                    for task in done:
                        running.pop(task)
                        self._count(task.result())
                    continue
                wait = await self.db(self._seconds_until_due)
                if wait is None or (max_wait is not None and wait > max_wait):
                    break
                await asyncio.sleep(min(wait, step))
        finally:
            await self._stop(running)
        result.remaining = await self.db(self._pending)
        if result.remaining:
            result.next_due_in = await self.db(self._seconds_until_due)
        result.paused = self.paused
        return result

    def _count(self, outcome: str) -> None:
        self._result.add(outcome)
        if self.on_outcome is not None:
            self.on_outcome(outcome, self._result)

    async def _fill(self, running: dict[asyncio.Task[str], int]) -> None:
        free = self.concurrency - len(running)
        if free <= 0:
            return
        if self._ready and time.monotonic() - self._ready_since > _READY_FOR:
            await self._release_ready()  # their leases run short: hand them back, claim anew
        if len(self._ready) < free:
            if not self._ready:
                self._ready_since = time.monotonic()
            self._ready.extend(
                await self.db(
                    partial(
                        outbox.claim,
                        worker=self.worker_id,
                        user_id=self.user_id,
                        limit=free - len(self._ready) + self.concurrency,
                    )
                )
            )
        while free > 0 and self._ready:
            item = self._ready.popleft()
            running[asyncio.create_task(self._process(item))] = item.id
            free -= 1

    async def _stop(self, running: dict[asyncio.Task[str], int]) -> None:
        """Cancel in-flight items and hand them back; their recovery points stay."""
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        if running:
            ids = list(running.values())
            await asyncio.shield(self.db(lambda s: outbox.release(s, ids)))
        await asyncio.shield(self._release_ready())

    async def _release_ready(self) -> None:
        ids = [item.id for item in self._ready]
        self._ready.clear()
        if ids:
            await self.db(lambda s: outbox.release(s, ids))

    def _recover_claims(self, session: Session) -> None:
        outbox.release_dead_claims(session, socket.gethostname())
        outbox.release_worker(session, self.worker_id)

    def _paused_reason(self, session: Session) -> str | None:
        settings = session.get(ClockworkSettings, self.user_id)
        return settings.paused_reason if settings else None

    def _pending_query(self) -> Any:
        return select(OutboxItem.next_attempt_at).where(
            OutboxItem.status == OutboxStatus.PENDING.value, OutboxItem.user_id == self.user_id
        )

    def _seconds_until_due(self, session: Session) -> float | None:
        nxt: datetime | None = session.scalar(
            select(func.min(self._pending_query().subquery().c.next_attempt_at))
        )
        if nxt is None:
            return None
        return max(0.0, (nxt - utcnow()).total_seconds())

    def _pending(self, session: Session) -> int:
        return (
            session.scalar(select(func.count()).select_from(self._pending_query().subquery())) or 0
        )

    # --- one item ---------------------------------------------------------------------------

    async def _process(self, item: outbox.Claimed) -> str:
        snap = await self.db(
            partial(records.snapshot, contact_id=item.contact_id, user_id=self.user_id)
        )
        run = writes.ItemRun(item, snap, self.client, self.db)
        try:
            await self.client.check_shape_once()
            state = await writes.run_item(run)
        except AuthError as exc:
            await self._pause(item, exc)
            return "paused"
        except ShapeDrift as exc:
            await self._pause(item, exc, f"{SHAPE_PAUSE} ({exc.endpoint}). {SHAPE_ADVICE}")
            return "paused"
        except PermanentStepError as exc:
            await self._fail(item, exc.message)
            return "error"
        except ClockworkError as exc:
            if not exc.retryable:
                await self._fail(item, exc.message)
                return "error"
            return await self._retry(item, exc)
        except Exception as exc:  # a bug: log it, keep the item, keep the worker alive
            log.exception("sync step failed unexpectedly for outbox item %s", item.id)
            return await self._retry(item, exc)
        await self._done(run)
        self._publish(item, state)
        if item.kind == OutboxKind.SYNC_CONTACT:
            return (state or ContactSyncState.SYNCED).value
        return state.value if state is not None else _DONE_LABELS[item.kind]

    async def _done(self, run: writes.ItemRun) -> None:
        self._reached(True)
        item, new_state = run.item, run.new_state

        def done(session: Session) -> None:
            outbox.finish(session, item.id, OutboxStatus.DONE)
            if new_state is not None:
                state, details = new_state
                records.set_state(session, item.contact_id, state, **details)

        await self.db(done)

    async def _fail(self, item: outbox.Claimed, message: str) -> None:
        await self.db(partial(_failed, item=item, message=message))
        self._publish(item, ContactSyncState.ERROR)

    async def _retry(self, item: outbox.Claimed, exc: Exception) -> str:
        """Back the item off, or give it up after `max_attempts` failures in a row that got no
        further (outbox.failures_without_progress); the outcome."""
        message = str(exc) or type(exc).__name__
        self._result.last_error = message
        counts = outbox.counts_as_attempt(exc)
        delay = timedelta(seconds=exc.retry_after) if isinstance(exc, RateLimited) else None

        def retry(session: Session) -> str:
            failures = outbox.failures_without_progress(session, item)
            if counts and failures >= self.max_attempts:
                _failed(session, item, outbox.gave_up_message(failures, message))
                return GAVE_UP
            outbox.reschedule(session, item.id, failures, message, self.backoff, delay)
            records.log(session, item.contact_id, item.id, item.kind.value, "retry", message)
            return "retry"

        outcome = await self.db(retry)
        if outcome == GAVE_UP:
            self._publish(item, ContactSyncState.ERROR)
        if isinstance(exc, Unreachable):
            self._reached(False, exc.message)
        return outcome

    def _reached(self, reachable: bool, message: str = "") -> None:
        """Tells the connection (and so the status bar) when Clockwork stops or starts
        answering, without waiting for the next health check."""
        offline = not reachable
        if self.offline != offline:
            self.offline = offline
            self.bus.publish(events.CLOCKWORK_REACHABILITY, reachable=reachable, message=message)

    async def _pause(
        self, item: outbox.Claimed, exc: ClockworkError, reason: str = KEYS_REJECTED
    ) -> None:
        """Stops the whole queue, not just this contact: the item goes back untouched. The
        contact's log keeps the error (for a drifted answer: its shape, values left out)."""
        self.paused = reason

        def pause(session: Session) -> None:
            outbox.release(session, [item.id])
            settings = session.get_one(ClockworkSettings, self.user_id)
            settings.paused_reason = reason
            records.log(session, item.contact_id, item.id, item.kind.value, "paused", exc.message)

        await self.db(pause)
        self.bus.publish(events.CONNECTION_CHANGED, paused=reason)

    def _publish(self, item: outbox.Claimed, state: ContactSyncState | None) -> None:
        self.bus.publish(events.CONTACTS_CHANGED, contact_id=item.contact_id, state=state)
        if item.job_id:
            self.bus.publish(events.SYNC_PROGRESS, job_id=item.job_id)


def _failed(session: Session, item: outbox.Claimed, message: str) -> None:
    """The item fails for good: an error on its contact until the user retries it."""
    outbox.finish(session, item.id, OutboxStatus.FAILED, message)
    records.set_state(session, item.contact_id, ContactSyncState.ERROR, error=message)
    records.log(session, item.contact_id, item.id, item.kind.value, "error", message)


def _until(deadline: float | None, longest: float) -> float:
    """Seconds to the deadline, at most `longest`; 0 once it has passed."""
    if deadline is None:
        return longest
    return max(0.0, min(longest, deadline - time.monotonic()))
