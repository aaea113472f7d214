"""The contacts table's progress columns, read for one loaded page at a time.

Not part of the row query (queries.ROW_COLUMNS): the last email and the last reply or bounce
are maxima over activity events, which as columns of the page query would be a correlated
subquery per row or a grouped join that stops the keyset walk from reading its index in order.
For the 200 ids of a page they are two index lookups: enrollments by (contact_id, sequence_id)
and activity events by ix_activity_enrollment, a few milliseconds at a million contacts.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain import ActivityKind, ContactProgress, EnrollmentStatus
from app.store.models import ActivityEvent, Enrollment

_KINDS = (ActivityKind.SENT.value, ActivityKind.REPLIED.value, ActivityKind.BOUNCED.value)


def progress(
    session: Session, contact_ids: Collection[int], sequence_id: int | None = None
) -> dict[int, ContactProgress]:
    """Each contact's progress in `sequence_id`, or else in the sequence it last got an
    email from (or was last added to)."""
    if not contact_ids:
        return {}
    query = select(
        Enrollment.id,
        Enrollment.contact_id,
        Enrollment.next_step,
        Enrollment.status,
        Enrollment.added_at,
    ).where(Enrollment.contact_id.in_(sorted(contact_ids)))
    if sequence_id is not None:
        query = query.where(Enrollment.sequence_id == sequence_id)
    enrollments = list(session.execute(query))
    last = _last_events(session, [e.id for e in enrollments])
    found: dict[int, tuple[datetime, ContactProgress]] = {}
    for e in enrollments:
        events = last.get(e.id, {})
        sent = events.get(ActivityKind.SENT.value)
        response = max(
            ((k, at) for k, at in events.items() if k != ActivityKind.SENT.value),
            key=lambda pair: pair[1],
            default=(None, None),
        )
        item = ContactProgress(
            steps_sent=e.next_step,
            status=EnrollmentStatus(e.status),
            last_response=response[0],
            last_response_at=response[1],
            last_email_at=sent,
        )
        latest = sent or e.added_at
        kept = found.get(e.contact_id)
        if kept is None or latest > kept[0]:
            found[e.contact_id] = (latest, item)
    return {contact_id: item for contact_id, (_at, item) in found.items()}


def _last_events(session: Session, enrollment_ids: list[int]) -> dict[int, dict[str, datetime]]:
    if not enrollment_ids:
        return {}
    query = (
        select(ActivityEvent.enrollment_id, ActivityEvent.kind, func.max(ActivityEvent.occurred_at))
        .where(ActivityEvent.enrollment_id.in_(enrollment_ids), ActivityEvent.kind.in_(_KINDS))
        .group_by(ActivityEvent.enrollment_id, ActivityEvent.kind)
    )
    last: dict[int, dict[str, datetime]] = {}
    for enrollment_id, kind, at in session.execute(query):
        last.setdefault(enrollment_id, {})[kind] = at
    return last
