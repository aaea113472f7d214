"""The send of one step, as database transitions around the SMTP call:

    claim (commit "sending" + Message-ID)  ->  SMTP  ->  record_sent | release | refused
                                                     \\->  left "sending" (crash, lost DATA)

Each function runs in its own write transaction, chosen by the caller (`runner.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.activity import record_activity
from app.domain import ActivityKind, EnrollmentStatus
from app.mail import templates
from app.mail.compose import Outgoing, new_message_id, reply_subject
from app.mail.types import SendState
from app.optout.footer import with_footer
from app.store.models import (
    ActivityEvent,
    Contact,
    EmailSettings,
    Enrollment,
    SequenceStep,
)
from app.users import settings_for

#: A step that could not be sent is tried again after this, not on every pass.
RETRY_AFTER = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Claim:
    enrollment_id: int
    step_index: int
    mail: Outgoing


def compose(session: Session, row: EmailSettings, e: Enrollment, now: datetime) -> Outgoing:
    """Step `e.next_step` for this contact, threaded under the earlier emails when asked."""
    steps = _steps(session, e.sequence_id)
    step = steps[e.next_step]
    contact = session.get_one(Contact, e.contact_id)
    values = templates.contact_values(contact)
    subject = templates.render(step.subject, values).text
    thread, root_subject = _thread(session, e, steps, e.next_step)
    if thread and not subject:
        subject = reply_subject(root_subject)
    return Outgoing(
        from_name=row.from_name,
        from_address=row.from_address,
        to_name=values["full_name"],
        to_address=contact.email,
        subject=subject,
        body=with_footer(session, e.sequence_id, templates.render(step.body, values).text),
        message_id=e.send_message_id or new_message_id(row.from_address),
        date=now,
        thread=thread,
    )


def claim(session: Session, row: EmailSettings, enrollment_id: int, now: datetime) -> Claim | None:
    """Commits "sending" with the Message-ID before any byte goes to the SMTP server."""
    e = session.get_one(Enrollment, enrollment_id)
    contact = session.get_one(Contact, e.contact_id)
    if contact.do_not_contact or e.send_state is not None:
        return None  # the sync marked them meanwhile, or another process took the step
    mail = compose(session, row, e, now)
    # Compare-and-set: of two processes racing for this step, exactly one updates a row.
    taken = session.execute(
        update(Enrollment)
        .where(
            Enrollment.id == e.id,
            Enrollment.send_state.is_(None),
            Enrollment.next_step == e.next_step,
            Enrollment.status == EnrollmentStatus.ACTIVE.value,
        )
        .values(
            send_state=SendState.SENDING.value, send_message_id=mail.message_id, send_started_at=now
        )
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return Claim(e.id, e.next_step, mail)


def record_sent(
    session: Session, row: EmailSettings, enrollment_id: int, message_id: str, at: datetime
) -> bool:
    """The step went out: its event (queued as a note when tracked) and the next due time."""
    e = session.get_one(Enrollment, enrollment_id)
    if e.send_message_id != message_id or e.send_state is None:
        return False  # already recorded, by a resolution or another process
    mail = compose(session, row, e, at)
    event = record_activity(
        session,
        settings_for(session, row.user_id),
        e,
        ActivityKind.SENT,
        subject=mail.subject,
        # Privacy: the body is kept (and so synced) only when the user opted in.
        body=mail.body if row.include_body_in_notes else "",
        step_index=e.next_step,
        message_id=message_id,
    )
    event.occurred_at = at
    steps = _steps(session, e.sequence_id)
    e.next_step += 1
    _clear(e)
    if e.next_step < len(steps):
        e.next_due_at = at + timedelta(days=steps[e.next_step].delay_days)
    elif e.status == EnrollmentStatus.ACTIVE.value:
        e.status, e.next_due_at = EnrollmentStatus.FINISHED.value, None
    return True


def release(
    session: Session, enrollment_id: int, retry_at: datetime | None, reason: str | None = None
) -> None:
    """Not sent: the step goes again later, with the same Message-ID. `reason` is kept on
    the enrollment for the user until a send works."""
    e = session.get_one(Enrollment, enrollment_id)
    e.send_state, e.send_started_at = None, None
    if reason is not None:
        e.send_error = reason
    if retry_at is not None:
        e.next_due_at = retry_at


def mark_uncertain(session: Session, enrollment_id: int) -> None:
    session.get_one(Enrollment, enrollment_id).send_state = SendState.UNCERTAIN.value


def refused(
    session: Session,
    row: EmailSettings,
    enrollment_id: int,
    subject: str,
    message_id: str,
    at: datetime,
) -> None:
    """The contact's server refused the address for good: a bounce, without the round trip."""
    e = session.get_one(Enrollment, enrollment_id)
    _clear(e)
    record_bounce(session, row, e, subject, message_id, at)


def record_bounce(
    session: Session,
    row: EmailSettings,
    e: Enrollment,
    subject: str,
    message_id: str | None,
    at: datetime,
) -> None:
    e.status, e.next_due_at = EnrollmentStatus.BOUNCED.value, None
    event = record_activity(
        session,
        settings_for(session, row.user_id),
        e,
        ActivityKind.BOUNCED,
        subject=subject,
        message_id=message_id,
    )
    event.occurred_at = at


def _clear(e: Enrollment) -> None:
    e.send_state = e.send_message_id = e.send_error = None
    e.send_started_at = None


def _steps(session: Session, sequence_id: int) -> list[SequenceStep]:
    query = (
        select(SequenceStep)
        .where(SequenceStep.sequence_id == sequence_id)
        .order_by(SequenceStep.position)
    )
    return list(session.scalars(query))


def _thread(
    session: Session, e: Enrollment, steps: list[SequenceStep], index: int
) -> tuple[tuple[str, ...], str]:
    """The Message-IDs this step answers, oldest first, and the thread's first subject."""
    if index == 0 or not steps[index].same_thread:
        return (), ""
    root = max(j for j in range(index) if j == 0 or not steps[j].same_thread)
    sent = session.execute(
        select(ActivityEvent.message_id, ActivityEvent.subject)
        .where(
            ActivityEvent.enrollment_id == e.id,
            ActivityEvent.kind == ActivityKind.SENT.value,
            ActivityEvent.step_index >= root,
            ActivityEvent.step_index < index,
        )
        .order_by(ActivityEvent.step_index, ActivityEvent.id)
    ).all()
    ids = tuple(mid for mid, _ in sent if mid)
    return ids, (sent[0][1] if sent else "")
