"""Opt-outs found by the inbox pass: called for each reply, in the pass's write transaction,
after the reply itself was applied (which ends the sequence it answers)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.mail.inbound import Reply
from app.optout import suppression
from app.optout.detect import MAILTO, detect
from app.optout.types import Source
from app.store.models import Contact, EmailSettings, Sequence


def apply_opt_out(session: Session, row: EmailSettings, reply: Reply, now: datetime) -> bool:
    """True when the reply is an opt-out that put its sender on the suppression list.

    An unsubscribe request counts from anyone (honouring it costs nothing); a reply's words
    count only from a contact, so a colleague's "take me off that thread" changes nothing."""
    found = detect(reply.subject, reply.text, _footers(session, row.user_id))
    if found is None:
        return False
    known = session.scalar(select(Contact.id).where(Contact.email_key == reply.sender))
    if found.source != MAILTO and known is None:
        return False
    added = suppression.add(
        session, reply.sender, Source(found.source), found.trigger, row.user_id, now
    )
    return added.new


def _footers(session: Session, user_id: int) -> list[str]:
    """The user's footer lines: a reply may carry ours below it without quoting it."""
    return [
        text
        for text in session.scalars(
            select(Sequence.footer_text).where(
                Sequence.owner_id == user_id, Sequence.footer_text != ""
            )
        )
    ]
