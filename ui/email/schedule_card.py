"""The schedule card: when emails may go out (the sending window) and how many a day.

Both apply as soon as they change. The window is checked with the core's own parser first,
so a mistake (no day ticked, an end before the start, an unknown time zone) is shown under
the editor at once, and the controls keep what the user chose. Once saved, the core's
canonical text is echoed under it.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QSpinBox, QVBoxLayout, QWidget

from app.api import MAX_DAILY_CAP, InputError, parse_window
from app.workspace import Workspace
from ui.email import text as words
from ui.email.hygiene_rows import DomainCapRow, PacingRow
from ui.email.sending_window_editor import SendingWindowEditor
from ui.email.state import MailSnapshot
from ui.runtime.inline_saver import InlineSaver, add_row, error_label, form_layout
from ui.widgets.accessible import described
from ui.widgets.basic import field, label


class ScheduleCard(QFrame):
    saved = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self._ws = workspace
        self.saver = InlineSaver(self)
        self._saved_window = "always"
        self._saved_cap = 0
        self.window_editor = SendingWindowEditor()
        self.window_editor.edited.connect(self._window_edited)
        self.window_echo = label("", "subtle", wrap=True)
        self.window_error = error_label()
        self.cap_spin = QSpinBox(suffix=" emails a day")
        described(self.cap_spin, "Daily cap")
        self.cap_spin.setRange(1, MAX_DAILY_CAP)
        self.cap_spin.setFixedWidth(170)
        self.cap_spin.editingFinished.connect(self._cap_edited)
        self.cap_error = error_label()
        self.pacing_row, self.pacing_error = PacingRow(), error_label()
        self.pacing_row.edited.connect(self._pacing_edited)
        self.domain_cap_row, self.domain_cap_error = DomainCapRow(), error_label()
        self.domain_cap_row.edited.connect(self._domain_cap_edited)
        self._saved_hygiene = ("", "")
        form = form_layout()
        window = field(self.window_editor, "", self.window_echo, self.window_error)
        add_row(form, "Sending window", window)
        add_row(form, "Daily cap", field(self.cap_spin, words.CAP_HINT, self.cap_error))
        pacing = field(self.pacing_row, words.PACING_HINT, self.pacing_error)
        add_row(form, "Pacing", pacing)
        cap = field(self.domain_cap_row, words.DOMAIN_CAP_HINT, self.domain_cap_error)
        add_row(form, "Per domain", cap)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 24)
        layout.setSpacing(12)
        layout.addWidget(label("Schedule", "sectionTitle"))
        layout.addLayout(form)

    def show_snapshot(self, snap: MailSnapshot) -> None:
        view = snap.settings
        self._saved_window, self._saved_cap = view.sending_window, view.daily_cap
        self.window_echo.setText(words.window_echo(view.sending_window))
        if not (self.saver.holds(self.window_error) or self.window_editor.editing()):
            self.window_editor.show_window(view.sending_window)
        if not (self.saver.holds(self.cap_error) or self.cap_spin.hasFocus()):
            self.cap_spin.setValue(view.daily_cap)
        hygiene = snap.hygiene
        self._saved_hygiene = (hygiene.pacing, hygiene.domain_cap)
        if not self.saver.holds(self.pacing_error):
            self.pacing_row.show_text(hygiene.pacing)
        if not self.saver.holds(self.domain_cap_error):
            self.domain_cap_row.show_text(hygiene.domain_cap)

    def _pacing_edited(self, text: str) -> None:
        if text == self._saved_hygiene[0] and not self.saver.holds(self.pacing_error):
            return
        mail = self._ws.mail
        self.saver.save(lambda: mail.set_pacing(text), self.pacing_error, self._saved)

    def _domain_cap_edited(self, text: str) -> None:
        if text == self._saved_hygiene[1] and not self.saver.holds(self.domain_cap_error):
            return
        mail = self._ws.mail
        self.saver.save(lambda: mail.set_domain_cap(text), self.domain_cap_error, self._saved)

    def _window_edited(self) -> None:
        try:
            text = self.window_editor.text()
            canonical = str(parse_window(text))
        except InputError as exc:
            self.saver.refuse(self.window_error, exc)
            return
        if canonical == self._saved_window and not self.saver.holds(self.window_error):
            return
        mail = self._ws.mail
        self.saver.save(lambda: mail.set_sending_window(text), self.window_error, self._saved)

    def _cap_edited(self) -> None:
        cap = self.cap_spin.value()
        if cap == self._saved_cap and not self.saver.holds(self.cap_error):
            return
        mail = self._ws.mail
        self.saver.save(lambda: mail.set_daily_cap(cap), self.cap_error, self._saved)

    def _saved(self, _result: object) -> None:
        self.saved.emit()
