"""Combo boxes, spin boxes and sliders ignore the mouse wheel unless they have focus.

Scrolling a page with the pointer passing over "Default project" used to change (and save)
the firm-wide default. One application-wide event filter holds the rule for every such
control, present and future: a wheel event over an unfocused one is handed to its parent (so
the page scrolls instead), and each gets the StrongFocus policy so the wheel cannot give it
focus either; a click or Tab does, and then the wheel works as before.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSlider, QAbstractSpinBox, QApplication, QComboBox

GUARDED = (QComboBox, QAbstractSpinBox, QAbstractSlider)


class WheelGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Polish and isinstance(watched, GUARDED):
            watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        elif kind == QEvent.Type.Wheel and isinstance(watched, GUARDED) and not watched.hasFocus():
            # Ignored and filtered: Qt offers the event to the parent widget next.
            event.ignore()
            return True
        return False


def install_wheel_guard(app: QApplication) -> WheelGuard:
    """Install once per application; idempotent."""
    existing = app.findChild(WheelGuard)
    if existing is not None:
        return existing
    guard = WheelGuard(app)
    app.installEventFilter(guard)
    return guard
