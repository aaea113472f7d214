"""Saving a setting off the GUI thread, with a refusal shown beside the field it concerns.

Each card owns one `InlineSaver`: its saves run one after another on the thread pool (a busy
mail pass may hold the database for a moment; the window must not wait). A refusal (an
`EscapementError`) is shown in the field's own error label, title and message; anything else
is a bug and goes to the excepthook. A field whose save is pending, or whose error is showing,
keeps what the user typed: cards check `holds(error)` before showing the saved value.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from app.api import EscapementError
from ui.runtime.task_runner import SerialRunner
from ui.widgets.accessible import label_for
from ui.widgets.basic import label


def error_label() -> QLabel:
    widget = label("", "errorLabel", wrap=True)
    widget.setTextFormat(Qt.TextFormat.RichText)
    widget.hide()
    return widget


#: The labels' column: the same in every card, so the fields line up down the pane.
LABEL_WIDTH = 120


def form_layout(spacing: int = 16) -> QFormLayout:
    form = QFormLayout()
    form.setHorizontalSpacing(24)
    form.setVerticalSpacing(spacing)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return form


def add_row(form: QFormLayout, text: str, widget: QWidget) -> None:
    name = label(text)
    name.setMinimumWidth(LABEL_WIDTH)
    form.addRow(name, widget)
    label_for(name, widget)


def show_saved(edit: QLineEdit, text: str, held: bool) -> None:
    """Show the saved value unless the user is typing there or their text is held."""
    if held or (edit.hasFocus() and edit.isModified()):
        return
    if edit.text() != text:
        edit.setText(text)


def show_error(widget: QLabel, exc: EscapementError) -> None:
    widget.setText(f"<b>{escape(exc.title)}</b><br>{escape(exc.message)}")
    widget.show()


class InlineSaver(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._runner = SerialRunner(self)
        self._pending: dict[int, int] = {}  # id(error label) -> saves not yet answered
        #: id(error label) -> the newest attempt for that field: only its answer is shown, so
        #: an earlier save that succeeds late does not hide a newer refusal.
        self._latest: dict[int, int] = {}

    @property
    def busy(self) -> bool:
        return self._runner.busy

    def holds(self, error: QLabel) -> bool:
        """The field beside `error` is being saved or was refused: keep the user's text."""
        return not error.isHidden() or self._pending.get(id(error), 0) > 0

    def refuse(self, error: QLabel, exc: EscapementError) -> None:
        """A refusal found before saving (the same words the core would use)."""
        self._attempt(error)
        show_error(error, exc)

    def save(
        self,
        work: Callable[[], Any],
        error: QLabel,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[EscapementError], None] | None = None,
    ) -> None:
        error.hide()
        key, attempt = id(error), self._attempt(error)
        self._pending[key] = self._pending.get(key, 0) + 1

        def done(result: Any) -> None:
            self._pending[key] -= 1
            if self._latest[key] == attempt:
                error.hide()
            if on_done is not None:
                on_done(result)

        def failed(exc: Exception) -> None:
            self._pending[key] -= 1
            if not isinstance(exc, EscapementError):
                raise exc
            if self._latest[key] == attempt:
                show_error(error, exc)
            if on_error is not None:
                on_error(exc)

        self._runner.submit(work, done, failed)

    def _attempt(self, error: QLabel) -> int:
        key = id(error)
        self._latest[key] = self._latest.get(key, 0) + 1
        return self._latest[key]
