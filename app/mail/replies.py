"""Replies and bounces found in the inbox, matched to the enrollment they answer.

A message is matched by the Message-IDs it refers to (ours are unique), and only failing that
by the sender's address. Re-reading the same message changes nothing: an enrollment that
already replied or bounced is left alone.
"""

from __future__ import annotations

from collections.abc import Sequence as Seq
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.activity import mark_replied
from app.domain import ActivityKind, EnrollmentStatus
from app.mail.inbound import Bounce, Reply
from app.mail.sending import record_bounce
from app.store.models import ActivityEvent, Contact, EmailSettings, Enrollment, Sequence
from app.users import settings_for

#: An answer can arrive after the last step went out, so finished enrollments still match.
_OPEN = (EnrollmentStatus.ACTIVE.value, EnrollmentStatus.FINISHED.value)


def apply_reply(session: Session, row: EmailSettings, reply: Reply, now: datetime) -> bool:
    e = _by_ids(session, row.user_id, reply.refers_to) or _by_address(
        session, row.user_id, reply.sender
    )
    if e is None or e.status not in _OPEN:
        return False
    mark_replied(
        session,
        settings_for(session, row.user_id),
        e,
        subject=reply.subject,
        body=reply.text if row.include_body_in_notes else "",
        message_id=reply.message_id,
        at=now,
    )
    e.send_state = e.send_message_id = None
    return True


def apply_bounce(session: Session, row: EmailSettings, bounce: Bounce, now: datetime) -> str:
    """ "bounced", "ignored", or "bcc" when it was the BCC address that failed."""
    e = _by_ids(session, row.user_id, bounce.original_ids)
    for address in bounce.failed_recipients:
        if e is None:
            e = _by_address(session, row.user_id, address)
    if e is None:
        return "ignored"
    contact = session.get_one(Contact, e.contact_id)
    failed = set(bounce.failed_recipients)
    if failed and contact.email_key not in failed:
        # The report names only other recipients, so the contact's copy went through.
        return "bcc" if row.bcc_address in failed else "ignored"
    if e.status not in _OPEN:
        return "ignored"
    original = _sent_subject(session, e.id, bounce.original_ids) or bounce.subject
    ours = next((i for i in bounce.original_ids), None)
    e.send_state = e.send_message_id = None
    record_bounce(session, row, e, original, ours, now)
    return "bounced"


def _by_ids(session: Session, user_id: int, ids: Seq[str]) -> Enrollment | None:
    """The enrollment whose sent email (or send in flight) has the first of these ids."""
    for message_id in ids:
        found = (
            session.scalars(
                select(Enrollment)
                .join(ActivityEvent, ActivityEvent.enrollment_id == Enrollment.id)
                .join(Sequence, Sequence.id == Enrollment.sequence_id)
                .where(
                    Sequence.owner_id == user_id,
                    ActivityEvent.kind == ActivityKind.SENT.value,
                    ActivityEvent.message_id == message_id,
                )
            ).first()
            or session.scalars(
                select(Enrollment)
                .join(Sequence, Sequence.id == Enrollment.sequence_id)
                .where(Sequence.owner_id == user_id, Enrollment.send_message_id == message_id)
            ).first()
        )
        if found is not None:
            return found
    return None


def _by_address(session: Session, user_id: int, address: str) -> Enrollment | None:
    """The contact's enrollment that mailed them last: the one they most likely answer."""
    last_sent = func.max(ActivityEvent.occurred_at)
    found = session.execute(
        select(Enrollment.id, last_sent)
        .join(Contact, Contact.id == Enrollment.contact_id)
        .join(Sequence, Sequence.id == Enrollment.sequence_id)
        .join(ActivityEvent, ActivityEvent.enrollment_id == Enrollment.id)
        .where(
            Sequence.owner_id == user_id,
            Contact.email_key == address.strip().lower(),
            ActivityEvent.kind == ActivityKind.SENT.value,
        )
        .group_by(Enrollment.id)
        .order_by(last_sent.desc(), Enrollment.id.desc())
        .limit(1)
    ).first()
    return session.get(Enrollment, found[0]) if found else None


def _sent_subject(session: Session, enrollment_id: int, ids: Seq[str]) -> str | None:
    if not ids:
        return None
    return session.scalar(
        select(ActivityEvent.subject).where(
            ActivityEvent.enrollment_id == enrollment_id,
            ActivityEvent.kind == ActivityKind.SENT.value,
            ActivityEvent.message_id.in_(list(ids)),
        )
    )
