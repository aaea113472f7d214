"""The sending window as controls: Any time, or days, hours and a time zone.

`text()` is what `set_sending_window` accepts ("always", or like "Mon,Tue,Wed 09:00-17:00
Europe/London"; the core answers with its canonical form, "Mon-Wed ..."). `show_window`
puts a canonical text back into the controls. An end of 00:00 means midnight (24:00): a
time edit cannot show 24:00, and a window always ends after it starts on the same day.
"""

from __future__ import annotations

import zoneinfo
from functools import cache

from PySide6.QtCore import Qt, QTime, QTimeZone, Signal
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QRadioButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.api import DAYS, InputError, parse_window
from ui.email import text as words
from ui.widgets.accessible import described
from ui.widgets.basic import label

WORKDAYS = frozenset(range(5))
DEFAULT_HOURS = (QTime(9, 0), QTime(17, 0))


@cache
def zone_names() -> dict[str, str]:
    """Every IANA zone name, keyed by its lower case, so "europe/london" finds Europe/London."""
    return {name.lower(): name for name in sorted(zoneinfo.available_timezones())}


def local_zone() -> str:
    name = bytes(QTimeZone.systemTimeZoneId().data()).decode()
    return zone_names().get(name.lower(), "UTC")


class ZoneCombo(QComboBox):
    """An editable list of every time zone; typing any part of a name offers the matches."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.addItems(list(zone_names().values()))
        self.setMaxVisibleItems(16)
        completer = QCompleter(self.model(), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)

    def zone(self) -> str:
        """The chosen zone's proper name ("america/new york" is America/New_York); what was
        typed as is when it names no zone, for the core to refuse in its own words."""
        typed = "_".join(self.currentText().split())
        if not typed:
            raise InputError("Choose a time zone, like Europe/London or America/New_York.")
        return zone_names().get(typed.lower(), typed)


class SendingWindowEditor(QWidget):
    edited = Signal()  # the user changed the window: the card saves text()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.any_time = QRadioButton("Any time")
        self.some_hours = QRadioButton("Days and hours")
        group = QButtonGroup(self)
        group.addButton(self.any_time)
        group.addButton(self.some_hours)
        self.day_boxes = [QCheckBox(day) for day in DAYS]
        self.start_edit = described(_time_edit(), "Sending window starts at")
        self.end_edit = described(_time_edit(), "Sending window ends at")
        self.zone_combo = described(ZoneCombo(), "Time zone")
        self.zone_combo.setMinimumWidth(260)
        self.details = QWidget()
        self._filled = False  # the days and hours show something chosen, not Qt's defaults
        self._build()
        self.show_window("always")
        self.any_time.clicked.connect(self._mode_clicked)
        self.some_hours.clicked.connect(self._mode_clicked)
        for box in self.day_boxes:
            box.clicked.connect(lambda _on: self.edited.emit())
        for edit in (self.start_edit, self.end_edit):
            edit.editingFinished.connect(self.edited.emit)
        self.zone_combo.activated.connect(lambda _i: self.edited.emit())
        zone_edit = self.zone_combo.lineEdit()
        assert zone_edit is not None  # the combo is editable
        zone_edit.editingFinished.connect(self.edited.emit)

    def _build(self) -> None:
        days = QHBoxLayout()
        days.setSpacing(14)
        for box in self.day_boxes:
            days.addWidget(box)
        days.addStretch(1)
        hours = QHBoxLayout()
        hours.setSpacing(10)
        for widget in (label("From"), self.start_edit, label("to"), self.end_edit):
            hours.addWidget(widget)
        hours.addSpacing(16)
        hours.addWidget(label("Time zone"))
        hours.addWidget(self.zone_combo, 1)
        inner = QVBoxLayout(self.details)
        inner.setContentsMargins(28, 0, 0, 0)
        inner.setSpacing(8)
        inner.addLayout(days)
        inner.addLayout(hours)
        inner.addWidget(label(f"{words.ZONE_HINT} {words.END_HINT}", "hint", wrap=True))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.any_time)
        layout.addWidget(self.some_hours)
        layout.addWidget(self.details)

    def editing(self) -> bool:
        """The keyboard is in one of the controls: a saved value must not jump in."""
        focus = QApplication.focusWidget()
        return focus is not None and self.isAncestorOf(focus)

    def _mode_clicked(self) -> None:
        self.details.setEnabled(self.some_hours.isChecked())
        self.edited.emit()

    def text(self) -> str:
        """The window as set_sending_window reads it; InputError when no day is ticked."""
        if self.any_time.isChecked():
            return "always"
        days = [day for day, box in zip(DAYS, self.day_boxes, strict=True) if box.isChecked()]
        if not days:
            raise InputError(words.NO_DAYS)
        start = self.start_edit.time().toString("HH:mm")
        end = self.end_edit.time().toString("HH:mm")
        end = "24:00" if end == "00:00" else end
        return f"{','.join(days)} {start}-{end} {self.zone_combo.zone()}"

    def show_window(self, canonical: str) -> None:
        """Puts a saved window into the controls; "always" leaves the days and hours as they
        were (Mon-Fri 09:00-17:00 in the local zone at first), ready to switch to."""
        window = parse_window(canonical)
        self.any_time.setChecked(window.always)
        self.some_hours.setChecked(not window.always)
        self.details.setEnabled(not window.always)
        if window.days is None:
            if not self._filled:
                self._show_days(WORKDAYS, *DEFAULT_HOURS, local_zone())
        else:
            start = QTime(window.start // 60, window.start % 60)
            end = QTime((window.end // 60) % 24, window.end % 60)
            self._show_days(window.days, start, end, window.zone)

    def _show_days(self, days: frozenset[int], start: QTime, end: QTime, zone: str) -> None:
        self._filled = True
        for number, box in enumerate(self.day_boxes):
            box.setChecked(number in days)
        self.start_edit.setTime(start)
        self.end_edit.setTime(end)
        self.zone_combo.setCurrentText(zone)
        index = self.zone_combo.findText(zone)
        if index >= 0:
            self.zone_combo.setCurrentIndex(index)


def _time_edit() -> QTimeEdit:
    edit = QTimeEdit()
    edit.setDisplayFormat("HH:mm")
    edit.setFixedWidth(96)
    return edit
