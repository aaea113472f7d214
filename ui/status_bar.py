"""The status bar: the Clockwork connection (red when it needs attention), the queue length,
and how the last mail pass went (red when it could not send or read replies).

The queue length is counted on the thread pool, at most once per QUEUE_INTERVAL_MS however
fast the sync worker reports progress: a change that arrives meanwhile is counted afterwards.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QStatusBar

from app.api import ConnectionStatus, MailAccountChanged
from app.workspace import Workspace
from ui.runtime.bridge import EventBridge
from ui.runtime.task_runner import TaskRunner
from ui.statusbar.request_meter import RequestMeterItem
from ui.widgets.basic import label, repolish
from ui.widgets.elided_label import ElidedLabel

QUEUE_INTERVAL_MS = 500
PROBLEMS = (ConnectionStatus.KEYS_REJECTED, ConnectionStatus.OFFLINE)
NO_INBOX = (
    "No IMAP server is set up: replies and bounces are not read, so sequences keep mailing "
    "people who answered. Add one in the Email pane."
)
NO_MAILBOX = (
    "No mailbox is set up: sequences send nothing and no replies are read. "
    "Set up sending and the inbox in the Email pane."
)


class StatusItems(QObject):
    #: "Enter new keys…" was clicked beside rejected keys: the window opens the connect form.
    keysRequested = Signal()

    def __init__(self, workspace: Workspace, bridge: EventBridge, bar: QStatusBar) -> None:
        super().__init__(bar)
        self._ws = workspace
        self._runner = TaskRunner(self)
        self.pending = 0  # the outbox as last counted; the quit question reads it
        #: The provider refused the mail sign-in: mail waits until the user signs in again.
        self.needs_signin = False
        self._stale = False
        self._last = 0.0
        self._later = QTimer(self, singleShot=True)
        self._later.timeout.connect(self.refresh_queue)
        self.connection_label = ElidedLabel("", "statusItem")  # it names the firm
        self.queue_label = label("Queue: …", "statusItem")
        self.queue_label.setToolTip("Contacts and notes waiting to be sent to Clockwork")
        self.mail_label = label("", "statusItem")
        self.mail_label.hide()  # until the first mail pass reports
        self.keys_link = label("<a href='keys'>Enter new keys…</a>", "statusItem")
        self.keys_link.setTextFormat(Qt.TextFormat.RichText)
        self.keys_link.linkActivated.connect(lambda _href: self.keysRequested.emit())
        self.keys_link.hide()
        self.meter = RequestMeterItem(workspace, self)
        bar.setSizeGripEnabled(False)
        bar.addPermanentWidget(self.mail_label)
        bar.addPermanentWidget(self.meter.label)
        bar.addPermanentWidget(self.connection_label)
        bar.addPermanentWidget(self.keys_link)
        bar.addPermanentWidget(self.queue_label)
        # A message says what just happened ("3 contacts added to …"): the meter, read at any
        # time by hovering, steps aside while it shows, or a long one is cut off.
        bar.messageChanged.connect(lambda message: self.meter.label.setHidden(bool(message)))
        bridge.mailRun.connect(lambda _run: self._mail_pass())
        bridge.mailFailed.connect(lambda _failure: self._mail_pass())
        bridge.mailAccountChanged.connect(self._account_changed)
        bridge.connectionChanged.connect(self.refresh_connection)
        bridge.settingsChanged.connect(self.refresh_connection)
        bridge.settingsChanged.connect(self.meter.refresh)  # a new cap
        bridge.contactsChanged.connect(self.refresh_queue)
        bridge.syncProgress.connect(lambda _data: self.refresh_queue())
        self.refresh_connection()
        self.refresh_queue()

    def refresh_connection(self) -> None:
        state = self._ws.connection_state()
        self.connection_label.setText(state.label)
        self.connection_label.setToolTip(state.message)
        self.connection_label.setProperty("problem", state.status in PROBLEMS)
        self.keys_link.setVisible(state.status is ConnectionStatus.KEYS_REJECTED)
        repolish(self.connection_label)

    def refresh_queue(self) -> None:
        """Count now, or as soon as the last count is old enough and has landed."""
        wait_ms = QUEUE_INTERVAL_MS - (time.monotonic() - self._last) * 1000
        if self._runner.busy or wait_ms > 0:
            self._stale = True
            if not self._runner.busy and not self._later.isActive():
                self._later.start(max(1, int(wait_ms)))
            return
        self._stale = False
        self._last = time.monotonic()
        self._runner.submit(self._ws.queue_status, self._show)

    def _show(self, status: dict[str, Any]) -> None:
        self.pending = int(status["outbox_pending"])
        self.queue_label.setText(f"Queue: {self.pending:,}")
        # The count's read also says how mail logs in: no query of its own for the sign-in.
        self.show_account(str(status.get("mail", {}).get("state", "")))
        if self._stale and not self._later.isActive():
            self.refresh_queue()

    def _mail_pass(self) -> None:
        last = self._ws.mail.last_pass  # the Activity card reads the same pass
        if last is not None:
            when = last.at.astimezone()
            self.show_mail(last.errors, last.sent, when, mailbox=last.mailbox, inbox=last.inbox)

    def _account_changed(self, account: MailAccountChanged) -> None:
        self.show_account(account.state)

    def show_account(self, state: str) -> None:
        self.needs_signin = state == "needs_signin"
        if self.needs_signin:
            self.mail_label.setText("Mail: sign in again")
            self.mail_label.setToolTip(
                "Your mail provider no longer accepts Escapement's sign-in: sending and reading "
                "replies wait. Sign in again in the Email pane."
            )
            self.mail_label.setProperty("problem", True)
            repolish(self.mail_label)
            self.mail_label.show()
        elif self.mail_label.text() == "Mail: sign in again":
            self.mail_label.hide()  # until the next mail pass reports

    def show_mail(
        self,
        errors: list[str],
        sent: int,
        when: datetime | None = None,
        *,
        mailbox: bool = True,
        inbox: bool = True,
    ) -> None:
        if self.needs_signin:
            return  # that says more than any pass can until the user signs in again
        at = (when or datetime.now()).strftime("%H:%M")
        if not mailbox and not errors:
            # "checked" would claim a look at a mailbox there is none of.
            self.mail_label.setText("Mail: not set up")
            self.mail_label.setToolTip(NO_MAILBOX)
        elif errors:
            self.mail_label.setText("Mail: needs attention")
            self.mail_label.setToolTip(f"Mail pass at {at}:\n" + "\n".join(errors))
        elif not inbox:
            # "checked" would let a recruiter believe answers stop the sequences.
            self.mail_label.setText("Mail: replies not read")
            self.mail_label.setToolTip(f"Mail pass at {at}: {sent} sent. {NO_INBOX}")
        else:
            self.mail_label.setText(f"Mail: checked {at}")
            self.mail_label.setToolTip(f"Mail pass at {at}: {sent} sent, no problems.")
        self.mail_label.setProperty("problem", bool(errors))
        repolish(self.mail_label)
        self.mail_label.show()
