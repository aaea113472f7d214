"""The sender card: the from address, the Pendulum BCC, and what may stop mail going out.

Each field is saved when the user leaves it (or presses Enter), like the sync settings; a
refusal shows under the field, which keeps what was typed. The warnings come from the core
and are re-read after every change, so fixing a setting makes its warning go.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLineEdit, QVBoxLayout, QWidget

from app.workspace import Workspace
from ui.email import text as words
from ui.email.state import MailSnapshot
from ui.runtime.inline_saver import InlineSaver, add_row, error_label, form_layout, show_saved
from ui.widgets.basic import field, label

NO_BCC = {"", "none"}


class SenderCard(QFrame):
    saved = Signal()  # a change reached the core: the pane re-reads the settings

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self._ws = workspace
        self.saver = InlineSaver(self)
        self.warnings_label = label("", "warningLabel", wrap=True)
        self.warnings_label.setTextFormat(Qt.TextFormat.RichText)
        self.warnings_label.hide()
        self.shown_warnings: list[str] = []
        self.from_edit = _edit(words.FROM_PLACEHOLDER)
        self.from_edit.editingFinished.connect(self._from_edited)
        self.from_error = error_label()
        self.bcc_edit = _edit(words.BCC_PLACEHOLDER)
        self.bcc_edit.editingFinished.connect(self._bcc_edited)
        self.bcc_error = error_label()
        self._build()

    def _build(self) -> None:
        form = form_layout()
        add_row(form, "From", field(self.from_edit, words.FROM_HINT, self.from_error))
        add_row(form, "Pendulum BCC", field(self.bcc_edit, words.BCC_HINT, self.bcc_error))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 24)
        layout.setSpacing(12)
        layout.addWidget(label("Sender", "sectionTitle"))
        layout.addWidget(self.warnings_label)
        layout.addLayout(form)

    def show_snapshot(self, snap: MailSnapshot) -> None:
        view = snap.settings
        address = view.from_address
        sender = f"{view.from_name} <{address}>" if view.from_name and address else address
        show_saved(self.from_edit, sender, self.saver.holds(self.from_error))
        show_saved(self.bcc_edit, snap.bcc_address or "", self.saver.holds(self.bcc_error))
        # A table, not a list: a hanging indent without the list's wide left margin.
        rows = "".join(f"<tr><td>•&nbsp;</td><td>{escape(w)}</td></tr>" for w in snap.warnings)
        self.warnings_label.setText(f"<table cellspacing='2'>{rows}</table>")
        self.warnings_label.setAccessibleDescription("\n".join(snap.warnings))
        self.warnings_label.setVisible(bool(snap.warnings))
        self.shown_warnings = list(snap.warnings)

    def _from_edited(self) -> None:
        if not self.from_edit.isModified():
            return
        self.from_edit.setModified(False)
        text = self.from_edit.text()
        mail = self._ws.mail
        self.saver.save(lambda: mail.set_from(text), self.from_error, self._saved)

    def _bcc_edited(self) -> None:
        if not self.bcc_edit.isModified():
            return
        self.bcc_edit.setModified(False)
        text = self.bcc_edit.text().strip()
        address = None if text.lower() in NO_BCC else text
        ws = self._ws
        self.saver.save(lambda: ws.set_bcc_address(address), self.bcc_error, self._saved)

    def _saved(self, _result: object) -> None:
        self.saved.emit()


def _edit(placeholder: str) -> QLineEdit:
    edit = QLineEdit(placeholderText=placeholder)
    edit.setClearButtonEnabled(True)
    edit.setMinimumWidth(380)
    return edit
