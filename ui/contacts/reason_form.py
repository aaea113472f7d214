"""A required reason with its error under the field: what undoing an opt-out asks for."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from app.api import EscapementError
from ui.runtime.task_runner import TaskRunner
from ui.widgets.basic import field, label


class ReasonForm(QWidget):
    """The field, and the error of the last try under it; `submit` runs the write off the
    GUI thread and calls `done` with its answer, or shows the error and keeps the text."""

    def __init__(self, hint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = TaskRunner(self)
        self.edit = QLineEdit(placeholderText="Reason (required)")
        self.error_label = label("", "errorLabel", wrap=True)
        self.error_label.hide()
        box = field(self.edit, hint, self.error_label)
        box.setParent(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(box)

    @property
    def reason(self) -> str:
        return self.edit.text()

    def submit(self, write: Callable[[str], Any], done: Callable[[Any], None]) -> None:
        reason = self.reason
        self.error_label.hide()
        self._runner.submit(lambda: write(reason), done, self.show_error)

    def show_error(self, exc: Exception) -> None:
        if not isinstance(exc, EscapementError):
            raise exc
        self.error_label.setText(exc.message)
        self.error_label.show()
        self.edit.setFocus()
