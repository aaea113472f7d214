"""The Steps tab's left column: one line pair per step, with Add and Remove under it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.api import EscapementError
from ui.sequences.steps.drafts import Draft
from ui.widgets.basic import button, destructive_confirm, label, named

LIST_WIDTH = 180
UNSAVED_COLOR = "#1d3f9c"


class StepList(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = named(QListWidget(), "stepList")
        self.list.setMinimumWidth(LIST_WIDTH)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        # Long subjects are elided (the tooltip has them whole) instead of scrolling sideways.
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.add_button = button("Add step")
        self.remove_button = button("Remove…", "dangerButton")
        self.error_label = label("", "errorLabel", wrap=True)
        self.error_label.hide()
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        self.setMaximumWidth(LIST_WIDTH + 80)  # at least as wide as its two buttons
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)

    def fill(self, rows: list[tuple[Draft, bool]], current: int) -> None:
        """One item per (draft, unsaved); selects `current` without signalling it."""
        self.list.blockSignals(True)
        self.list.clear()
        for row, (draft, unsaved) in enumerate(rows):
            self.list.addItem(QListWidgetItem())
            self.set_row(row, draft, unsaved)
        self.list.setCurrentRow(current)
        self.list.blockSignals(False)

    def set_row(self, row: int, draft: Draft, unsaved: bool) -> None:
        item = self.list.item(row)
        text = step_label(row, draft)
        item.setText(("• " if unsaved else "") + text)
        item.setToolTip(text + ("\nUnsaved changes" if unsaved else ""))
        font = QFont(item.font())
        font.setItalic(unsaved)
        item.setFont(font)
        item.setData(Qt.ItemDataRole.ForegroundRole, QColor(UNSAVED_COLOR) if unsaved else None)

    def confirm(self, row: int, on_yes: Callable[[], None], *, new: bool = False) -> QMessageBox:
        """The question before step `row` goes (unopened); `new`: a step never saved."""
        if new:
            question, detail, action = "Discard the new step", "It has not been saved.", "Discard"
        else:
            question, action = "Remove step", "Remove"
            detail = "Contacts who have not got it yet will not get it; later steps move up."
        return destructive_confirm(
            self, f"{action} step", f"{question} {row + 1}?", detail, f"{action} step", on_yes
        )

    def show_error(self, exc: Exception) -> None:
        if not isinstance(exc, EscapementError):
            raise exc
        self.error_label.setText(exc.message)
        self.error_label.show()


def step_label(index: int, draft: Draft) -> str:
    """Two lines: "Step 2 · +3 days", then the subject ("Re: same thread" when it has none)."""
    days = draft.delay_days
    when = f"Day {days}" if index == 0 else f"+{days} day{'' if days == 1 else 's'}"
    subject = draft.subject.strip()
    if not subject:
        subject = "Re: same thread" if index > 0 and draft.same_thread else "No subject yet"
    return f"Step {index + 1} · {when}\n{subject}"
