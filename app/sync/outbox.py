"""The durable queue: claiming due items under a lease, saving recovery points, finishing.

Every function here is one short local transaction. A claim is a lease: a worker that dies
(kill -9, power cut) leaves its items claimed until the lease runs out, or until a new worker
on the same host sees that the claiming process no longer exists.
"""

from __future__ import annotations

import json
import os
import random
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, func, or_, select, update
from sqlalchemy.orm import Session

from app.clockwork.errors import RateLimited, Unreachable
from app.domain import OutboxKind, OutboxStatus
from app.store.models import OutboxItem, utcnow

LEASE = timedelta(minutes=2)
#: The queue as a table: updates by id need none of the ORM's bookkeeping, which costs a quarter
#: of each of these small transactions (several per synced contact).
_OUTBOX: Table = OutboxItem.__table__  # type: ignore[assignment]
#: The PostgreSQL advisory lock that serialises claims across app instances on one database.
CLAIM_LOCK = 0x45534341  # "ESCA"


@dataclass(frozen=True, slots=True)
class Backoff:
    """Exponential backoff with full jitter between attempts of one item, in seconds."""

    base: float = 2.0
    cap: float = 600.0

    def delay(self, attempts: int) -> timedelta:
        ceiling = min(self.cap, self.base * 2 ** min(attempts, 20))
        return timedelta(seconds=random.uniform(0, ceiling))


DEFAULT_BACKOFF = Backoff()
#: Failed attempts in a row without progress after which an item becomes an error on its
#: contact, for the user to retry. An attempt that saved a new recovery point does not count
#: (see failures_without_progress). With the default backoff the eighth such failure comes at
#: most some 5 minutes after the first (4.2 of backoff, the rest the client's own retries
#: within each attempt), about half that on average.
MAX_ATTEMPTS = 8


def counts_as_attempt(exc: Exception) -> bool:
    """Whether a failure counts towards MAX_ATTEMPTS: not when Clockwork was never reached
    (no network) or only asked us to slow down, which say nothing about the item."""
    return not isinstance(exc, RateLimited) and type(exc) is not Unreachable


def gave_up_message(attempts: int, reason: str) -> str:
    return f"Gave up after {attempts} failed attempts without progress; the last: {reason}"


@dataclass(frozen=True, slots=True)
class Claimed:
    id: int
    kind: OutboxKind
    contact_id: int
    user_id: int | None
    project_id: str | None
    activity_id: int | None
    #: Failed attempts in a row without progress (failures_without_progress).
    attempts: int
    checkpoint: dict[str, Any]
    job_id: str | None


def worker_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(session: Session, worker: str, user_id: int, limit: int) -> list[Claimed]:
    """Lease up to `limit` due items of this user, at most one per contact."""
    now = utcnow()
    busy = select(OutboxItem.contact_id).where(
        OutboxItem.status == OutboxStatus.PENDING.value, OutboxItem.claimed_until > now
    )
    query = (
        select(OutboxItem)
        .where(
            OutboxItem.status == OutboxStatus.PENDING.value,
            OutboxItem.user_id == user_id,
            OutboxItem.next_attempt_at <= now,
            or_(OutboxItem.claimed_until.is_(None), OutboxItem.claimed_until <= now),
            OutboxItem.contact_id.not_in(busy),
        )
        .order_by(OutboxItem.id)
        .limit(limit * 4)
    )
    if session.get_bind().dialect.name == "postgresql":
        # Claims take turns, so `busy` sees every lease committed before this one: row locks
        # alone would let two app instances lease two items of one contact at the same moment.
        session.execute(select(func.pg_advisory_xact_lock(CLAIM_LOCK)))
        # Rows another transaction is finishing or checkpointing are skipped, not waited for.
        query = query.with_for_update(skip_locked=True)
    taken: dict[int, OutboxItem] = {}
    for item in session.scalars(query):
        if item.contact_id not in taken and len(taken) < limit:
            taken[item.contact_id] = item
    for item in taken.values():
        item.claimed_by, item.claimed_until = worker, now + LEASE
    return [_claimed(item) for item in taken.values()]


def _claimed(item: OutboxItem) -> Claimed:
    return Claimed(
        id=item.id,
        kind=OutboxKind(item.kind),
        contact_id=item.contact_id,
        user_id=item.user_id,
        project_id=item.project_id,
        activity_id=item.activity_id,
        attempts=item.attempts,
        checkpoint=json.loads(item.checkpoint or "{}"),
        job_id=item.job_id,
    )


def release_dead_claims(session: Session, host: str) -> int:
    """Free the items held by processes on this host that no longer run (crash recovery)."""
    released = 0
    claimed = select(OutboxItem).where(
        OutboxItem.status == OutboxStatus.PENDING.value,
        OutboxItem.claimed_by.like(f"{host}:%"),
    )
    for item in session.scalars(claimed):
        pid = int((item.claimed_by or "0").rsplit(":", 1)[-1] or 0)
        if pid != os.getpid() and not _alive(pid):
            item.claimed_by, item.claimed_until = None, None
            released += 1
    return released


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def save_checkpoint(session: Session, item_id: int, checkpoint: dict[str, Any]) -> None:
    session.execute(
        update(_OUTBOX)
        .where(_OUTBOX.c.id == item_id)
        .values(checkpoint=json.dumps(checkpoint, sort_keys=True), claimed_until=utcnow() + LEASE)
    )


def finish(session: Session, item_id: int, status: OutboxStatus, error: str | None = None) -> None:
    session.execute(
        update(_OUTBOX)
        .where(_OUTBOX.c.id == item_id)
        .values(status=status.value, last_error=error, claimed_by=None, claimed_until=None)
    )


def failures_without_progress(session: Session, item: Claimed) -> int:
    """The item's failed attempts in a row that saved no new recovery point, the one just
    failed included: 0 when it saved one. An item whose steps keep being cut off but that gets
    further each time is never given up on; this still ends, as a checkpoint only grows (steps
    done, writes marked attempted) and an item has a bounded number of steps."""
    saved = session.scalar(select(_OUTBOX.c.checkpoint).where(_OUTBOX.c.id == item.id))
    if json.loads(saved or "{}") != item.checkpoint:
        return 0
    return item.attempts + 1


def reschedule(
    session: Session,
    item_id: int,
    failures: int,
    error: str,
    backoff: Backoff,
    delay: timedelta | None = None,
) -> datetime:
    """Back off and store `failures` (failures_without_progress) as the item's attempts;
    `delay` (from Retry-After) wins when it is longer."""
    # A first failure, or one that got further, waits least: the backoff restarts with progress.
    wait = backoff.delay(max(failures - 1, 0))
    if delay is not None:
        wait = max(wait, delay)
    when = utcnow() + wait
    session.execute(
        update(OutboxItem)
        .where(OutboxItem.id == item_id)
        .values(
            attempts=failures,
            next_attempt_at=when,
            last_error=error,
            claimed_by=None,
            claimed_until=None,
        )
    )
    return when


def release(session: Session, item_ids: list[int]) -> None:
    """Hand items back untouched (a cancel or a pause before they ran)."""
    session.execute(
        update(OutboxItem)
        .where(OutboxItem.id.in_(item_ids))
        .values(claimed_by=None, claimed_until=None)
    )


def release_worker(session: Session, worker: str) -> None:
    """A new drain by the same worker: nothing of its own can still be running."""
    session.execute(
        update(OutboxItem)
        .where(OutboxItem.claimed_by == worker, OutboxItem.status == OutboxStatus.PENDING.value)
        .values(claimed_by=None, claimed_until=None)
    )
