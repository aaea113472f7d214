"""A small dialog that asks for a name and shows the Workspace's objection inline.

The save runs when OK is pressed; an InputError (a duplicate name, an empty one) keeps the
dialog open with the message under the field, so the user fixes it without starting over.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.api import InputError
from ui.runtime.task_runner import TaskRunner
from ui.widgets.accessible import described
from ui.widgets.basic import label


class NameDialog(QDialog):
    def __init__(
        self,
        title: str,
        prompt: str,
        submit: Callable[[str], object],
        *,
        initial: str = "",
        ok_text: str = "Save",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self._submit = submit
        self._runner = TaskRunner(self)
        self.value: object = None  # what `submit` returned, once it succeeded
        self.edit = described(QLineEdit(initial), prompt.rstrip(":"))
        self.edit.selectAll()
        self.error_label = label("", "errorLabel", wrap=True)
        self.error_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.buttons.accepted.connect(self._try_accept)
        self.buttons.rejected.connect(self.reject)
        self.edit.textChanged.connect(self._on_text)
        self._on_text(initial)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(prompt))
        layout.addWidget(self.edit)
        layout.addWidget(self.error_label)
        layout.addSpacing(8)
        layout.addWidget(self.buttons)

    def _on_text(self, text: str) -> None:
        self.ok_button.setEnabled(bool(text.strip()))
        self.error_label.hide()

    def _try_accept(self) -> None:
        """`submit` writes: it runs off the GUI thread, the dialog closes when it succeeds."""
        if self._runner.busy:
            return
        submit, text = self._submit, self.edit.text()
        self.ok_button.setEnabled(False)
        self._runner.submit(lambda: submit(text), self._accepted, self._refused)

    @property
    def busy(self) -> bool:
        return self._runner.busy

    def _accepted(self, value: object) -> None:
        self.value = value
        self.accept()

    def _refused(self, exc: Exception) -> None:
        self.ok_button.setEnabled(bool(self.edit.text().strip()))
        if not isinstance(exc, InputError):
            raise exc  # a bug: the excepthook reports it
        self.error_label.setText(exc.message)
        self.error_label.show()
        self.edit.setFocus()
