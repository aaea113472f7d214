"""A sequence's steps: subject and body templates, a delay in days, same thread or new."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.domain import ActivityKind, EnrollmentStatus
from app.errors import InputError, NotFoundError
from app.mail import templates
from app.mail.addresses import one_line
from app.mail.compose import reply_subject
from app.mail.types import Preview, StepInfo
from app.optout.footer import with_footer
from app.store.models import ActivityEvent, Contact, Enrollment, Sequence, SequenceStep

MAX_DELAY_DAYS = 365
MAX_SUBJECT = 500


def sequence(session: Session, user_id: int, sequence_id: int) -> Sequence:
    seq = session.get(Sequence, sequence_id)
    if seq is None or seq.owner_id != user_id:
        raise NotFoundError("That sequence no longer exists.")
    return seq


def info(step: SequenceStep) -> StepInfo:
    return StepInfo(step.position, step.subject, step.body, step.delay_days, step.same_thread)


def validate(index: int, subject: str, body: str, delay_days: int, same_thread: bool) -> None:
    """Unknown placeholders are refused now, not discovered when the email is due."""
    one_line(subject, "A step's subject")
    if "\0" in body or (not body.isprintable() and any(0xD800 <= ord(c) <= 0xDFFF for c in body)):
        raise InputError("A step's body has a NUL or undecodable character: retype that part.")
    templates.check(subject, "subject")
    templates.check(body, "body")
    if not subject.strip() and (index == 0 or not same_thread):
        raise InputError("The first step of a thread needs a subject.")
    if len(subject) > MAX_SUBJECT:
        raise InputError(f"A subject can be at most {MAX_SUBJECT} characters.")
    if not body.strip():
        raise InputError("A step needs a body.")
    if not 0 <= delay_days <= MAX_DELAY_DAYS:
        raise InputError(f"The delay is between 0 and {MAX_DELAY_DAYS} days.")


def add(
    session: Session, seq: Sequence, subject: str, body: str, delay_days: int, same_thread: bool
) -> StepInfo:
    index = len(seq.steps)
    validate(index, subject, body, delay_days, same_thread)
    step = SequenceStep(
        sequence_id=seq.id,
        position=index,
        subject=subject.strip(),
        body=body,
        delay_days=delay_days,
        same_thread=same_thread,
    )
    session.add(step)
    session.flush()
    return info(step)


def update_step(
    session: Session,
    seq: Sequence,
    index: int,
    subject: str | None,
    body: str | None,
    delay_days: int | None,
    same_thread: bool | None,
) -> StepInfo:
    """Changes apply to emails not sent yet; a new delay counts for steps not yet scheduled."""
    step = _step(seq, index)
    new = (
        step.subject if subject is None else subject.strip(),
        step.body if body is None else body,
        step.delay_days if delay_days is None else delay_days,
        step.same_thread if same_thread is None else same_thread,
    )
    validate(index, *new)
    old_delay = step.delay_days
    step.subject, step.body, step.delay_days, step.same_thread = new
    if step.delay_days != old_delay:
        reschedule(session, seq.id, index, step.delay_days)
    return info(step)


def remove(session: Session, seq: Sequence, index: int) -> None:
    """Only a step nobody has been sent yet: sent history keeps pointing at the right step."""
    step = _step(seq, index)
    reached = session.scalar(
        select(func.count(Enrollment.id)).where(
            Enrollment.sequence_id == seq.id,
            (Enrollment.next_step > index) | Enrollment.send_state.is_not(None),
        )
    )
    if reached:
        raise InputError(f"{reached} contacts already got step {index + 1}: edit it instead.")
    seq.steps.remove(step)
    session.flush()
    for later in sorted(seq.steps, key=lambda s: s.position):
        if later.position > index:
            later.position -= 1
            session.flush()  # one at a time: (sequence, position) is unique
    following = next((s for s in seq.steps if s.position == index), None)
    if following is not None:
        reschedule(session, seq.id, index, following.delay_days)


def reschedule(session: Session, sequence_id: int, index: int, delay_days: int) -> None:
    """Contacts waiting for step `index` get its (new) delay, counted from their last email
    or, for the first step, from when they were added."""
    last_sent = func.max(ActivityEvent.occurred_at)
    waiting = session.execute(
        select(Enrollment.id, Enrollment.added_at, last_sent)
        .outerjoin(
            ActivityEvent,
            (ActivityEvent.enrollment_id == Enrollment.id)
            & (ActivityEvent.kind == ActivityKind.SENT.value),
        )
        .where(
            Enrollment.sequence_id == sequence_id,
            Enrollment.next_step == index,
            Enrollment.status == EnrollmentStatus.ACTIVE.value,
            Enrollment.send_state.is_(None),
        )
        .group_by(Enrollment.id, Enrollment.added_at)
    ).all()
    if waiting:
        session.execute(
            update(Enrollment),
            [
                {"id": i, "next_due_at": (sent or added) + timedelta(days=delay_days)}
                for i, added, sent in waiting
            ],
        )


def preview(session: Session, seq: Sequence, index: int, contact_id: int) -> Preview:
    step = _step(seq, index)
    return render_draft(session, seq, index, contact_id, step.subject, step.body, step.same_thread)


def render_draft(
    session: Session,
    seq: Sequence,
    index: int,
    contact_id: int,
    subject: str,
    body: str,
    same_thread: bool,
) -> Preview:
    """Step `index` as this contact would get it if it read `subject` and `body`, saved or not.

    `index` may be one past the last step: a step being added. Unknown placeholders are an
    InputError naming the subject or the body, as when saving."""
    if not 0 <= index <= len(seq.steps):
        raise NotFoundError(f'"{seq.name}" has no step {index + 1}.')
    templates.check(subject, "subject")
    templates.check(body, "body")
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise NotFoundError("That contact no longer exists.")
    values = templates.contact_values(contact)
    rendered_subject = templates.render(subject.strip(), values)
    rendered_body = templates.render(body, values)
    shown = rendered_subject.text
    if not shown and index > 0 and same_thread:
        shown = reply_subject(templates.render(_root(seq, index).subject, values).text)
    missing = rendered_subject.missing + rendered_body.missing
    body = with_footer(session, seq.id, rendered_body.text)  # as sent: the opt-out line too
    return Preview(shown, body, tuple(dict.fromkeys(missing)))


def _root(seq: Sequence, index: int) -> SequenceStep:
    steps = sorted(seq.steps, key=lambda s: s.position)
    return steps[max(j for j in range(index) if j == 0 or not steps[j].same_thread)]


def _step(seq: Sequence, index: int) -> SequenceStep:
    for step in seq.steps:
        if step.position == index:
            return step
    raise NotFoundError(f'"{seq.name}" has no step {index + 1}.')
