"""The Contacts pane's candidate-status filter and its "Refresh statuses" button.

The choices are "All", "No status", the statuses that stop a sequence (read from the store at
start) and, after a refresh, every status of the firm (GET statuses)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from app.api import EscapementError
from app.workspace import Workspace
from ui.runtime.async_action import AsyncAction
from ui.runtime.task_runner import TaskRunner
from ui.widgets.basic import button
from ui.widgets.elided_combo import ElidedComboBox
from ui.widgets.wording import count

ALL = "Any candidate status"
NONE = "No status"


class CandidateStatusFilter(QObject):
    changed = Signal()
    #: What the last refresh did, or why it failed.
    said = Signal(str)
    #: A refresh read new statuses: the table should reload.
    refreshed = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._runner = TaskRunner(self)
        self._action = AsyncAction(self)
        self.combo = ElidedComboBox()
        self.combo.setObjectName("candidateStatusFilter")
        self.combo.setMinimumWidth(200)
        self.combo.addItem(ALL, None)
        self.combo.addItem(NONE, "")
        self.combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.refresh_button = button("Refresh statuses", on_click=self.refresh)
        self.refresh_button.setToolTip(
            "Read every candidate status from Clockwork now, and stop the sequences of "
            "contacts whose status says so."
        )
        self._action.busyChanged.connect(lambda busy: self.refresh_button.setEnabled(not busy))
        self._runner.submit(workspace.clockwork.stop_statuses, self.add_statuses)

    def statuses(self) -> frozenset[str]:
        data = self.combo.currentData()
        return frozenset() if data is None else frozenset({str(data)})

    def add_statuses(self, names: Any) -> None:
        """Offer these statuses too: after the fixed two, every status in one alphabetical list
        (the stopping ones read at start and the firm's others after a refresh), the choice
        kept."""
        fixed = 2  # ALL and NONE
        known = {str(self.combo.itemData(i)) for i in range(fixed, self.combo.count())}
        every = sorted(known | {str(n) for n in names}, key=str.casefold)
        if len(every) == len(known):
            return
        chosen = self.combo.currentData()
        self.combo.blockSignals(True)
        while self.combo.count() > fixed:
            self.combo.removeItem(fixed)
        for name in every:
            self.combo.addItem(name, name)
        self.combo.setCurrentIndex(max(self.combo.findData(chosen), 0))
        self.combo.blockSignals(False)

    def refresh(self) -> bool:
        ws = self._ws

        async def work() -> tuple[Any, list[str]]:
            result = await ws.clockwork.refresh_statuses()
            return result, await ws.clockwork.statuses()

        return self._action.start(work, self._refreshed, self._failed)

    def _refreshed(self, found: tuple[Any, list[str]]) -> None:
        result, names = found
        self.add_statuses(names)
        self.said.emit(
            f"Statuses refreshed: {count(result.updated, 'contact')} changed, "
            f"{count(result.stopped, 'sequence')} stopped."
        )
        self.refreshed.emit()

    def _failed(self, exc: EscapementError) -> None:
        self.said.emit(exc.message)
