"""The compatibility card: does this firm's Clockwork answer in the shapes Escapement expects?

"Check compatibility" reads every readable row of the endpoint table once (about nine
requests, nothing written) as an asyncio task, and shows one table row per endpoint with its
result; rows that differ or were refused are coloured with the theme's item colours. It also
runs after every connect. When the sync is paused for an answer in an unknown shape, the pause
is shown beside the button: a compatible result lifts it.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QProgressBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.api import EscapementError
from app.workspace import Workspace
from ui.integration import text as words
from ui.runtime import theme
from ui.runtime.async_action import AsyncAction
from ui.runtime.task_runner import TaskRunner
from ui.widgets.basic import button, label, named, repolish
from ui.widgets.wording import count

COLUMNS = ("Endpoint", "Certainty", "Result", "Detail")
RESULT_TEXT = {"ok": "OK", "differs": "Differs", "refused": "Refused", "not_tried": "Not tried"}
#: Item colour role per result; rows without one keep the table's text colour.
RESULT_ROLE = {"differs": "error", "refused": "warning", "not_tried": "muted"}


class EndpointRow(Protocol):
    """One row of the core's compatibility report, as this card reads it."""

    @property
    def name(self) -> str: ...
    @property
    def certainty(self) -> str: ...
    @property
    def result(self) -> str: ...
    @property
    def detail(self) -> str: ...


class Report(Protocol):
    @property
    def endpoints(self) -> Sequence[EndpointRow]: ...
    @property
    def compatible(self) -> bool: ...


class CompatibilityCard(QFrame):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self._ws = workspace
        self._runner = TaskRunner(self)
        self.action = AsyncAction(self)
        self.action.busyChanged.connect(self._show_busy)
        self.report: Report | None = None
        self.check_button = button("Check compatibility", on_click=self.check)
        self.pause_label = label("", "errorLabel", wrap=True)
        self.pause_label.hide()
        self.hint_label = label(words.COMPAT_HINT, "subtle", wrap=True)
        self.busy = named(QProgressBar(), "busyBar")
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.verdict_label = label("", "successLabel", wrap=True)
        self.verdict_label.hide()
        self.table = _make_table()
        self.table.hide()
        self.error_label = label("", "errorLabel", wrap=True)
        self.error_label.setTextFormat(Qt.TextFormat.RichText)
        self.error_label.hide()
        self._results: list[str] = []
        self._linked = False
        self._build()
        controller = theme.installed()
        if controller is not None:  # the colours follow a switch of Light and Dark
            controller.changed.connect(lambda _scheme: self._colour_rows())

    def _build(self) -> None:
        row = QHBoxLayout()
        row.setSpacing(16)
        texts = QVBoxLayout()
        texts.setSpacing(6)
        texts.addWidget(self.pause_label)
        texts.addWidget(self.hint_label)
        row.addLayout(texts, 1)
        row.addWidget(self.check_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 24)
        layout.setSpacing(12)
        layout.addWidget(label("Compatibility", "sectionTitle"))
        layout.addLayout(row)
        layout.addWidget(self.busy)
        layout.addWidget(self.verdict_label)
        layout.addWidget(self.table)
        layout.addWidget(self.error_label)

    # --- the connection and the pause ------------------------------------------------------

    def reload(self, linked: bool) -> None:
        """`linked`: a firm is connected, so there is something to check."""
        self._linked = linked
        self.check_button.setEnabled(linked and not self.action.busy)
        self.hint_label.setText(words.COMPAT_HINT if linked else words.COMPAT_NOT_CONNECTED)
        self.refresh_pause()

    def refresh_pause(self) -> None:
        # The pause lives in the store: read off the GUI thread.
        self._runner.submit(self._ws.clockwork.shape_pause, self._show_pause)

    def _show_pause(self, reason: str | None) -> None:
        self.pause_label.setText(reason or "")
        self.pause_label.setVisible(bool(reason))

    # --- checking -------------------------------------------------------------------------

    def check(self) -> None:
        self.error_label.hide()
        self.action.start(self._ws.clockwork.check, self.show_report, self._failed)

    def show_report(self, report: Report) -> None:
        self.report = report
        self.table.setRowCount(len(report.endpoints))
        self._results = []
        for i, endpoint in enumerate(report.endpoints):
            result = endpoint.result
            self._results.append(result)
            values = (endpoint.name, endpoint.certainty, RESULT_TEXT.get(result, result))
            for column, value in enumerate((*values, endpoint.detail)):
                item = QTableWidgetItem(str(value))
                item.setToolTip(str(value))
                self.table.setItem(i, column, item)
        self._colour_rows()
        self.table.resizeRowsToContents()
        self.table.setFixedHeight(_table_height(self.table))
        self.table.show()
        self._show_verdict(report.compatible, self._results)
        self.refresh_pause()  # a compatible answer has lifted it

    def _show_verdict(self, compatible: bool, results: list[str]) -> None:
        if compatible:
            text = words.COMPATIBLE
        else:
            bad = sum(r in ("differs", "refused") for r in results)
            text = words.NOT_COMPATIBLE.format(parts=count(bad, "part"))
        self.verdict_label.setObjectName("successLabel" if compatible else "errorLabel")
        repolish(self.verdict_label)
        self.verdict_label.setText(text)
        self.verdict_label.show()

    def _colour_rows(self) -> None:
        controller = theme.installed()
        for row, result in enumerate(self._results):
            role = RESULT_ROLE.get(result)
            for column in range(self.table.columnCount()):
                item = self.table.item(row, column)
                if item is None:
                    continue
                if role is None or controller is None:
                    item.setData(Qt.ItemDataRole.ForegroundRole, None)
                else:
                    item.setForeground(controller.item_colour(role))

    def _failed(self, exc: EscapementError) -> None:
        self.error_label.setText(f"<b>{escape(exc.title)}</b><br>{escape(exc.message)}")
        self.error_label.show()

    def _show_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.check_button.setEnabled(self._linked and not busy)
        self.check_button.setText("Checking…" if busy else "Check compatibility")


def _make_table() -> QTableWidget:
    table = named(QTableWidget(0, len(COLUMNS)), "compatTable")
    table.setHorizontalHeaderLabels(COLUMNS)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.setWordWrap(True)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    header = table.horizontalHeader()
    for column in range(3):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
    return table


def _table_height(table: QTableWidget) -> int:
    """Every row shows: the card scrolls with the pane, not inside itself."""
    rows = sum(table.rowHeight(r) for r in range(table.rowCount()))
    return rows + table.horizontalHeader().height() + 2 * table.frameWidth()
