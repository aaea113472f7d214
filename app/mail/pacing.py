"""Sending like a careful person: a random pause between two sends, and at most N emails an
hour to any one recipient domain.

A pass never waits out a pause: it sends what is allowed now, and leaves the rest due for a
later pass (the GUI runs one a minute). The end of the pause is stored (`next_send_at`), so
it holds across passes, processes and restarts.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import ActivityKind
from app.errors import InputError
from app.mail import schedule
from app.store.models import ActivityEvent, Contact, EmailSettings, Enrollment, Sequence

DEFAULT_PACING = (30, 90)
DEFAULT_DOMAIN_CAP = 10
MAX_PAUSE_S = 3600
MAX_DOMAIN_CAP = 1000
HOUR = timedelta(hours=1)


def parse_pacing(text: str) -> tuple[int, int] | None:
    """ "30-90" (seconds), "45" (always 45), or "off"."""
    clean = text.strip().lower().replace(" ", "")
    if clean == "off":
        return None
    low, _, high = clean.partition("-")
    try:
        pause = (int(low), int(high or low))
    except ValueError:
        raise InputError(
            f'"{text}" is not a pause: write MIN-MAX in seconds, like 30-90, or off.'
        ) from None
    if not 0 <= pause[0] <= pause[1] <= MAX_PAUSE_S:
        raise InputError(f"The pause is MIN-MAX seconds with 0 <= MIN <= MAX <= {MAX_PAUSE_S}.")
    return pause


def parse_domain_cap(text: str) -> int | None:
    clean = text.strip().lower()
    if clean == "off":
        return None
    try:
        cap = int(clean)
    except ValueError:
        raise InputError(f'"{text}" is not a number of emails: give one, or off.') from None
    if not 1 <= cap <= MAX_DOMAIN_CAP:
        raise InputError(f"The domain cap is between 1 and {MAX_DOMAIN_CAP} emails an hour.")
    return cap


def describe(row: EmailSettings) -> tuple[str, str]:
    """The two settings as `settings set` takes them."""
    pacing = "off" if row.pacing_min_s is None else f"{row.pacing_min_s}-{row.pacing_max_s}"
    return pacing, "off" if row.domain_cap is None else str(row.domain_cap)


def paused_until(row: EmailSettings, now: datetime) -> datetime | None:
    """When the pause after the last send ends, if it has not yet."""
    if row.pacing_min_s is None or row.next_send_at is None or row.next_send_at <= now:
        return None
    return row.next_send_at


def after_send(row: EmailSettings, now: datetime, rng: random.Random) -> None:
    if row.pacing_min_s is None:
        return
    pause = rng.uniform(row.pacing_min_s, row.pacing_max_s or row.pacing_min_s)
    row.next_send_at = now + timedelta(seconds=pause)


def pick_due(
    session: Session, row: EmailSettings, now: datetime, room: int
) -> tuple[list[int], int]:
    """Up to `room` due enrollments, longest-waiting first, skipping any whose recipient's
    domain had its hourly share already. Returns them and how many the domain cap held."""
    if row.domain_cap is None:
        return schedule.due_ids(session, row.user_id, now, room), 0
    used = _sent_by_domain(session, row.user_id, now - HOUR)
    query = (
        schedule.due_query(row.user_id, now)
        .add_columns(Contact.email_key)
        .where(Contact.do_not_contact.is_(False))
        .order_by(Enrollment.next_due_at, Enrollment.id)
    )
    chosen: list[int] = []
    held = 0
    for enrollment_id, email_key in session.execute(query):
        if len(chosen) >= room:
            break
        domain = _domain(email_key)
        if used[domain] >= row.domain_cap:
            held += 1
            continue
        used[domain] += 1
        chosen.append(enrollment_id)
    return chosen, held


def _sent_by_domain(session: Session, user_id: int, since: datetime) -> Counter[str]:
    rows = session.scalars(
        select(Contact.email_key)
        .join(Enrollment, Enrollment.contact_id == Contact.id)
        .join(ActivityEvent, ActivityEvent.enrollment_id == Enrollment.id)
        .join(Sequence, Sequence.id == Enrollment.sequence_id)
        .where(
            Sequence.owner_id == user_id,
            ActivityEvent.kind == ActivityKind.SENT.value,
            ActivityEvent.occurred_at >= since,
        )
    )
    return Counter(_domain(key) for key in rows)


def _domain(email_key: str) -> str:
    return email_key.rpartition("@")[2]
