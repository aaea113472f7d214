"""Email activity on an enrollment: recorded here, queued as a Clockwork note when tracked."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.domain import ActivityKind
from app.store.models import ActivityEvent, ClockworkSettings, Enrollment
from app.sync import rules


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
