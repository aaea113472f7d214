"""What gets queued for Clockwork when: the article's sync rules, in one place.

Each function runs inside the caller's write transaction, so a change and the outbox rows it
implies commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence as Seq

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.domain import ContactSyncState, OutboxKind, SyncMode
from app.store.contacts import among, insert_many
from app.store.models import ClockworkSettings, OutboxItem, Sequence, SyncRecord, utcnow

#: States from which an automatic or manual sync may start; synced contacts are never resent.
SYNCABLE_STATES = (ContactSyncState.NOT_SYNCED.value, ContactSyncState.ERROR.value)


def project_for(settings: ClockworkSettings, sequence: Sequence | None) -> str | None:
    """The sequence's override wins over the account's default project."""
    if sequence is not None and sequence.project_id:
        return sequence.project_id
    return settings.default_project_id


def contacts_added(
    session: Session, settings: ClockworkSettings, sequence: Sequence, contact_ids: Seq[int]
) -> int:
    """Rule for a contact newly added to a sequence. Returns how many were queued."""
    if not settings.firm or not contact_ids:
        return 0
    if sequence.sync_to_clockwork and settings.sync_mode == SyncMode.ON_ADD:
        return enqueue(
            session, settings, OutboxKind.SYNC_CONTACT, contact_ids, project_for(settings, sequence)
        )
    if settings.dedup:
        # Only a lookup: warns "Exists in Clockwork" without sending anything.
        return enqueue(session, settings, OutboxKind.DEDUP_CHECK, contact_ids, None)
    return 0


def reply_recorded(
    session: Session,
    settings: ClockworkSettings,
    sequence: Sequence,
    contact_id: int,
    sync_enabled_at_add: bool,
) -> int:
    if not settings.firm or settings.sync_mode != SyncMode.ON_REPLY or not sync_enabled_at_add:
        return 0
    return enqueue(
        session, settings, OutboxKind.SYNC_CONTACT, [contact_id], project_for(settings, sequence)
    )


def enqueue(
    session: Session,
    settings: ClockworkSettings,
    kind: OutboxKind,
    contact_ids: Seq[int],
    project_id: str | None,
    job_id: str | None = None,
    checkpoint: str = "{}",
) -> int:
    """Queue `kind` for the contacts that may still sync and have nothing of that kind pending."""
    eligible = _eligible(session, contact_ids, kind)
    now = utcnow()
    same = {
        "kind": kind.value,
        "user_id": settings.user_id,
        "project_id": project_id,
        "job_id": job_id,
        "status": "pending",
        "next_attempt_at": now,
        "checkpoint": checkpoint,
        "attempts": 0,
    }
    rows = [(cid, *same.values()) for cid in eligible]
    insert_many(session, OutboxItem, ["contact_id", *same], rows)
    if kind == OutboxKind.SYNC_CONTACT and eligible:
        session.execute(
            update(SyncRecord)
            .where(among(session, SyncRecord.contact_id, eligible))
            .values(state=ContactSyncState.QUEUED.value, last_error=None, updated_at=now)
        )
    return len(eligible)


def _eligible(session: Session, contact_ids: Seq[int], kind: OutboxKind) -> list[int]:
    wanted = list(dict.fromkeys(contact_ids))
    if not wanted:
        return []
    syncable = select(SyncRecord.contact_id).where(
        among(session, SyncRecord.contact_id, wanted), SyncRecord.state.in_(SYNCABLE_STATES)
    )
    pending = select(OutboxItem.contact_id).where(
        among(session, OutboxItem.contact_id, wanted),
        OutboxItem.kind == kind.value,
        OutboxItem.status == "pending",
    )
    ok = set(session.scalars(syncable)) - set(session.scalars(pending))
    return [cid for cid in wanted if cid in ok]


def activity_recorded(
    session: Session, settings: ClockworkSettings, contact_id: int, activity_id: int
) -> bool:
    """Activity of a contact already in Clockwork goes over as a note when tracking is on.

    Activity of a contact not synced yet is backfilled by the contact's own sync instead.
    """
    if not settings.firm or not settings.activity_tracking:
        return False
    state = session.scalar(select(SyncRecord.state).where(SyncRecord.contact_id == contact_id))
    if state != ContactSyncState.SYNCED.value:
        return False
    queue_one(
        session, OutboxKind.POST_ACTIVITY, contact_id, settings.user_id, activity_id=activity_id
    )
    return True


def queue_one(
    session: Session,
    kind: OutboxKind,
    contact_id: int,
    user_id: int,
    *,
    project_id: str | None = None,
    activity_id: int | None = None,
) -> None:
    """One item for work on a contact already in Clockwork (a note, another project)."""
    session.add(
        OutboxItem(
            kind=kind.value,
            contact_id=contact_id,
            user_id=user_id,
            project_id=project_id,
            activity_id=activity_id,
        )
    )
