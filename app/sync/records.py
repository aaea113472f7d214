"""Local bookkeeping of the sync: what each step learned, saved the moment it is known."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.domain import ActivityKind, ContactSyncState
from app.store.models import (
    ActivityEvent,
    Candidacy,
    Contact,
    Enrollment,
    Sequence,
    SyncLogEntry,
    SyncRecord,
    utcnow,
)
from app.users import settings_for


@dataclass(frozen=True, slots=True)
class ContactSnapshot:
    """What a sync step needs to know of one contact and its owner's settings."""

    contact_id: int
    email: str
    first_name: str
    last_name: str
    title: str
    company: str
    linkedin_url: str
    phone: str
    state: ContactSyncState
    person_id: str | None
    create_attempted: bool
    dedup: bool
    activity_tracking: bool

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email


@dataclass(frozen=True, slots=True)
class ActivityNote:
    id: int
    kind: ActivityKind
    occurred_at: datetime
    subject: str
    sequence: str
    step_index: int | None
    #: Only stored when the user opted in to sending email bodies to Clockwork.
    body: str = ""


def snapshot(session: Session, contact_id: int, user_id: int) -> ContactSnapshot:
    contact = session.get_one(Contact, contact_id)
    record = session.get_one(SyncRecord, contact_id)
    settings = settings_for(session, user_id)
    return ContactSnapshot(
        contact_id=contact.id,
        email=contact.email,
        first_name=contact.first_name,
        last_name=contact.last_name,
        title=contact.title,
        company=contact.company,
        linkedin_url=contact.linkedin_url,
        phone=contact.phone,
        state=ContactSyncState(record.state),
        person_id=record.clockwork_person_id,
        create_attempted=record.create_attempted_at is not None,
        dedup=settings.dedup,
        activity_tracking=settings.activity_tracking,
    )


def unposted_activities(
    session: Session, contact_id: int, only: int | None = None
) -> list[ActivityNote]:
    query = (
        select(ActivityEvent, Sequence.name)
        .join(Enrollment, ActivityEvent.enrollment_id == Enrollment.id)
        .join(Sequence, Enrollment.sequence_id == Sequence.id)
        .where(Enrollment.contact_id == contact_id, ActivityEvent.clockwork_note_id.is_(None))
        .order_by(ActivityEvent.occurred_at, ActivityEvent.id)
    )
    if only is not None:
        query = query.where(ActivityEvent.id == only)
    return [
        ActivityNote(
            e.id, ActivityKind(e.kind), e.occurred_at, e.subject, name, e.step_index, e.body
        )
        for e, name in session.execute(query)
    ]


def set_person(session: Session, contact_id: int, person_id: str) -> None:
    _update(session, contact_id, clockwork_person_id=person_id)


def set_create_attempted(session: Session, contact_id: int) -> None:
    _update(session, contact_id, create_attempted_at=utcnow())


def set_state(
    session: Session,
    contact_id: int,
    state: ContactSyncState,
    *,
    error: str | None = None,
    duplicate_of: str | None = None,
) -> None:
    values: dict[str, object] = {
        "state": state.value,
        "last_error": error,
        "duplicate_of": duplicate_of,
    }
    if state == ContactSyncState.SYNCED:
        values["synced_at"] = utcnow()
    _update(session, contact_id, **values)


def _update(session: Session, contact_id: int, **values: object) -> None:
    session.execute(
        update(SyncRecord)
        .where(SyncRecord.contact_id == contact_id)
        .values(updated_at=utcnow(), **values)
    )


def known_candidacy(session: Session, contact_id: int, project_id: str) -> str | None:
    return session.scalar(
        select(Candidacy.clockwork_candidacy_id).where(
            Candidacy.contact_id == contact_id, Candidacy.project_id == project_id
        )
    )


def add_candidacy(
    session: Session,
    contact_id: int,
    project_id: str,
    candidacy_id: str,
    status: str | None = None,
) -> None:
    """`status`: the candidate status the add answered with, the first one we saw."""
    if known_candidacy(session, contact_id, project_id) is None:
        session.add(
            Candidacy(
                contact_id=contact_id,
                project_id=project_id,
                clockwork_candidacy_id=candidacy_id,
                status=status,
                status_seen_at=utcnow() if status else None,
            )
        )
    _update(session, contact_id, candidacy_id=candidacy_id, project_id=project_id)


def set_note(session: Session, activity_id: int, note_id: str) -> None:
    session.execute(
        update(ActivityEvent)
        .where(ActivityEvent.id == activity_id)
        .values(clockwork_note_id=note_id)
    )


def log(
    session: Session,
    contact_id: int,
    outbox_id: int | None,
    step: str,
    outcome: str,
    message: str = "",
) -> None:
    session.add(
        SyncLogEntry(
            contact_id=contact_id, outbox_id=outbox_id, step=step, outcome=outcome, message=message
        )
    )


def note_do_not_contact(session: Session, contact_id: int, person: dict[str, object]) -> None:
    """Clockwork's doNotContact is a recruiter's instruction: sequences must stop mailing."""
    if person.get("doNotContact"):
        session.execute(update(Contact).where(Contact.id == contact_id).values(do_not_contact=True))
