"""The IMAP half of a pass: settle sends a crash left "sending", then read new replies and
bounces.

Why a "sending" leftover is never simply sent again: the crash may have come after the
server took the message. Its Message-ID was committed before SMTP began, so we look for it
in the Sent folder. Found: it went, and is recorded as sent. Not found: that proves nothing on
a server that does not file sent mail, so it counts as "not sent" only when the newest email
we know went out *is* in that folder (the server files copies); then it goes again, with the
same Message-ID. Otherwise, or without IMAP, it becomes "uncertain" and the user decides.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select

from app.mail import replies, schedule, sending
from app.mail.imap import ImapMailbox
from app.mail.inbound import Bounce, Reply, classify
from app.mail.plan import Clock, Plan, settings_row
from app.mail.types import RunReport, SendState
from app.optout.inbound import apply_opt_out
from app.store import Store
from app.store.models import Enrollment, Sequence

log = logging.getLogger(__name__)
#: A "sending" this recent may belong to a pass still running in another process.
LEASE = timedelta(minutes=15)
INBOX = "INBOX"


def stale_sends(store: Store, plan: Plan, now: datetime) -> list[tuple[int, str, datetime]]:
    with store.read() as session:
        rows = session.execute(
            select(Enrollment.id, Enrollment.send_message_id, Enrollment.send_started_at)
            .join(Sequence, Sequence.id == Enrollment.sequence_id)
            .where(
                Sequence.owner_id == plan.user_id,
                Enrollment.send_state == SendState.SENDING.value,
                Enrollment.send_started_at < now - LEASE,
            )
        ).all()
    return [(i, m or "", at or now) for i, m, at in rows]


def recover(
    store: Store, plan: Plan, mailbox: ImapMailbox | None, clock: Clock, report: RunReport
) -> None:
    stale = stale_sends(store, plan, clock())
    if not stale:
        return
    folder = mailbox.sent_folder() if mailbox is not None else None
    calibrated = False
    if mailbox is not None and folder is not None:
        with store.read() as session:
            latest = schedule.latest_sent_id(session, plan.user_id)
        calibrated = latest is not None and mailbox.has_message(folder, latest)
    for enrollment_id, message_id, started in stale:
        found = (
            mailbox is not None and folder is not None and mailbox.has_message(folder, message_id)
        )
        with store.write() as session:
            if found:
                sending.record_sent(
                    session, settings_row(session, plan), enrollment_id, message_id, started
                )
                report.confirmed += 1
            elif calibrated:
                sending.release(session, enrollment_id, retry_at=None)
                report.requeued += 1
            else:
                sending.mark_uncertain(session, enrollment_id)
                report.uncertain += 1
    if report.uncertain:
        log.warning("%d sends could not be confirmed and need the user", report.uncertain)


def poll(store: Store, plan: Plan, mailbox: ImapMailbox, clock: Clock, report: RunReport) -> None:
    with store.read() as session:
        first = schedule.earliest_sent(session, plan.user_id)
    # A day's margin: IMAP's SINCE compares dates in the server's own time zone.
    since = ((first or clock()) - timedelta(days=1)).date()
    fetched = mailbox.fetch_new(INBOX, plan.uidvalidity, plan.last_uid, since)
    items = [(uid, classify(raw, plan.from_address)) for uid, raw in fetched.messages]
    now = clock()
    with store.write() as session:
        row = settings_row(session, plan)
        for _, item in items:
            if isinstance(item, Reply):
                report.replies += replies.apply_reply(session, row, item, now)
                report.opted_out += apply_opt_out(session, row, item, now)
            elif isinstance(item, Bounce):
                outcome = replies.apply_bounce(session, row, item, now)
                report.bounces += outcome == "bounced"
                if outcome == "bcc":
                    report.errors.append(f"Mail to the BCC address {row.bcc_address} bounced.")
        # Saved with what was applied: a crash re-reads these messages, which changes nothing.
        row.imap_uidvalidity = fetched.uidvalidity
        if items:
            row.imap_last_uid = max(uid for uid, _ in items)
        elif plan.uidvalidity != fetched.uidvalidity:
            row.imap_last_uid = None
