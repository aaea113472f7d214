"""Email activity on an enrollment: recorded here, queued as a Clockwork note when tracked."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from app.domain import ActivityKind, EnrollmentStatus
from app.store.models import ActivityEvent, ClockworkSettings, Enrollment, Sequence, utcnow
from app.sync import rules
from app.sync.status_update import queue_on_reply


def record_activity(
    session: Session,
    settings: ClockworkSettings,
    enrollment: Enrollment,
    kind: ActivityKind,
    *,
    subject: str = "",
    body: str = "",
    step_index: int | None = None,
    message_id: str | None = None,
) -> ActivityEvent:
    event = ActivityEvent(
        enrollment_id=enrollment.id,
        kind=kind.value,
        subject=subject,
        body=body,
        step_index=step_index,
        message_id=message_id,
    )
    session.add(event)
    session.flush()
    rules.activity_recorded(session, settings, enrollment.contact_id, event.id)
    return event


def mark_replied(
    session: Session,
    settings: ClockworkSettings,
    enrollment: Enrollment,
    *,
    subject: str,
    body: str = "",
    message_id: str | None = None,
    at: datetime | None = None,
) -> ActivityEvent:
    """A reply stops the contact's sequence, is recorded, and syncs the contact when the
    sync mode is on-reply. Shared by the Workspace's manual path and the IMAP poll."""
    sequence = session.get(Sequence, enrollment.sequence_id)
    if sequence is None:
        raise LookupError(f"enrollment {enrollment.id} has no sequence")
    when = at or utcnow()
    enrollment.status = EnrollmentStatus.REPLIED.value
    enrollment.replied_at = when
    enrollment.next_due_at = None
    event = record_activity(
        session,
        settings,
        enrollment,
        ActivityKind.REPLIED,
        subject=subject,
        body=body,
        message_id=message_id,
    )
    event.occurred_at = when
    rules.reply_recorded(
        session, settings, sequence, enrollment.contact_id, enrollment.sync_enabled_at_add
    )
    queue_on_reply(
        session, settings, sequence, enrollment.contact_id, enrollment.sync_enabled_at_add
    )
    return event
