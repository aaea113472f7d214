"""Brings the search index up to date after bulk adds, on the thread pool, a chunk at a time.

A bulk add leaves its new contacts for the index to catch up on (searches stay exact
meanwhile, only slower). This runs `Workspace.index_search_backlog` after every change to the
contacts and once at start (a backlog the last session left when it closed), again and again
until nothing waits: one short write transaction each, so a save or an import in between never
waits long for the lock (PostgreSQL's rounds lock only the rows they copy). Without a backlog
each round is one cheap read.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from app.workspace import Workspace
from ui.runtime.bridge import EventBridge
from ui.runtime.task_runner import TaskRunner

log = logging.getLogger(__name__)
#: The first round waits for the window's first paint and first page.
START_DELAY_MS = 2_000
#: After a failed round (the store busy past its timeout, say), the next try.
RETRY_MS = 60_000


class SearchCatchUp(QObject):
    caught_up = Signal()  # nothing waits any more (tests wait for it)

    def __init__(self, workspace: Workspace, bridge: EventBridge, parent: QObject) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._runner = TaskRunner(self)
        self._running = False
        self._asked_again = False
        bridge.contactsChanged.connect(self.start)
        QTimer.singleShot(START_DELAY_MS, self, self.start)

    @property
    def running(self) -> bool:
        return self._running

    def start(self) -> None:
        """Catch up until nothing waits; if already at it, look once more when done (the
        change may have committed after the round that said nothing waits)."""
        if self._running:
            self._asked_again = True
            return
        self._running, self._asked_again = True, False
        self._runner.submit(self._ws.index_search_backlog, self._done, self._failed)

    def _done(self, waiting: int) -> None:
        if waiting or self._asked_again:
            self._running, self._asked_again = True, False
            self._runner.submit(self._ws.index_search_backlog, self._done, self._failed)
            return
        self._running = False
        self.caught_up.emit()

    def _failed(self, error: Exception) -> None:
        # Searches stay exact while contacts wait, so a failed round only delays the index.
        self._running = False
        log.warning("search index catch-up failed, trying again later: %s", error)
        QTimer.singleShot(RETRY_MS, self, self.start)
