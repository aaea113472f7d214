"""One pass of the mail engine, run in a worker thread: settle, read, then send.

Replies are read before anything is sent, so an answer that arrived since the last pass stops
the next step. With IMAP set up but unreachable nothing is sent: a follow-up to someone whose
reply we could not see is worse than a late one.
"""

from __future__ import annotations

import imaplib
import logging
import random
import threading

from app.errors import EscapementError
from app.mail import bounce_guard, inbox, letter, pacing, schedule, sending
from app.mail.addresses import Unsendable
from app.mail.imap import ImapMailbox
from app.mail.last_pass import SENT_NAMED
from app.mail.logins import Logins
from app.mail.oauth.access import NeedsSignIn, needs_signin
from app.mail.oauth.account import AccountState, AuthMethod
from app.mail.plan import Clock, Plan, read_plan, settings_row
from app.mail.smtp import Outcome, Result, SmtpSession
from app.mail.types import RunReport
from app.store import Store

log = logging.getLogger(__name__)
_INTERRUPTED = "An internal error stopped this send before any of it went; it is tried again."


class Runner:
    def __init__(
        self,
        store: Store,
        user_id: int,
        logins: Logins,
        clock: Clock,
        stop: threading.Event,
        rng: random.Random | None = None,
    ) -> None:
        self.store, self.user_id, self.logins = store, user_id, logins
        self.clock, self.stop = clock, stop
        self.rng = rng or random.Random()

    def run(self) -> RunReport:
        report = RunReport()
        with self.store.write() as session:
            plan = read_plan(session, self.user_id)
            schedule.schedule_new(session, self.user_id)
        report.mailbox = bool(plan.smtp.host or plan.imap.host)
        report.inbox = bool(plan.imap.host)
        uses_oauth = AuthMethod.OAUTH in (plan.smtp.auth, plan.imap.auth)
        if uses_oauth and plan.oauth and plan.oauth_state == AccountState.NEEDS_SIGNIN:
            raise needs_signin(plan.oauth)  # reading and sending both wait for a new sign-in
        if self._inbound(plan, report):
            self._pause_bouncing(report)
            self._send(plan, report)
        return report

    def _pause_bouncing(self, report: RunReport) -> None:
        with self.store.write() as session:
            report.paused.extend(bounce_guard.pause_bouncing(session, self.user_id))

    def _inbound(self, plan: Plan, report: RunReport) -> bool:
        """Recovery and the reply poll; False when sending must wait for the inbox."""
        if not plan.imap.host:
            inbox.recover(self.store, plan, None, self.clock, report)
            return True
        with self.store.read() as session:
            anything_sent = schedule.earliest_sent(session, self.user_id) is not None
        if not anything_sent and not inbox.stale_sends(self.store, plan, self.clock()):
            return True  # nothing out there to answer yet: no need to log in
        login = self.logins.login(plan.imap, plan.oauth, plan.oauth_state)
        try:
            with ImapMailbox(plan.imap, login) as mailbox:
                inbox.recover(self.store, plan, mailbox, self.clock, report)
                inbox.poll(self.store, plan, mailbox, self.clock, report)
        except NeedsSignIn:
            raise  # the whole pass stops: the façade shows "sign in again"
        except EscapementError as exc:
            report.errors.append(f"{exc.message} Sending waits until replies can be read.")
            return False
        except (imaplib.IMAP4.error, OSError) as exc:
            report.errors.append(
                f"Reading the inbox failed ({type(exc).__name__}). "
                "Sending waits until replies can be read."
            )
            return False
        return True

    def _send(self, plan: Plan, report: RunReport) -> None:
        now = self.clock()
        with self.store.read() as session:
            used = schedule.sent_since(session, self.user_id, plan.window.day_start(now))
            waiting = schedule.due_count(session, self.user_id, now)
            report.do_not_contact = schedule.due_do_not_contact(session, self.user_id, now)
            room = min(max(plan.daily_cap - used, 0), waiting)
            due, report.domain_capped = pacing.pick_due(
                session, settings_row(session, plan), now, room
            )
        report.deferred = waiting - len(due)
        report.cap_reached = waiting > room
        if not plan.window.allows(now):
            report.outside_window, report.deferred = bool(waiting), waiting
            return
        if not due:
            return
        if not plan.smtp.host or not plan.from_address:
            report.errors.append("Set a from address and an SMTP server before sequences send.")
            report.deferred = waiting
            return
        if self._pausing(plan):
            report.deferred, report.paced = report.deferred + len(due), len(due)
            return
        login = self.logins.login(plan.smtp, plan.oauth, plan.oauth_state)
        try:
            with SmtpSession(plan.smtp, login) as smtp:
                if self._own_addresses_ok(plan, smtp, report):
                    self._send_each(plan, smtp, due, report)
                else:
                    report.deferred = waiting
        except NeedsSignIn:
            raise  # nothing was claimed yet: the login comes before the first email
        except EscapementError as exc:
            report.errors.append(exc.message)
            report.deferred = waiting - report.sent - report.bounces - report.failed

    def _own_addresses_ok(self, plan: Plan, smtp: SmtpSession, report: RunReport) -> bool:
        """The from and BCC addresses go on every email: if they cannot, none is tried."""
        try:
            letter.sender_and_bcc(
                plan.from_address, plan.bcc, smtputf8=smtp.smtputf8, host=plan.smtp.host
            )
        except Unsendable as exc:
            report.errors.append(f"Nothing was sent: {exc.reason}")
            return False
        return True

    def _send_each(self, plan: Plan, smtp: SmtpSession, due: list[int], report: RunReport) -> None:
        paused_before = len(report.paused)
        for position, enrollment_id in enumerate(due):
            left = len(due) - position
            # A sequence paused mid-pass: the next pass chooses again without it.
            newly_paused = len(report.paused) > paused_before
            if self.stop.is_set() or not plan.window.allows(self.clock()) or newly_paused:
                report.deferred += left
                return
            if self._pausing(plan):
                report.deferred, report.paced = report.deferred + left, left
                return
            with self.store.write() as session:
                claim = sending.claim(
                    session, settings_row(session, plan), enrollment_id, self.clock()
                )
            if claim is None:
                continue
            result = self._attempt(plan, smtp, claim)
            self._settle(plan, claim, result, report)
            if not smtp.connected:
                report.errors.append(f"The SMTP server dropped the connection: {result.detail}")
                report.deferred += len(due) - position - 1
                return

    def _pausing(self, plan: Plan) -> bool:
        """Still in the random pause after the last send: the rest waits for a later pass."""
        with self.store.read() as session:
            return pacing.paused_until(settings_row(session, plan), self.clock()) is not None

    def _attempt(self, plan: Plan, smtp: SmtpSession, claim: sending.Claim) -> Result:
        """Makes the message inside the error handling: what fails fails this contact only."""
        try:
            ready = letter.prepare(
                claim.mail, plan.bcc, smtputf8=smtp.smtputf8, host=plan.smtp.host
            )
        except Unsendable as exc:
            return Result(Outcome.FAILED, exc.reason)
        try:
            return smtp.send(ready)
        except Exception:
            if not smtp.data_begun:
                # A bug before DATA: nothing can have gone, so the step must not stay "sending".
                # (A process that dies leaves "sending", which the next pass settles.)
                with self.store.write() as session:
                    sending.release(session, claim.enrollment_id, None, _INTERRUPTED)
            raise

    def _settle(self, plan: Plan, claim: sending.Claim, result: Result, report: RunReport) -> None:
        now = self.clock()
        mail = claim.mail
        with self.store.write() as session:
            row = settings_row(session, plan)
            if result.outcome == Outcome.SENT:
                sending.record_sent(session, row, claim.enrollment_id, mail.message_id, now)
                pacing.after_send(row, now, self.rng)
                report.sent += 1
                if len(report.sent_emails) < SENT_NAMED:
                    step = f"step {claim.step_index + 1}"
                    report.sent_emails.append(f"{mail.to_address} — {mail.subject} ({step})")
            elif result.outcome == Outcome.REFUSED:
                sending.refused(
                    session, row, claim.enrollment_id, mail.subject, mail.message_id, now
                )
                report.bounces += 1
                report.paused.extend(bounce_guard.pause_bouncing(session, self.user_id))
            elif result.outcome in (Outcome.NOT_SENT, Outcome.FAILED):
                retry = now + sending.RETRY_AFTER
                sending.release(session, claim.enrollment_id, retry, result.detail)
                if result.outcome == Outcome.FAILED:
                    report.failed += 1
                else:
                    report.deferred += 1
                report.errors.append(f"Not sent to {mail.to_address}: {result.detail}")
            else:
                # Left "sending": the next pass checks the Sent folder before anything else.
                log.warning("the server may or may not have taken a message: %s", result.detail)
