"""A sequence whose hard bounces pass a share of its sends pauses itself: a list with many
dead addresses is how a sender's domain ends up marked as spam. The rate counts only after
enough sends to mean something."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.domain import ActivityKind
from app.store.models import ActivityEvent, Enrollment, Sequence

#: Pause when bounces / sends passes this, once a sequence has sent at least MIN_SENDS.
MAX_BOUNCE_RATE = 0.05
MIN_SENDS = 20


def pause_bouncing(session: Session, user_id: int) -> list[str]:
    """Pauses this user's sending sequences past the threshold; returns why, one line each."""
    kinds = ActivityEvent.kind
    counts = session.execute(
        select(
            Sequence.id,
            func.sum(case((kinds == ActivityKind.SENT.value, 1), else_=0)),
            func.sum(case((kinds == ActivityKind.BOUNCED.value, 1), else_=0)),
        )
        .join(Enrollment, Enrollment.sequence_id == Sequence.id)
        .join(ActivityEvent, ActivityEvent.enrollment_id == Enrollment.id)
        .where(
            Sequence.owner_id == user_id,
            Sequence.paused_reason.is_(None),
            (Sequence.bounces_counted_from.is_(None))
            | (ActivityEvent.occurred_at >= Sequence.bounces_counted_from),
        )
        .group_by(Sequence.id)
    ).all()
    reasons: list[str] = []
    for sequence_id, sent, bounced in counts:
        # A refused RCPT is a bounce without a "sent" event: it was an attempt all the same.
        seq = session.get_one(Sequence, sequence_id)
        attempts = (sent or 0) + _refused(session, seq)
        if attempts < MIN_SENDS or (bounced or 0) <= MAX_BOUNCE_RATE * attempts:
            continue
        seq.paused_reason = (
            f"Paused: {bounced} of {attempts} emails bounced ({bounced / attempts:.0%}, more "
            f"than {MAX_BOUNCE_RATE:.0%}). Check the addresses, then resume the sequence."
        )
        reasons.append(f"{seq.name}: {seq.paused_reason}")
    return reasons


def _refused(session: Session, seq: Sequence) -> int:
    """Bounces recorded at SMTP time, whose email has no "sent" event of its own."""
    sent_ids = select(ActivityEvent.message_id).where(
        ActivityEvent.kind == ActivityKind.SENT.value, ActivityEvent.message_id.is_not(None)
    )
    return (
        session.scalar(
            select(func.count(ActivityEvent.id))
            .join(Enrollment, Enrollment.id == ActivityEvent.enrollment_id)
            .where(
                Enrollment.sequence_id == seq.id,
                ActivityEvent.occurred_at
                >= (seq.bounces_counted_from or datetime.min.replace(tzinfo=UTC)),
                ActivityEvent.kind == ActivityKind.BOUNCED.value,
                ActivityEvent.message_id.is_not(None),
                ActivityEvent.message_id.not_in(sent_ids),
            )
        )
        or 0
    )
