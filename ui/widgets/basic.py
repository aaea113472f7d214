"""Tiny constructors for the widgets every pane makes, named for the style sheet.

PySide accepts `objectName=` as a constructor keyword at run time, but its type stubs do not,
so these keep both the code short and mypy honest.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLayout,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


def named[W: QWidget](widget: W, name: str) -> W:
    widget.setObjectName(name)
    return widget


def label(text: str = "", name: str = "", *, wrap: bool = False) -> QLabel:
    widget = QLabel(text)
    widget.setWordWrap(wrap)
    return named(widget, name) if name else widget


def button(
    text: str, name: str = "", *, on_click: Callable[[], object] | None = None
) -> QPushButton:
    widget = QPushButton(text)
    if on_click is not None:
        widget.clicked.connect(on_click)
    return named(widget, name) if name else widget


def field(top: QWidget | QLayout, hint: str = "", *below: QWidget, left: bool = False) -> QWidget:
    """A control with its one-line explanation, then its error (or anything else), under it.

    left: the control keeps its own width at the left instead of filling the row."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(4)
    if isinstance(top, QWidget):
        if hint and not top.accessibleDescription():  # a screen reader reads the hint too
            top.setAccessibleDescription(hint)
        layout.addWidget(top, 0, Qt.AlignmentFlag.AlignLeft if left else Qt.AlignmentFlag(0))
    else:
        layout.addLayout(top)
    if hint:
        layout.addWidget(label(hint, "hint", wrap=True))
    for widget in below:
        layout.addWidget(widget)
    return box


def repolish(widget: QWidget) -> None:
    """Re-apply the style sheet after a property or object name the sheet matches changed."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class DialogSlot:
    """At most one dialog open at a time for its owner: opened window-modal (open(), never
    exec(), which would nest an event loop inside the asyncio one), remembered while open,
    and deleted once it closes; `closed` then runs, if given."""

    def __init__(self, closed: Callable[[], None] | None = None) -> None:
        self.dialog: QDialog | None = None
        self._closed = closed

    def open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(lambda _result: self._finished(dialog))
        dialog.open()

    def _finished(self, dialog: QDialog) -> None:
        dialog.deleteLater()
        if self.dialog is dialog:
            self.dialog = None
        if self._closed is not None:
            self._closed()


def destructive_confirm(
    parent: QWidget, title: str, question: str, detail: str, action: str, on_yes: Callable[[], None]
) -> QMessageBox:
    """A warning box whose default is Cancel and whose named action runs `on_yes`.

    Returned unopened, so the caller decides how it is tracked and then calls open() (never
    exec(), which would nest an event loop inside the asyncio one)."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, question)
    box.setParent(parent, box.windowFlags())
    box.setInformativeText(detail)
    box.setStandardButtons(QMessageBox.StandardButton.Cancel)
    yes = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.finished.connect(lambda _result: on_yes() if box.clickedButton() is yes else None)
    return box
