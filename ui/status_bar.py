"""The status bar: the Clockwork connection (red when it needs attention) and the queue length.

The queue length is counted on the thread pool, at most once per QUEUE_INTERVAL_MS however
fast the sync worker reports progress: a change that arrives meanwhile is counted afterwards.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QStatusBar

from app.connection import ConnectionStatus
from app.workspace import Workspace
from ui.bridge import EventBridge
from ui.tasks import TaskRunner
from ui.widgets import label, repolish

QUEUE_INTERVAL_MS = 500
PROBLEMS = (ConnectionStatus.KEYS_REJECTED, ConnectionStatus.OFFLINE)


class StatusItems(QObject):
    def __init__(self, workspace: Workspace, bridge: EventBridge, bar: QStatusBar) -> None:
        super().__init__(bar)
        self._ws = workspace
        self._runner = TaskRunner(self)
        self._stale = False
        self._last = 0.0
        self._later = QTimer(self, singleShot=True)
        self._later.timeout.connect(self.refresh_queue)
        self.connection_label = label("", "statusItem")
        self.queue_label = label("Queue: …", "statusItem")
        self.queue_label.setToolTip("Contacts and notes waiting to be sent to Clockwork")
        bar.setSizeGripEnabled(False)
        bar.addPermanentWidget(self.connection_label)
        bar.addPermanentWidget(self.queue_label)
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
        self.queue_label.setText(f"Queue: {int(status['outbox_pending']):,}")
        if self._stale and not self._later.isActive():
            self.refresh_queue()
