"""Sends the app could not confirm or rule out, listed for the user, who settles each one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import InputError, NotFoundError
from app.mail import sending
from app.mail.types import SendState, UncertainSend
from app.store.models import Contact, Enrollment, Sequence
from app.users import email_settings_for


def listing(session: Session, user_id: int) -> list[UncertainSend]:
    rows = session.execute(
        select(Enrollment, Contact.email, Sequence.name)
        .join(Contact, Contact.id == Enrollment.contact_id)
        .join(Sequence, Sequence.id == Enrollment.sequence_id)
        .where(Sequence.owner_id == user_id, Enrollment.send_state == SendState.UNCERTAIN.value)
        .order_by(Enrollment.send_started_at, Enrollment.id)
    ).all()
    return [
        UncertainSend(e.id, email, name, e.next_step, e.send_message_id or "", e.send_started_at)
        for e, email, name in rows
    ]


def resolve(
    session: Session, user_id: int, enrollment_id: int, was_sent: bool, now: datetime
) -> None:
    e = session.get(Enrollment, enrollment_id)
    seq = session.get(Sequence, e.sequence_id) if e is not None else None
    if e is None or seq is None or seq.owner_id != user_id:
        raise NotFoundError("That contact is no longer in the sequence.")
    if e.send_state != SendState.UNCERTAIN.value or not e.send_message_id:
        raise InputError("That email is not waiting for a decision.")
    if was_sent:
        row = email_settings_for(session, user_id)
        sending.record_sent(session, row, e.id, e.send_message_id, e.send_started_at or now)
    else:
        sending.release(session, e.id, retry_at=None)
