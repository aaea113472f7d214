"""What a sequence sends besides its steps: the opt-out line under every email, and the red
banner of a sequence that paused itself (too many hard bounces) with its Resume button.

Both are read with `sequence_hygiene` and written off the GUI thread; the Steps tab places
them and re-renders its preview when the line changes.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QFrame, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from app.api import DEFAULT_FOOTER, EscapementError
from app.api import SequenceHygiene as Hygiene
from app.workspace import Workspace
from ui.runtime.inline_saver import InlineSaver, error_label, show_error, show_saved
from ui.runtime.task_runner import TaskRunner
from ui.widgets.accessible import described
from ui.widgets.basic import button, label

FOOTER_HINT = "Added under every email this sequence sends, after the signature."


class PauseBanner(QFrame):
    """Why the sequence stopped sending by itself, and the way to start it again."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pauseBanner")
        self.reason_label = label("", "pauseReason", wrap=True)
        self.reason_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.resume_button = described(
            button("Resume"), "Resume sequence", "Start sending this sequence again"
        )
        self.error_label = error_label()
        row = QHBoxLayout()
        row.setSpacing(12)
        row.addWidget(self.reason_label, 1)
        row.addWidget(self.resume_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(6)
        layout.addLayout(row)
        layout.addWidget(self.error_label)
        self.hide()

    def show_reason(self, reason: str | None) -> None:
        self.reason_label.setText(reason or "")
        self.setAccessibleName(reason or "")
        self.setVisible(bool(reason))


class FooterRow(QWidget):
    """The opt-out line: on or off, and its words; each change is saved at once."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = described(QCheckBox("Add an opt-out line"), "Add an opt-out line", FOOTER_HINT)
        self.text_edit = described(
            QLineEdit(DEFAULT_FOOTER), "Opt-out line", "The words under every email"
        )
        self.error_label = error_label()
        row = QHBoxLayout()
        row.setSpacing(12)
        row.addWidget(self.check)
        row.addWidget(self.text_edit, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(row)
        layout.addWidget(label(FOOTER_HINT, "hint", wrap=True))
        layout.addWidget(self.error_label)
        self.set_enabled_text(False)

    def set_enabled_text(self, on: bool) -> None:
        self.text_edit.setEnabled(on)


class HygieneControls(QObject):
    """Reads and writes one sequence's footer and pause for the widgets above. Answers for a
    sequence no longer shown, or older than the newest read, are dropped."""

    #: The opt-out line was saved: what the preview shows has changed.
    footerSaved = Signal()

    def __init__(self, workspace: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._reader = TaskRunner(self)
        self.saver = InlineSaver(self)
        self._resumer = TaskRunner(self)
        self._reads = 0
        self.sequence_id: int | None = None
        self.shown: Hygiene | None = None
        self.banner = PauseBanner()
        self.footer = FooterRow()
        self.footer.check.toggled.connect(self._toggled)
        self.footer.text_edit.editingFinished.connect(self._text_done)
        self.banner.resume_button.clicked.connect(self.resume)

    @property
    def loaded(self) -> bool:
        return self.shown is not None and not self._reader.busy

    # --- reading ---------------------------------------------------------------------------

    def show_sequence(self, sequence_id: int) -> None:
        if sequence_id != self.sequence_id:
            self.sequence_id, self.shown = sequence_id, None
            self.footer.error_label.hide()
            self.banner.error_label.hide()
            self.footer.text_edit.setModified(False)
        self.reload()

    def reload(self) -> None:
        seq = self.sequence_id
        if seq is None:
            return
        self._reads += 1
        token = self._reads
        self._reader.submit(
            lambda: self._ws.mail.sequence_hygiene(seq),
            lambda found: self._show(token, seq, found),
            lambda exc: self._read_refused(exc),
        )

    def _read_refused(self, exc: Exception) -> None:
        if not isinstance(exc, EscapementError):
            raise exc  # a bug: the excepthook shows it
        # The sequence went meanwhile: the pane moves on by itself.

    def _show(self, token: int, seq: int, found: Hygiene) -> None:
        if token != self._reads or seq != self.sequence_id:
            return
        self.shown = found
        self.banner.show_reason(found.paused_reason)
        check = self.footer.check
        if check.isChecked() != found.footer_enabled and not self.saver.busy:
            check.blockSignals(True)
            check.setChecked(found.footer_enabled)
            check.blockSignals(False)
        self.footer.set_enabled_text(check.isChecked())
        held = self.saver.holds(self.footer.error_label)
        show_saved(self.footer.text_edit, found.footer_text or DEFAULT_FOOTER, held)

    # --- writing ---------------------------------------------------------------------------

    def _toggled(self, on: bool) -> None:
        self.footer.set_enabled_text(on)
        self._save(enabled=on, text=self.footer.text_edit.text())

    def _text_done(self) -> None:
        edit = self.footer.text_edit
        if not edit.isModified():
            return
        edit.setModified(False)
        self._save(enabled=None, text=edit.text())

    def _save(self, *, enabled: bool | None, text: str) -> None:
        seq = self.sequence_id
        if seq is None:
            return
        self.saver.save(
            lambda: self._ws.mail.set_footer(seq, enabled=enabled, text=text),
            self.footer.error_label,
            lambda found: self._saved(seq, found),
        )

    def _saved(self, seq: int, found: Hygiene) -> None:
        if seq == self.sequence_id:
            self._reads += 1  # an older read in flight must not undo this answer
            self._show(self._reads, seq, found)
            self.footerSaved.emit()

    def resume(self) -> None:
        seq = self.sequence_id
        if seq is None:
            return
        self.banner.resume_button.setEnabled(False)
        self.banner.error_label.hide()
        self._resumer.submit(
            lambda: self._ws.mail.resume_sequence(seq),
            lambda _was: self._resumed(seq),
            lambda exc: self._resume_failed(exc),
        )

    def _resumed(self, seq: int) -> None:
        self.banner.resume_button.setEnabled(True)
        if seq == self.sequence_id:
            self.reload()

    def _resume_failed(self, exc: Exception) -> None:
        self.banner.resume_button.setEnabled(True)
        if not isinstance(exc, EscapementError):
            raise exc
        show_error(self.banner.error_label, exc)
