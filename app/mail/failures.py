"""Contacts whose due step failed to send, with the reason, for the user to see and fix.

A failure belongs to one contact: it never holds up the others' mail. The step stays due and
is tried again after `sending.RETRY_AFTER`; a send that works clears the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import EnrollmentStatus
from app.store.models import Contact, Enrollment, Sequence


@dataclass(frozen=True, slots=True)
class SendFailure:
    enrollment_id: int
    email: str
    sequence: str
    step_index: int
    reason: str
    #: When it is tried again.
    retry_at: datetime | None


def listing(session: Session, user_id: int) -> list[SendFailure]:
    rows = session.execute(
        select(Enrollment, Contact.email, Sequence.name)
        .join(Contact, Contact.id == Enrollment.contact_id)
        .join(Sequence, Sequence.id == Enrollment.sequence_id)
        .where(
            Sequence.owner_id == user_id,
            Enrollment.send_error.is_not(None),
            Enrollment.status == EnrollmentStatus.ACTIVE.value,
        )
        .order_by(Enrollment.next_due_at, Enrollment.id)
    ).all()
    return [
        SendFailure(e.id, email, name, e.next_step, e.send_error or "", e.next_due_at)
        for e, email, name in rows
    ]
