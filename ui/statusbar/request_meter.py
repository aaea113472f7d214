"""The status bar's Clockwork request meter: requests of the last hour against the cap, and
whether Clockwork throttled any (429s), which marks the item.

The reading may open the store (no client yet: the cap comes from the settings), so it is
taken on the thread pool, every REFRESH_MS and when the settings change, never twice at once.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject, QTimer

from app.workspace import Workspace
from ui.runtime.task_runner import TaskRunner
from ui.widgets.basic import label, repolish

REFRESH_MS = 15_000


class Reading(Protocol):
    """The core's meter reading, as this item reads it."""

    @property
    def requests_last_hour(self) -> int: ...
    @property
    def throttled_last_hour(self) -> int: ...
    @property
    def rate_limit(self) -> int: ...


class RequestMeterItem(QObject):
    def __init__(self, workspace: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._runner = TaskRunner(self)
        self._again = False  # a refresh was asked for while a read was under way
        self.label = label("Clockwork: …", "statusItem")
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.refresh()

    def refresh(self) -> None:
        """Read the meter off the GUI thread. Asked while a read is under way, read once more
        when it ends: that read may have counted before the requests that prompted this."""
        if self._runner.busy:
            self._again = True
            return
        self._again = False
        self._runner.submit(self._ws.clockwork.meter, self._arrived)

    @property
    def loaded(self) -> bool:
        """The newest reading is on screen: no read under way and none asked for."""
        return not (self._runner.busy or self._again)

    def _arrived(self, reading: Reading) -> None:
        self.show(reading)
        if self._again:
            self.refresh()

    def show(self, reading: Reading) -> None:
        used, cap = reading.requests_last_hour, reading.rate_limit
        throttled = reading.throttled_last_hour
        self.label.setText(f"Clockwork: {used:,} / {cap:,} requests this hour")
        tip = f"{used:,} requests to Clockwork in the last hour; the cap is {cap:,} an hour."
        if throttled:
            tip += f"\nClockwork asked Escapement to slow down {throttled:,} times (HTTP 429)."
        else:
            tip += "\nClockwork has not asked Escapement to slow down."
        self.label.setToolTip(tip)
        self.label.setProperty("problem", throttled > 0)
        repolish(self.label)
