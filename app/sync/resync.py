"""Resync to Clockwork: choosing the contacts, the dry-run preview, the job and its progress.

As the article says, resync only sends contacts that have not synced yet; it ignores the sync
mode and the sequences' toggles, because the user asked for it explicitly.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.domain import ContactSyncState, OutboxKind, OutboxStatus
from app.store.contacts import chunked
from app.store.models import (
    ClockworkSettings,
    Contact,
    Enrollment,
    OutboxItem,
    Sequence,
    SyncRecord,
)
from app.sync import rules

if TYPE_CHECKING:
    from app.clockwork.client import ClockworkClient

#: Above this many contacts the preview looks up a random sample and says it estimates.
PREVIEW_LOOKUPS = 50

SKIP_REASONS = {
    ContactSyncState.SYNCED: "already synced to Clockwork",
    ContactSyncState.QUEUED: "already queued",
    ContactSyncState.EXISTS_IN_CLOCKWORK: "marked Exists in Clockwork",
    ContactSyncState.POSSIBLE_DUPLICATE: "possible duplicate, waiting for your decision",
}


@dataclass(frozen=True, slots=True)
class ResyncScope:
    """One contact, a selection, a sequence, or everything."""

    contact_ids: tuple[int, ...] = ()
    sequence_id: int | None = None
    everything: bool = False


@dataclass(frozen=True, slots=True)
class ResyncPreview:
    selected: int
    to_send: int
    will_create: int
    will_link: int
    will_flag_existing: int
    by_project: dict[str, int]
    skipped: dict[str, int]
    estimated: bool
    #: Clockwork requests the resync should take, and how long at the current cap.
    estimated_requests: int = 0
    estimated_seconds: float = 0.0
    #: No email match but the same LinkedIn URL: the run marks them "Possible duplicate".
    will_flag_duplicate: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "selected": self.selected,
            "to_send": self.to_send,
            "will_create": self.will_create,
            "will_link": self.will_link,
            "will_flag_existing": self.will_flag_existing,
            "by_project": self.by_project,
            "skipped": self.skipped,
            "estimated": self.estimated,
            "estimated_requests": self.estimated_requests,
            "estimated_seconds": self.estimated_seconds,
            "will_flag_duplicate": self.will_flag_duplicate,
        }


@dataclass(frozen=True, slots=True)
class JobProgress:
    job_id: str
    total: int
    done: int
    failed: int
    pending: int
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def finished(self) -> bool:
        return self.pending == 0


def selected_states(session: Session, scope: ResyncScope) -> dict[int, ContactSyncState]:
    query = select(SyncRecord.contact_id, SyncRecord.state)
    if scope.sequence_id is not None:
        query = query.join(Enrollment, Enrollment.contact_id == SyncRecord.contact_id).where(
            Enrollment.sequence_id == scope.sequence_id
        )
    if scope.everything or scope.sequence_id is not None:
        return {cid: ContactSyncState(state) for cid, state in session.execute(query)}
    found: dict[int, ContactSyncState] = {}
    for part in chunked(list(scope.contact_ids)):
        rows = session.execute(query.where(SyncRecord.contact_id.in_(part)))
        found.update({cid: ContactSyncState(state) for cid, state in rows})
    return found


def eligible(states: dict[int, ContactSyncState]) -> list[int]:
    return [cid for cid, state in states.items() if state.value in rules.SYNCABLE_STATES]


def skipped(states: dict[int, ContactSyncState]) -> dict[str, int]:
    return dict(Counter(SKIP_REASONS[s] for s in states.values() if s in SKIP_REASONS))


def projects_for(
    session: Session, settings: ClockworkSettings, contact_ids: list[int], scope: ResyncScope
) -> dict[int, str | None]:
    """Each contact's project: the scope's sequence, else its latest sequence's override,
    else the account's default."""
    if scope.sequence_id is not None:
        seq = session.get(Sequence, scope.sequence_id)
        project = rules.project_for(settings, seq)
        return dict.fromkeys(contact_ids, project)
    latest: dict[int, str | None] = {}
    query = (
        select(Enrollment.contact_id, Sequence.project_id)
        .join(Sequence)
        .order_by(Enrollment.added_at, Enrollment.id)
    )
    for part in chunked(contact_ids):
        for cid, project in session.execute(query.where(Enrollment.contact_id.in_(part))):
            latest[cid] = project
    return {cid: latest.get(cid) or settings.default_project_id for cid in contact_ids}


def enqueue_job(
    session: Session, settings: ClockworkSettings, scope: ResyncScope
) -> tuple[str, int]:
    ids = eligible(selected_states(session, scope))
    by_project: dict[str | None, list[int]] = defaultdict(list)
    for cid, project in projects_for(session, settings, ids, scope).items():
        by_project[project].append(cid)
    job_id = str(uuid.uuid4())
    total = sum(
        rules.enqueue(session, settings, OutboxKind.SYNC_CONTACT, cids, project, job_id)
        for project, cids in by_project.items()
    )
    return job_id, total


def job_progress(session: Session, job_id: str) -> JobProgress:
    rows = session.execute(
        select(OutboxItem.status, func.count())
        .where(OutboxItem.job_id == job_id)
        .group_by(OutboxItem.status)
    )
    counts = {status: n for status, n in rows}
    states = session.execute(
        select(SyncRecord.state, func.count())
        .join(OutboxItem, OutboxItem.contact_id == SyncRecord.contact_id)
        .where(OutboxItem.job_id == job_id, OutboxItem.status == OutboxStatus.DONE.value)
        .group_by(SyncRecord.state)
    )
    return JobProgress(
        job_id=job_id,
        total=sum(counts.values()),
        done=counts.get(OutboxStatus.DONE.value, 0),
        failed=counts.get(OutboxStatus.FAILED.value, 0),
        pending=counts.get(OutboxStatus.PENDING.value, 0),
        counts={state: n for state, n in states},
    )


def cancel_job(session: Session, job_id: str) -> int:
    """The rest of the job is dropped; its contacts go back to Not synced."""
    pending = list(
        session.scalars(
            select(OutboxItem.contact_id).where(
                OutboxItem.job_id == job_id, OutboxItem.status == OutboxStatus.PENDING.value
            )
        )
    )
    session.execute(
        update(OutboxItem)
        .where(OutboxItem.job_id == job_id, OutboxItem.status == OutboxStatus.PENDING.value)
        .values(status=OutboxStatus.CANCELLED.value, claimed_by=None, claimed_until=None)
    )
    for part in chunked(pending):
        session.execute(
            update(SyncRecord)
            .where(
                SyncRecord.contact_id.in_(part), SyncRecord.state == ContactSyncState.QUEUED.value
            )
            .values(state=ContactSyncState.NOT_SYNCED.value)
        )
    return len(pending)


async def preview(
    client: ClockworkClient,
    states: dict[int, ContactSyncState],
    emails: dict[int, str],
    projects: dict[int, str],
    dedup: bool,
    linkedin: dict[int, str] | None = None,
) -> ResyncPreview:
    """Looks the contacts up as the run will (all of them, or a sample): by email, then, with
    no email match, by LinkedIn URL, to say how many will be created, linked or flagged."""
    ids = eligible(states)
    sample = ids if len(ids) <= PREVIEW_LOOKUPS else random.sample(ids, PREVIEW_LOOKUPS)
    urls = linkedin or {}
    verdicts = await asyncio.gather(
        *(_verdict(client, emails[cid], urls.get(cid)) for cid in sample)
    )
    scale = len(ids) / len(sample) if sample else 0.0
    existing = round(verdicts.count("email") * scale)
    duplicates = round(verdicts.count("linkedin") * scale)
    return ResyncPreview(
        selected=len(states),
        to_send=len(ids),
        will_create=len(ids) - existing - duplicates,
        will_link=0 if dedup else existing,
        will_flag_existing=existing if dedup else 0,
        by_project=dict(Counter(projects[cid] for cid in ids)),
        skipped=skipped(states),
        estimated=len(sample) < len(ids),
        will_flag_duplicate=duplicates,
    )


async def _verdict(client: ClockworkClient, email: str, linkedin_url: str | None) -> str:
    """What the run's look-up before create (app/sync/steps.py) will find: the same order."""
    if await client.find_person_by_email(email) is not None:
        return "email"
    if linkedin_url and await client.find_person_by_linkedin(linkedin_url) is not None:
        return "linkedin"
    return "none"


def linkedin_urls(session: Session, ids: list[int]) -> dict[int, str]:
    """The contacts' LinkedIn URLs, for the preview's second look-up."""
    found: dict[int, str] = {}
    for part in chunked(ids):
        query = select(Contact.id, Contact.linkedin_url).where(
            Contact.id.in_(part), Contact.linkedin_url != ""
        )
        found.update({cid: url for cid, url in session.execute(query) if url})
    return found
