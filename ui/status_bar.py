"""The status bar: the Clockwork connection (red when it needs attention), the queue length,
and how the last mail pass went (red when it could not send or read replies).

The queue length is counted on the thread pool, at most once per QUEUE_INTERVAL_MS however
fast the sync worker reports progress: a change that arrives meanwhile is counted afterwards.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QStatusBar

from app.connection import ConnectionStatus
from app.mail.types import MAIL_FAILED, MAIL_RUN
from app.workspace import Workspace
from ui.runtime.bridge import EventBridge
from ui.runtime.task_runner import TaskRunner
from ui.widgets.basic import label, repolish

QUEUE_INTERVAL_MS = 500
PROBLEMS = (ConnectionStatus.KEYS_REJECTED, ConnectionStatus.OFFLINE)


class StatusItems(QObject):
    def __init__(self, workspace: Workspace, bridge: EventBridge, bar: QStatusBar) -> None:
        super().__init__(bar)
        self._ws = workspace
        self._runner = TaskRunner(self)
        self.pending = 0  # the outbox as last counted; the quit question reads it
        self._stale = False
        self._last = 0.0
        self._later = QTimer(self, singleShot=True)
        self._later.timeout.connect(self.refresh_queue)
        self.connection_label = label("", "statusItem")
        self.queue_label = label("Queue: …", "statusItem")
        self.queue_label.setToolTip("Contacts and notes waiting to be sent to Clockwork")
        self.mail_label = label("", "statusItem")
        self.mail_label.hide()  # until the first mail pass reports
        bar.setSizeGripEnabled(False)
        bar.addPermanentWidget(self.mail_label)
        bar.addPermanentWidget(self.connection_label)
        bar.addPermanentWidget(self.queue_label)
        bridge.busEvent.connect(self._bus_event)
        bridge.connectionChanged.connect(self.refresh_connection)
        bridge.settingsChanged.connect(self.refresh_connection)
        bridge.contactsChanged.connect(self.refresh_queue)
        bridge.syncProgress.connect(lambda _data: self.refresh_queue())
        self.refresh_connection()
        self.refresh_queue()

    def refresh_connection(self) -> None:
        state = self._ws.connection_state()
        self.connection_label.setText(state.label)
        self.connection_label.setToolTip(state.message)
        self.connection_label.setProperty("problem", state.status in PROBLEMS)
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
        self._runner.submit(self._ws.status, self._show)

    def _show(self, status: dict[str, Any]) -> None:
        self.pending = int(status["outbox_pending"])
        self.queue_label.setText(f"Queue: {self.pending:,}")
        if self._stale and not self._later.isActive():
            self.refresh_queue()

    def _bus_event(self, topic: str, _data: dict[str, Any]) -> None:
        last = self._ws.mail.last_pass  # the Activity card reads the same pass
        if topic in (MAIL_RUN, MAIL_FAILED) and last is not None:
            self.show_mail(last.errors, last.sent, last.at.astimezone())

    def show_mail(self, errors: list[str], sent: int, when: datetime | None = None) -> None:
        at = (when or datetime.now()).strftime("%H:%M")
        if errors:
            self.mail_label.setText("Mail: needs attention")
            self.mail_label.setToolTip(f"Mail pass at {at}:\n" + "\n".join(errors))
        else:
            self.mail_label.setText(f"Mail: checked {at}")
            self.mail_label.setToolTip(f"Mail pass at {at}: {sent} sent, no problems.")
        self.mail_label.setProperty("problem", bool(errors))
        repolish(self.mail_label)
        self.mail_label.show()
