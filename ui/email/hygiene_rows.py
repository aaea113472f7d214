"""Sending like a careful person: the pause between two sends (on/off, MIN to MAX seconds) and
the cap per recipient domain per hour (on/off, a number). Each row reads and writes the core's
own text ("30-90" or "off"; "10" or "off"), so the core's parser has the last word."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QSpinBox, QWidget

from ui.widgets.accessible import described
from ui.widgets.basic import label

MAX_PAUSE_S = 3600
MAX_DOMAIN_CAP = 1000
DEFAULT_PAUSE = (30, 90)
DEFAULT_CAP = 10


class PacingRow(QWidget):
    edited = Signal(str)  # the new text: "MIN-MAX" or "off"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox("Pause between sends, a random")
        self.min_spin = described(_spin(0, MAX_PAUSE_S), "Shortest pause, in seconds")
        self.max_spin = described(_spin(0, MAX_PAUSE_S), "Longest pause, in seconds")
        self.min_spin.setValue(DEFAULT_PAUSE[0])
        self.max_spin.setValue(DEFAULT_PAUSE[1])
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        for widget in (self.check, self.min_spin, label("to"), self.max_spin, label("seconds")):
            row.addWidget(widget)
        row.addStretch(1)
        self.check.toggled.connect(self._toggled)
        for spin in (self.min_spin, self.max_spin):
            spin.editingFinished.connect(lambda: self.edited.emit(self.text()))
        self._toggled(False, announce=False)

    def text(self) -> str:
        if not self.check.isChecked():
            return "off"
        return f"{self.min_spin.value()}-{self.max_spin.value()}"

    def show_text(self, text: str) -> None:
        """Shows the saved value unless the user is in one of the spin boxes."""
        if self.min_spin.hasFocus() or self.max_spin.hasFocus():
            return
        on = text != "off"
        if on:
            low, _, high = text.partition("-")
            self.min_spin.setValue(int(low))
            self.max_spin.setValue(int(high or low))
        self.check.blockSignals(True)
        self.check.setChecked(on)
        self.check.blockSignals(False)
        self._toggled(on, announce=False)

    def _toggled(self, on: bool, announce: bool = True) -> None:
        self.min_spin.setEnabled(on)
        self.max_spin.setEnabled(on)
        if announce:
            self.edited.emit(self.text())


class DomainCapRow(QWidget):
    edited = Signal(str)  # the new text: "N" or "off"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox("At most")
        self.spin = described(_spin(1, MAX_DOMAIN_CAP), "Emails an hour per recipient domain")
        self.spin.setValue(DEFAULT_CAP)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        row.addWidget(self.check)
        row.addWidget(self.spin)
        row.addWidget(label("emails an hour to any one company's domain"))
        row.addStretch(1)
        self.check.toggled.connect(self._toggled)
        self.spin.editingFinished.connect(lambda: self.edited.emit(self.text()))
        self._toggled(False, announce=False)

    def text(self) -> str:
        return str(self.spin.value()) if self.check.isChecked() else "off"

    def show_text(self, text: str) -> None:
        if self.spin.hasFocus():
            return
        on = text != "off"
        if on:
            self.spin.setValue(int(text))
        self.check.blockSignals(True)
        self.check.setChecked(on)
        self.check.blockSignals(False)
        self._toggled(on, announce=False)

    def _toggled(self, on: bool, announce: bool = True) -> None:
        self.spin.setEnabled(on)
        if announce:
            self.edited.emit(self.text())


def _spin(low: int, high: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setFixedWidth(90)
    return spin
