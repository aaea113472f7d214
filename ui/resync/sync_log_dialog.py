"""The sync log: every step the sync engine took, newest first, and a Retry for the errors.

Per-contact failures are rows a recruiter can read and retry, not lines in a log file. The
table is re-read (on the thread pool, one read at a time) whenever contacts change; the
bridge already batches those changes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.api import SyncLogRow
from app.workspace import Workspace
from ui.runtime.bridge import EventBridge
from ui.runtime.task_runner import TaskRunner
from ui.widgets.accessible import described
from ui.widgets.basic import button, label
from ui.widgets.wording import count

COLUMNS = ("Time", "Contact", "Step", "Outcome", "Message")
TIME, CONTACT, STEP, OUTCOME, MESSAGE = range(len(COLUMNS))
OUTCOME_COLORS = {"ok": "#1e8a4c", "retry": "#b26b00", "error": "#c93c3c", "paused": "#2f6fde"}
ID_ROLE = Qt.ItemDataRole.UserRole


class SyncLogDialog(QDialog):
    def __init__(
        self,
        workspace: Workspace,
        bridge: EventBridge,
        retry: Callable[[list[int]], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sync log")
        self.resize(1120, 600)
        self._ws, self._retry = workspace, retry
        self._runner = TaskRunner(self)
        self._stale = False
        self.contact_id: int | None = None
        self.rows: list[SyncLogRow] = []  # the rows shown
        self._read: list[SyncLogRow] = []  # the rows last read
        self.heading = label("", "sectionTitle")
        self.all_button = button("Show all contacts", on_click=lambda: self.show_contact(None))
        self.errors_box = QCheckBox("Errors only")
        self.errors_box.toggled.connect(lambda _on: self._fill())
        self.table = _table()
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.empty_label = label("Nothing has been sent to Clockwork yet.", "emptyState")
        self.empty_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.retry_button = self.buttons.addButton("Retry", QDialogButtonBox.ButtonRole.ActionRole)
        self.retry_button.clicked.connect(self.retry_selected)
        self.buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.errors_box)
        top.addSpacing(12)
        top.addWidget(self.all_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.buttons)
        bridge.contactsChanged.connect(self.refresh)
        self._update_buttons()

    def show_contact(self, contact_id: int | None, email: str = "") -> None:
        """Narrow the log to one contact (None: everyone) and read it again."""
        self.contact_id = contact_id
        self.heading.setText(f"Sync log of {email}" if contact_id and email else "Sync log")
        self.all_button.setVisible(contact_id is not None)
        self.refresh()

    def refresh(self) -> None:
        if self._runner.busy:
            self._stale = True
            return
        self._stale = False
        wanted = self.contact_id
        self._runner.submit(lambda: self._ws.sync.log(wanted), lambda r: self._show(wanted, r))

    def _show(self, contact_id: int | None, rows: list[SyncLogRow]) -> None:
        if self._stale or contact_id != self.contact_id:
            self.refresh()
            return
        self._read = rows
        self._fill()

    def _fill(self) -> None:
        """Show what was read, narrowed to errors if asked; the selection survives."""
        keep = {self.rows[i.row()].id for i in self.table.selectionModel().selectedRows()}
        errors_only = self.errors_box.isChecked()
        rows = [e for e in self._read if e.outcome == "error" or not errors_only]
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, entry in enumerate(rows):
            for c, text in enumerate(_texts(entry)):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, entry.contact_id)
                if c in (CONTACT, MESSAGE):
                    item.setToolTip(text)
                if c == OUTCOME:
                    item.setForeground(QBrush(QColor(OUTCOME_COLORS.get(entry.outcome, "#4a5261"))))
                self.table.setItem(r, c, item)
            if entry.id in keep:
                self.table.selectRow(r)
        self.table.setVisible(bool(rows))
        self.empty_label.setText(
            "No errors: everything sent reached Clockwork."
            if errors_only and self._read
            else "Nothing has been sent to Clockwork yet."
        )
        self.empty_label.setVisible(not rows)
        self._update_buttons()

    def selected_errors(self) -> list[int]:
        """The contacts of the selected error rows, each once."""
        picked = [self.rows[i.row()] for i in self.table.selectionModel().selectedRows()]
        return list(dict.fromkeys(e.contact_id for e in picked if e.outcome == "error"))

    def retry_selected(self) -> None:
        ids = self.selected_errors()
        if ids:
            self._retry(ids)
            self.table.clearSelection()

    def _update_buttons(self) -> None:
        n = len(self.selected_errors())
        self.retry_button.setEnabled(n > 0)
        self.retry_button.setText(f"Retry {count(n, 'contact')}" if n else "Retry")


def _texts(entry: SyncLogRow) -> Sequence[str]:
    step = entry.step.replace("_", " ")
    return (_local(entry.at), entry.email, step, entry.outcome, entry.message)


def _local(at: datetime) -> str:
    aware = at if at.tzinfo else at.replace(tzinfo=UTC)
    return f"{aware.astimezone():%d %b %Y %H:%M:%S}"


def _table() -> QTableWidget:
    table = QTableWidget(0, len(COLUMNS))
    table.setObjectName("syncLog")
    described(table, "Sync log")
    table.setHorizontalHeaderLabels(COLUMNS)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(28)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    header = table.horizontalHeader()
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setStretchLastSection(True)
    for column, width in ((TIME, 180), (CONTACT, 330), (STEP, 120), (OUTCOME, 90)):
        header.resizeSection(column, width)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return table
