"""Failed emails: contacts whose current step could not be made or sent (a bad address, a
step that cannot be filled in), one row each with the reason and when it is tried again.
Read from `ws.mail.failures()`; the pane re-reads it after each mail pass."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from app.api import SendFailure
from ui.email import text as words
from ui.widgets.basic import label


class FailedRow(QFrame):
    def __init__(self, failure: SendFailure, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("uncertainRow")  # the same quiet box as an uncertain email
        self.failure = failure
        what = label(f"<b>{escape(failure.email)}</b>", wrap=True)
        what.setTextFormat(Qt.TextFormat.RichText)
        detail = f"{failure.sequence} · step {failure.step_index + 1}"
        if failure.retry_at is not None:
            detail += f" · tried again at {_local(failure.retry_at)}"
        self.reason_label = label(failure.reason, "warningText", wrap=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        layout.addWidget(what)
        layout.addWidget(label(detail, "hint", wrap=True))
        layout.addWidget(self.reason_label)


class FailedList(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: dict[int, FailedRow] = {}
        self.explanation = label(words.FAILED_EXPLANATION, "hint", wrap=True)
        self.empty_label = label(words.FAILED_EMPTY, "subtle", wrap=True)
        self._rows_box = QVBoxLayout()
        self._rows_box.setSpacing(6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(label("Failed emails", "fieldTitle"))
        layout.addWidget(self.explanation)
        layout.addWidget(self.empty_label)
        layout.addLayout(self._rows_box)
        self.show_failures([])

    def show_failures(self, failures: list[SendFailure]) -> None:
        for row in self.rows.values():
            self._rows_box.removeWidget(row)
            row.deleteLater()
        self.rows = {}
        for failure in failures:
            row = FailedRow(failure)
            self._rows_box.addWidget(row)
            self.rows[failure.enrollment_id] = row
        self.explanation.setVisible(bool(failures))
        self.empty_label.setVisible(not failures)


def _local(when: datetime) -> str:
    """Stored in UTC (SQLite drops the zone): shown in the user's own time."""
    return f"{when.replace(tzinfo=when.tzinfo or UTC).astimezone():%d %b %H:%M}"
