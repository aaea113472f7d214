"""Email: who sends, through which servers, when, what Clockwork keeps, and how it went.

Cards in a scroll area, like Integration: the mailbox (sign in with Microsoft or Google, or
a password), the sender (from, Pendulum BCC, and the warnings
about what may stop mail), SMTP with a test email, IMAP, the schedule (sending window and
daily cap), privacy, and the activity of the mail passes with any uncertain and failed emails.

Everything shown is read in one go on the thread pool (the keyring may answer slowly) and
re-read after each change, whoever made it (`settingsChanged`). Only the newest read is shown,
so an answer that crossed a later save never puts an old value back.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from app.api import MailAccountChanged, MailRun, SendFailure, UncertainSend
from app.workspace import Workspace
from ui.email.activity_card import ActivityCard
from ui.email.privacy_card import PrivacyCard
from ui.email.schedule_card import ScheduleCard
from ui.email.send_test_row import SendTestRow
from ui.email.sender_card import SenderCard
from ui.email.server_card import MailServerForm
from ui.email.signin_card import SignInCard
from ui.email.state import MailSnapshot, read_snapshot
from ui.runtime.bridge import EventBridge
from ui.runtime.task_runner import TaskRunner
from ui.widgets.card_column import card_scroll


class EmailPane(QWidget):
    def __init__(self, workspace: Workspace, bridge: EventBridge, parent: QWidget | None = None):
        super().__init__(parent)
        self._ws = workspace
        self._runner = TaskRunner(self)
        self._reads = {"settings": 0, "uncertain": 0, "failed": 0}  # the newest of each kind
        self._shown = {"settings": 0, "uncertain": 0, "failed": 0}  # the read of each on screen
        self._dns = TaskRunner(self)  # the SPF/DMARC check: blocking DNS, its own runner
        self.snapshot: MailSnapshot | None = None
        self.signin = SignInCard(workspace)
        self.sender_card = SenderCard(workspace)
        self.smtp = MailServerForm(workspace, "smtp")
        self.imap = MailServerForm(workspace, "imap")
        self.send_test = SendTestRow(workspace, unsaved=lambda: self.smtp.dirty)
        self.smtp.add_footer(self.send_test)
        self.schedule = ScheduleCard(workspace)
        self.privacy = PrivacyCard(workspace)
        self.activity = ActivityCard(workspace)
        self.uncertain = self.activity.uncertain
        self.failed = self.activity.failed
        for card in self._cards():
            card.saved.connect(self.reload)
        # A new from address or SMTP server: check the from domain's SPF and DMARC for it.
        for card in (self.sender_card, self.smtp, self.signin):
            card.saved.connect(self.check_sender_domain)
        self.signin.passwordChosen.connect(self._show_password_forms)
        self.uncertain.resolved.connect(self.reload_uncertain)
        self._build()
        bridge.settingsChanged.connect(self.reload)
        bridge.contactsChanged.connect(self.reload_uncertain)
        bridge.contactsChanged.connect(self.reload_failures)
        bridge.mailRun.connect(self._mail_ran)
        bridge.mailFailed.connect(lambda _f: self.activity.show_pass())
        bridge.mailAccountChanged.connect(self._account_changed)
        self.reload()
        self.reload_uncertain()
        self.reload_failures()

    def _cards(self) -> tuple[Any, ...]:
        """The cards that show the settings snapshot and re-read it when they save."""
        return (self.signin, self.sender_card, self.smtp, self.imap, self.schedule, self.privacy)

    def _build(self) -> None:
        self.scroll_area = card_scroll(self, "Email", (*self._cards(), self.activity))

    def _show_password_forms(self) -> None:
        self.scroll_area.ensureWidgetVisible(self.smtp)
        self.smtp.host_edit.setFocus()

    # --- reading ---------------------------------------------------------------------------

    def reload(self) -> None:
        ws, token = self._ws, self._next("settings")
        self._runner.submit(lambda: read_snapshot(ws), lambda s: self._show(token, s))

    def reload_uncertain(self) -> None:
        mail, token = self._ws.mail, self._next("uncertain")
        self._runner.submit(mail.uncertain, lambda sends: self._show_uncertain(token, sends))

    def reload_failures(self) -> None:
        mail, token = self._ws.mail, self._next("failed")
        self._runner.submit(mail.failures, lambda found: self._show_failures(token, found))

    def check_sender_domain(self) -> None:
        """Runs once the save has landed; the findings join the warnings (a re-read)."""
        mail = self._ws.mail
        self._dns.submit(mail.check_sender_domain, lambda _lines: self.reload())

    @property
    def loaded(self) -> bool:
        """The newest read of the settings, the uncertain and the failed emails is on screen."""
        return self._shown == self._reads

    def _next(self, kind: str) -> int:
        self._reads[kind] += 1
        return self._reads[kind]

    def _show(self, token: int, snap: MailSnapshot) -> None:
        if token != self._reads["settings"]:
            return  # a newer read is on its way
        self._shown["settings"] = token
        self.snapshot = snap
        for card in self._cards():
            card.show_snapshot(snap)
        self.send_test.set_from_address(snap.settings.from_address)

    def _show_uncertain(self, token: int, sends: list[UncertainSend]) -> None:
        if token == self._reads["uncertain"]:
            self._shown["uncertain"] = token
            self.uncertain.show_sends(sends)

    def _show_failures(self, token: int, found: list[SendFailure]) -> None:
        if token == self._reads["failed"]:
            self.failed.show_failures(found)
            self._shown["failed"] = token

    def _mail_ran(self, _run: MailRun) -> None:
        self.activity.show_pass()  # the Workspace's last pass: the status bar reads the same
        self.reload_uncertain()
        self.reload_failures()

    def _account_changed(self, _account: MailAccountChanged) -> None:
        self.reload()  # signed in, out, or the provider refused the sign-in
