"""Names for screen readers, set where a control is made.

A control with a visible label next to it (a form row, a button's text) is named by Qt; one
whose label sits elsewhere, or that has none (a placeholder is not a label), is named here.
tests/ui/accessibility walks every pane and fails on an interactive element with no name.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)


def described[W: QWidget](widget: W, name: str, description: str = "") -> W:
    """`widget` with its accessible name (what it is) and description (what it does)."""
    parts: list[QWidget] = [widget]
    inner = widget.lineEdit() if isinstance(widget, QComboBox) else None
    if inner is not None:
        parts.append(inner)  # an editable combo's text field is read on its own
    for part in parts:
        part.setAccessibleName(name)
        if description:
            part.setAccessibleDescription(description)
    return widget


def tip_with_shortcut(action: QAction) -> QAction:
    """The action's tooltip names its shortcut, as its menu entry does: "Import CSV (Ctrl+I)"."""
    text = action.text().replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…")
    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    action.setToolTip(f"{text} ({keys})" if keys else text)
    return action


INPUTS = (QLineEdit, QComboBox, QAbstractSpinBox, QTextEdit, QPlainTextEdit)


def first_input(widget: QWidget) -> QWidget | None:
    """The first text field, combo or spin box in `widget` (itself or inside it), in tab
    order of creation: the control a form row's label speaks for."""
    if isinstance(widget, INPUTS):
        return widget
    for child in widget.findChildren(QWidget):
        if isinstance(child, INPUTS) and not isinstance(child.parent(), INPUTS):
            return child
    return None


def label_for(caption: QLabel, widget: QWidget) -> None:
    """Makes `caption` the label of the row's first input: its buddy (Alt+mnemonic moves
    focus there) and, unless it has one, its accessible name."""
    control = first_input(widget)
    if control is None:
        return
    caption.setBuddy(control)
    if not control.accessibleName():
        control.setAccessibleName(caption.text().replace("&", ""))


class Figure(QLabel):
    """A number shown under its caption; a screen reader reads both: "Synced: 1,204"."""

    def __init__(self, caption: str, text: str = "0", name: str = "figure") -> None:
        super().__init__()
        self.setObjectName(name)
        self._caption = caption
        self.setText(text)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setAccessibleName(f"{self._caption}: {text}")
