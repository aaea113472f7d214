"""Contacts joining a sequence: the one path for an import and for "Add to sequence…".

The sync rules decide what is queued to Clockwork (app/sync/rules.py), and people on the
suppression list stay stored but out of the sequence, named in the report.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.optout.suppression import suppressed_keys
from app.store.contacts import among, enroll
from app.store.models import Contact
from app.store.models import Sequence as SequenceRow
from app.sync import rules
from app.users import settings_for


class Joined(NamedTuple):
    """Contacts put into a sequence: the ones new to it, how many were allowed in, and the
    addresses kept out by the suppression list."""

    fresh: list[int]
    allowed: int
    suppressed: set[str]


def join(
    session: Session,
    user_id: int,
    seq: SequenceRow,
    ids: Sequence[int],
    emails: Iterable[str],
    created: Iterable[int] = (),
) -> Joined:
    """Enrols contacts `ids` (whose addresses are `emails`) in `seq` under the sync rules;
    `created`: those this transaction inserted."""
    blocked = suppressed_keys(session, emails)
    if blocked:
        listed = among(session, Contact.email_key, sorted(blocked))
        skip = set(session.scalars(select(Contact.id).where(listed)))
        ids = [i for i in ids if i not in skip]
    fresh = enroll(session, seq.id, ids, sync_enabled=seq.sync_to_clockwork, created=created)
    rules.contacts_added(session, settings_for(session, user_id), seq, fresh)
    return Joined(fresh, len(ids), blocked)


def stored_emails(session: Session, contact_ids: Sequence[int]) -> dict[int, str]:
    """The addresses (lower-cased) of those contacts that still exist, by id."""
    stored = select(Contact.id, Contact.email_key).where(among(session, Contact.id, contact_ids))
    return {cid: key for cid, key in session.execute(stored)}
