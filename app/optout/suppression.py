"""The suppression list in the database: one row per address (case-insensitive), shared by
the whole workspace, so by every teammate on a PostgreSQL team database.

An active row means: never email this person again, from any sequence of anyone. The same
person is also matched by their Clockwork person id when one is known, so a contact whose
address changed but who is the same Clockwork person stays suppressed. Each function runs in
the caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, exists, or_, select, update
from sqlalchemy.orm import Session, aliased

from app.domain import EnrollmentStatus, OutboxKind
from app.optout.types import Source, SuppressionInfo
from app.store.contacts import chunked
from app.store.models import (
    Contact,
    EmailSettings,
    Enrollment,
    OutboxItem,
    Suppression,
    SyncRecord,
    User,
)
from app.users import settings_for

MAX_TRIGGER = 500


def contact_is_suppressed() -> ColumnElement[bool]:
    """True for a `Contact` row on the list, by address or by Clockwork person (correlated
    with the enclosing query's `contacts`; both lookups go through an index)."""
    entry, record = aliased(Suppression), aliased(SyncRecord)
    by_email = exists().where(entry.email_key == Contact.email_key, entry.lifted_at.is_(None))
    person_entry = aliased(Suppression)
    by_person = (
        select(record.contact_id)
        .join(person_entry, person_entry.clockwork_person_id == record.clockwork_person_id)
        .where(record.contact_id == Contact.id, person_entry.lifted_at.is_(None))
        .exists()
    )
    return or_(by_email, by_person)


@dataclass(frozen=True, slots=True)
class Added:
    row: Suppression
    new: bool
    ended: int


def add(
    session: Session,
    email: str,
    source: Source,
    trigger: str,
    user_id: int | None,
    now: datetime,
) -> Added:
    """Puts the address on the list (again, if it was lifted) and ends its sequences."""
    key = email.strip().lower()
    row = session.scalar(select(Suppression).where(Suppression.email_key == key))
    new = row is None or row.lifted_at is not None
    if row is None:
        row = Suppression(email=email.strip(), email_key=key)
        session.add(row)
    if new:
        row.source, row.trigger = source.value, trigger[:MAX_TRIGGER]
        row.created_at, row.created_by = now, user_id
        row.lifted_at = row.lifted_by = row.lifted_reason = None
    contact = session.scalar(select(Contact).where(Contact.email_key == key))
    if contact is not None and contact.sync is not None and contact.sync.clockwork_person_id:
        row.clockwork_person_id = contact.sync.clockwork_person_id
    session.flush()
    ended = end_sequences(session, contact.id) if contact is not None else 0
    if new and contact is not None and user_id is not None:
        _queue_clockwork(session, row, contact.id, user_id)
    return Added(row, new, ended)


def end_sequences(session: Session, contact_id: int) -> int:
    """Every active enrollment of the contact, whoever's sequence it is, ends as opted out."""
    done = session.execute(
        update(Enrollment)
        .where(
            Enrollment.contact_id == contact_id,
            Enrollment.status == EnrollmentStatus.ACTIVE.value,
        )
        .values(status=EnrollmentStatus.OPTED_OUT.value, next_due_at=None)
        .execution_options(synchronize_session=False)
    )
    return int(done.rowcount)  # type: ignore[attr-defined]


def lift(session: Session, email: str, reason: str, user_id: int, now: datetime) -> bool:
    """Undoes it: the address may be emailed again, and the sequences the opt-out ended go on
    (unless the person replied or bounced there, which stops them anyway)."""
    row = session.scalar(select(Suppression).where(Suppression.email_key == email.strip().lower()))
    if row is None or row.lifted_at is not None:
        return False
    row.lifted_at, row.lifted_by, row.lifted_reason = now, user_id, reason
    contact_id = session.scalar(select(Contact.id).where(Contact.email_key == row.email_key))
    if contact_id is not None:
        session.execute(
            update(Enrollment)
            .where(
                Enrollment.contact_id == contact_id,
                Enrollment.status == EnrollmentStatus.OPTED_OUT.value,
            )
            # No due time: the scheduler gives one, from when they were added.
            .values(status=EnrollmentStatus.ACTIVE.value, next_due_at=None)
            .execution_options(synchronize_session=False)
        )
    return True


def suppressed_keys(session: Session, emails: Iterable[str]) -> set[str]:
    """Which of these addresses (lower-cased) are on the list, by address or person.

    Driven by the list, which is short next to an import: one read of its active addresses,
    then a per-chunk look at the contacts only when some entry names a Clockwork person (a
    query per 900 addresses for both was half of a 10,000-contact add).
    """
    active = Suppression.lifted_at.is_(None)
    listed = session.execute(
        select(Suppression.email_key, Suppression.clockwork_person_id).where(active)
    )
    by_email: set[str] = set()
    with_person = False
    for key, person in listed:
        by_email.add(key)
        with_person = with_person or person is not None
    if not by_email:
        return set()  # the usual answer: no address of a 10,000-row add needs normalising
    keys = {e.strip().lower() for e in emails}
    found = keys & by_email
    if not with_person:
        return found
    for part in chunked(sorted(keys - found)):
        found.update(
            session.scalars(
                select(Contact.email_key).where(
                    Contact.email_key.in_(part), contact_is_suppressed()
                )
            )
        )
    return found


def rows(session: Session, *, include_lifted: bool = False) -> list[SuppressionInfo]:
    query = select(Suppression).order_by(Suppression.email_key)
    if not include_lifted:
        query = query.where(Suppression.lifted_at.is_(None))
    names = {uid: email for uid, email in session.execute(select(User.id, User.email))}
    return [info(r, names) for r in session.scalars(query)]


def one(session: Session, email: str) -> SuppressionInfo | None:
    row = session.scalar(select(Suppression).where(Suppression.email_key == email.strip().lower()))
    if row is None:
        return None
    return info(row, {uid: email for uid, email in session.execute(select(User.id, User.email))})


def info(row: Suppression, names: dict[int, str]) -> SuppressionInfo:
    return SuppressionInfo(
        email=row.email,
        source=Source(row.source),
        trigger=row.trigger,
        created_at=row.created_at,
        created_by=names.get(row.created_by) if row.created_by is not None else None,
        clockwork_person_id=row.clockwork_person_id,
        lifted_at=row.lifted_at,
        lifted_by=names.get(row.lifted_by) if row.lifted_by is not None else None,
        lifted_reason=row.lifted_reason,
    )


def _queue_clockwork(session: Session, row: Suppression, contact_id: int, user_id: int) -> None:
    """With opt-out-to-clockwork on, doNotContact and a note go through the outbox."""
    mail = session.get(EmailSettings, user_id)
    if mail is None or not mail.opt_out_to_clockwork or not settings_for(session, user_id).firm:
        return
    session.add(
        OutboxItem(
            kind=OutboxKind.MARK_DO_NOT_CONTACT.value,
            contact_id=contact_id,
            user_id=user_id,
            checkpoint=json.dumps({"suppression_id": row.id}),
        )
    )
