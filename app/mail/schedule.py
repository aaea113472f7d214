"""Which enrollments are due a step now, and how many emails today's cap still allows."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Select, exists, func, select, update
from sqlalchemy.orm import Session, aliased

from app.domain import ActivityKind, EnrollmentStatus
from app.mail.types import SendState
from app.optout.suppression import contact_is_suppressed
from app.store.models import ActivityEvent, Contact, Enrollment, Sequence, SequenceStep

#: A contact who answered or whose address bounced gets no more automated mail, in any sequence.
STOPPED = (EnrollmentStatus.REPLIED.value, EnrollmentStatus.BOUNCED.value)


def schedule_new(session: Session, user_id: int) -> int:
    """Gives active enrollments without a due time one: when they were added plus the delay of
    their next step. Steps added to a sequence later are picked up the same way."""
    rows = session.execute(
        select(Enrollment.id, Enrollment.added_at, SequenceStep.delay_days)
        .join(Sequence, Sequence.id == Enrollment.sequence_id)
        .join(
            SequenceStep,
            (SequenceStep.sequence_id == Enrollment.sequence_id)
            & (SequenceStep.position == Enrollment.next_step),
        )
        .where(
            Sequence.owner_id == user_id,
            Enrollment.status == EnrollmentStatus.ACTIVE.value,
            Enrollment.next_due_at.is_(None),
        )
    ).all()
    if rows:
        session.execute(
            update(Enrollment),
            [{"id": i, "next_due_at": added + timedelta(days=delay)} for i, added, delay in rows],
        )
    return len(rows)


def _due(user_id: int, now: datetime) -> Select[int]:
    other = aliased(Enrollment)
    steps = (
        select(func.count(SequenceStep.id))
        .where(SequenceStep.sequence_id == Enrollment.sequence_id)
        .correlate(Enrollment)
        .scalar_subquery()
    )
    stopped = exists().where(other.contact_id == Enrollment.contact_id, other.status.in_(STOPPED))
    return (
        select(Enrollment.id)
        .join(Sequence, Sequence.id == Enrollment.sequence_id)
        .join(Contact, Contact.id == Enrollment.contact_id)
        .where(
            Sequence.owner_id == user_id,
            Enrollment.status == EnrollmentStatus.ACTIVE.value,
            Enrollment.send_state.is_(None),
            Enrollment.next_due_at <= now,
            Enrollment.next_step < steps,
            ~stopped,
            # Opted out or suppressed by anyone on the team; a sequence paused for bounces.
            ~contact_is_suppressed(),
            Sequence.paused_reason.is_(None),
        )
    )


def due_query(user_id: int, now: datetime) -> Select[int]:
    """Due enrollments, unordered, unlimited, do-not-contact people included."""
    return _due(user_id, now)


def due_ids(session: Session, user_id: int, now: datetime, limit: int) -> list[int]:
    """Due enrollments, longest-waiting first; never a do-not-contact person."""
    query = (
        _due(user_id, now)
        .where(Contact.do_not_contact.is_(False))
        .order_by(Enrollment.next_due_at, Enrollment.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def due_count(session: Session, user_id: int, now: datetime) -> int:
    return _count(session, _due(user_id, now).where(Contact.do_not_contact.is_(False)))


def due_do_not_contact(session: Session, user_id: int, now: datetime) -> int:
    """Due steps held back because Clockwork says not to contact the person."""
    return _count(session, _due(user_id, now).where(Contact.do_not_contact.is_(True)))


def _count(session: Session, query: Select[int]) -> int:
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


def _sent[*Ts](query: Select[*Ts], user_id: int) -> Select[*Ts]:
    """`query` over the emails this user's sequences sent (their "sent" activity events)."""
    return (
        query.join(Enrollment, Enrollment.id == ActivityEvent.enrollment_id)
        .join(Sequence, Sequence.id == Enrollment.sequence_id)
        .where(Sequence.owner_id == user_id, ActivityEvent.kind == ActivityKind.SENT.value)
    )


def sent_since(session: Session, user_id: int, start: datetime) -> int:
    """Emails counted against the cap: sent since `start`, plus any in flight right now."""
    sent = session.scalar(
        _sent(select(func.count(ActivityEvent.id)), user_id).where(
            ActivityEvent.occurred_at >= start
        )
    )
    in_flight = session.scalar(
        select(func.count(Enrollment.id))
        .join(Sequence, Sequence.id == Enrollment.sequence_id)
        .where(Sequence.owner_id == user_id, Enrollment.send_state == SendState.SENDING.value)
    )
    return (sent or 0) + (in_flight or 0)


def earliest_sent(session: Session, user_id: int) -> datetime | None:
    """When this user's first sequence email went out: where a first inbox scan starts."""
    return session.scalar(_sent(select(func.min(ActivityEvent.occurred_at)), user_id))


def latest_sent_id(session: Session, user_id: int) -> str | None:
    """The Message-ID of the newest email recorded as sent, to test the Sent folder with."""
    return session.scalar(
        _sent(select(ActivityEvent.message_id), user_id)
        .where(ActivityEvent.message_id.is_not(None))
        .order_by(ActivityEvent.occurred_at.desc(), ActivityEvent.id.desc())
        .limit(1)
    )
