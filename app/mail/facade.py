"""The mail part of the Workspace façade: email settings, sequence steps, and the passes that
send due steps and read replies. Plain data in and out; the GUI and the CLI call only this."""

from __future__ import annotations

import asyncio
import logging
import random
import threading
from collections.abc import Callable
from datetime import datetime

from app import events
from app.errors import EscapementError, InputError
from app.events import Event, EventBus
from app.mail import failures as send_failures
from app.mail import last_pass, uncertain
from app.mail import steps as step_store
from app.mail.addresses import one_mailbox
from app.mail.failures import SendFailure
from app.mail.hygiene_facade import SendingHygiene
from app.mail.last_pass import LastPass
from app.mail.logins import Logins
from app.mail.oauth.access import NeedsSignIn, TokenKeeper
from app.mail.oauth.keyring_tokens import KeyringTokens
from app.mail.oauth.signin_facade import MailSignIn
from app.mail.passwords import MailPasswords
from app.mail.plan import Plan, read_plan
from app.mail.sender_dns import DnsPythonResolver, Resolver
from app.mail.settings_facade import MailSettings
from app.mail.types import MAIL_FAILED, MAIL_RUN, Preview, RunReport, StepInfo, UncertainSend
from app.secrets import SecretStore
from app.store import Store
from app.store.models import utcnow

log = logging.getLogger(__name__)
_SLEEP_AFTER_ERROR_S = 300.0
_NOT_AN_ADDRESS = "is not an email address."


class MailFacade(MailSettings, MailSignIn, SendingHygiene):
    def __init__(
        self,
        store: Store,
        bus: EventBus,
        user_id: int,
        *,
        secrets: SecretStore,
        clock: Callable[[], datetime] = utcnow,
        resolver: Resolver | None = None,
    ) -> None:
        super().__init__(store, bus, user_id, MailPasswords(secrets))
        #: DNS for the SPF/DMARC check of the from domain; tests give a fake one.
        self.resolver = resolver or DnsPythonResolver()
        self.clock = clock
        self.keeper = TokenKeeper(KeyringTokens(secrets.service))
        self.logins = Logins(self.passwords, self.keeper)
        #: Draws the pauses between sends; tests give a seeded one.
        self.rng = random.Random()
        self._lock = asyncio.Lock()
        #: The last mail pass, whoever ran it; the GUI's one source for it.
        self.last_pass: LastPass | None = None
        for topic in (MAIL_RUN, MAIL_FAILED):
            bus.subscribe(topic, self._remember_pass)

    def _remember_pass(self, event: Event) -> None:
        self.last_pass = last_pass.from_event(event)

    # --- steps -----------------------------------------------------------------------------

    def steps(self, sequence_id: int) -> list[StepInfo]:
        with self.store.read() as session:
            seq = step_store.sequence(session, self.user_id, sequence_id)
            return [step_store.info(s) for s in sorted(seq.steps, key=lambda s: s.position)]

    def add_step(
        self,
        sequence_id: int,
        *,
        subject: str,
        body: str,
        delay_days: int = 0,
        same_thread: bool = True,
    ) -> StepInfo:
        """Appends a step. `{placeholder}`s are checked now: an unknown one is an InputError."""
        with self.store.write() as session:
            seq = step_store.sequence(session, self.user_id, sequence_id)
            step = step_store.add(session, seq, subject, body, delay_days, same_thread)
        self.bus.publish(events.SEQUENCES_CHANGED)
        return step

    def update_step(
        self,
        sequence_id: int,
        index: int,
        *,
        subject: str | None = None,
        body: str | None = None,
        delay_days: int | None = None,
        same_thread: bool | None = None,
    ) -> StepInfo:
        with self.store.write() as session:
            seq = step_store.sequence(session, self.user_id, sequence_id)
            step = step_store.update_step(
                session, seq, index, subject, body, delay_days, same_thread
            )
        self.bus.publish(events.SEQUENCES_CHANGED)
        return step

    def remove_step(self, sequence_id: int, index: int) -> None:
        with self.store.write() as session:
            step_store.remove(
                session, step_store.sequence(session, self.user_id, sequence_id), index
            )
        self.bus.publish(events.SEQUENCES_CHANGED)

    def preview(self, sequence_id: int, index: int, contact_id: int) -> Preview:
        """The step as this contact would get it, with the placeholders they lack."""
        with self.store.read() as session:
            seq = step_store.sequence(session, self.user_id, sequence_id)
            return step_store.preview(session, seq, index, contact_id)

    def render_draft(
        self,
        sequence_id: int,
        index: int,
        contact_id: int,
        *,
        subject: str,
        body: str,
        same_thread: bool = True,
    ) -> Preview:
        """Like `preview`, for a step being edited (or, at index len(steps), being added):
        renders the text given, not the saved step's. Nothing is written."""
        with self.store.read() as session:
            seq = step_store.sequence(session, self.user_id, sequence_id)
            return step_store.render_draft(
                session, seq, index, contact_id, subject, body, same_thread
            )

    # --- sending and reading ---------------------------------------------------------------

    async def run_once(self) -> RunReport:
        """Settles interrupted sends, reads replies and bounces, then sends what is due now.

        The blocking work runs in a thread; cancelling this stops it between two emails.
        """
        async with self._lock:
            stop = threading.Event()
            work = asyncio.ensure_future(asyncio.to_thread(self._pass, stop))
            try:
                report = await asyncio.shield(work)
            except NeedsSignIn:
                self.mark_needs_signin()  # the pane and the status bar show "sign in again"
                raise
            except asyncio.CancelledError:
                stop.set()
                await asyncio.wait([work])  # the thread finishes the email in hand first
                raise
        self.bus.publish(events.CONTACTS_CHANGED)
        self.bus.publish(MAIL_RUN, **report.as_dict())
        return report

    def _pass(self, stop: threading.Event) -> RunReport:
        # Start-up: the pass's modules (IMAP, SMTP, reply parsing) load with the first pass,
        # in its own thread, not with the window nor on the GUI thread.
        from app.mail.runner import Runner

        return Runner(self.store, self.user_id, self.logins, self.clock, stop, self.rng).run()

    async def run_forever(self, every_s: float = 60.0) -> None:
        """The GUI's scheduler: one pass a minute until cancelled; errors wait and retry."""
        while True:
            delay = every_s
            try:
                await self.run_once()
            except EscapementError as exc:
                # Shown to the user through the bus, not only logged; the next pass retries.
                log.warning("mail pass failed: %s", exc.message)
                self.bus.publish(MAIL_FAILED, title=exc.title, message=exc.message)
                delay = max(every_s, _SLEEP_AFTER_ERROR_S)
            await asyncio.sleep(delay)

    def uncertain(self) -> list[UncertainSend]:
        """Sends that may or may not have gone out: the user says which."""
        with self.store.read() as session:
            return uncertain.listing(session, self.user_id)

    def resolve_uncertain(self, enrollment_id: int, *, was_sent: bool) -> None:
        """was_sent: record it as sent. Otherwise it goes again, with the same Message-ID."""
        with self.store.write() as session:
            uncertain.resolve(session, self.user_id, enrollment_id, was_sent, self.clock())
        self.bus.publish(events.CONTACTS_CHANGED)

    def failures(self) -> list[SendFailure]:
        """Contacts whose current step could not be sent, each with the reason. Each is
        tried again an hour after its failure; the other contacts' mail goes meanwhile."""
        with self.store.read() as session:
            return send_failures.listing(session, self.user_id)

    def _plan(self) -> Plan:
        with self.store.write() as session:
            return read_plan(session, self.user_id)

    async def send_test(self, to: str | None = None) -> str:
        """A test email through the SMTP settings, without the BCC; returns where it went."""
        # The store may wait for the sync worker: off the event loop's thread (the GUI's).
        plan = await asyncio.to_thread(self._plan)
        if not plan.from_address or not plan.smtp.host:
            raise InputError("Set a from address and an SMTP server first.")
        target = None
        if to:
            target = one_mailbox(to, "The test address", _NOT_AN_ADDRESS, smtputf8=True).address
        target = target or plan.from_address
        from app.mail import trial  # start-up: SMTP's modules load at the first send

        try:
            return await asyncio.to_thread(trial.send_test, plan, self.logins, target, self.clock())
        except NeedsSignIn:
            await asyncio.to_thread(self.mark_needs_signin)
            raise
