"""Tiny constructors for the widgets every pane makes, named for the style sheet.

PySide accepts `objectName=` as a constructor keyword at run time, but its type stubs do not,
so these keep both the code short and mypy honest.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QPushButton, QWidget


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


def repolish(widget: QWidget) -> None:
    """Re-apply the style sheet after a property or object name the sheet matches changed."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)
