"""Email: who sends, through which servers, when, what Clockwork keeps, and how it went.

Cards in a scroll area, like Integration: the sender (from, Pendulum BCC, and the warnings
about what may stop mail), SMTP with a test email, IMAP, the schedule (sending window and
daily cap), privacy, and the activity of the mail passes with any uncertain emails.

Everything shown is read in one go on the thread pool (the keyring may answer slowly) and
re-read after each change, whoever made it (`settingsChanged`). Only the newest read is shown,
so an answer that crossed a later save never puts an old value back.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.api import MailRun, UncertainSend
from app.workspace import Workspace
from ui.email.activity_card import ActivityCard
from ui.email.privacy_card import PrivacyCard
from ui.email.schedule_card import ScheduleCard
from ui.email.send_test_row import SendTestRow
from ui.email.sender_card import SenderCard
from ui.email.server_card import MailServerForm
from ui.email.state import MailSnapshot, read_snapshot
from ui.runtime.bridge import EventBridge
from ui.runtime.task_runner import TaskRunner
from ui.widgets.card_column import card_scroll


class EmailPane(QWidget):
    def __init__(self, workspace: Workspace, bridge: EventBridge, parent: QWidget | None = None):
        super().__init__(parent)
        self._ws = workspace
        self._runner = TaskRunner(self)
        self._reads = {"settings": 0, "uncertain": 0}  # the newest read of each kind
        self._shown = {"settings": 0, "uncertain": 0}  # the read of each kind on screen
        self.snapshot: MailSnapshot | None = None
        self.sender_card = SenderCard(workspace)
        self.smtp = MailServerForm(workspace, "smtp")
        self.imap = MailServerForm(workspace, "imap")
        self.send_test = SendTestRow(workspace, unsaved=lambda: self.smtp.dirty)
        self.smtp.add_footer(self.send_test)
        self.schedule = ScheduleCard(workspace)
        self.privacy = PrivacyCard(workspace)
        self.activity = ActivityCard(workspace)
        self.uncertain = self.activity.uncertain
        for card in (self.sender_card, self.smtp, self.imap, self.schedule, self.privacy):
            card.saved.connect(self.reload)
        self.uncertain.resolved.connect(self.reload_uncertain)
        self._build()
        bridge.settingsChanged.connect(self.reload)
        bridge.contactsChanged.connect(self.reload_uncertain)
        bridge.mailRun.connect(self._mail_ran)
        bridge.mailFailed.connect(lambda _f: self.activity.show_pass())
        self.reload()
        self.reload_uncertain()

    def _build(self) -> None:
        cards = (self.sender_card, self.smtp, self.imap, self.schedule, self.privacy)
        self.scroll_area = card_scroll(self, "Email", (*cards, self.activity))

    # --- reading ---------------------------------------------------------------------------

    def reload(self) -> None:
        ws, token = self._ws, self._next("settings")
        self._runner.submit(lambda: read_snapshot(ws), lambda s: self._show(token, s))

    def reload_uncertain(self) -> None:
        mail, token = self._ws.mail, self._next("uncertain")
        self._runner.submit(mail.uncertain, lambda sends: self._show_uncertain(token, sends))

    @property
    def loaded(self) -> bool:
        """The newest read of the settings and of the uncertain emails is on screen."""
        return self._shown == self._reads

    def _next(self, kind: str) -> int:
        self._reads[kind] += 1
        return self._reads[kind]

    def _show(self, token: int, snap: MailSnapshot) -> None:
        if token != self._reads["settings"]:
            return  # a newer read is on its way
        self._shown["settings"] = token
        self.snapshot = snap
        for card in (self.sender_card, self.smtp, self.imap, self.schedule, self.privacy):
            card.show_snapshot(snap)
        self.send_test.set_from_address(snap.settings.from_address)

    def _show_uncertain(self, token: int, sends: list[UncertainSend]) -> None:
        if token == self._reads["uncertain"]:
            self._shown["uncertain"] = token
            self.uncertain.show_sends(sends)

    def _mail_ran(self, _run: MailRun) -> None:
        self.activity.show_pass()  # the Workspace's last pass: the status bar reads the same
        self.reload_uncertain()
