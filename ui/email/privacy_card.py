"""The privacy card: whether email bodies are kept and copied into Clockwork notes."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QFrame, QVBoxLayout, QWidget

from app.workspace import Workspace
from ui.email import text as words
from ui.email.state import MailSnapshot
from ui.runtime.inline_saver import InlineSaver, error_label
from ui.widgets.basic import label


class PrivacyCard(QFrame):
    saved = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self._ws = workspace
        self.saver = InlineSaver(self)
        self.body_box = QCheckBox(words.PRIVACY_CHECKBOX)
        self.body_box.clicked.connect(self._clicked)
        self.error_label = error_label()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 24)
        layout.setSpacing(8)
        layout.addWidget(label("Privacy", "sectionTitle"))
        layout.addSpacing(4)
        layout.addWidget(self.body_box)
        layout.addWidget(label(words.PRIVACY_HINT, "hint", wrap=True))
        layout.addWidget(self.error_label)

    def show_snapshot(self, snap: MailSnapshot) -> None:
        if not self.saver.holds(self.error_label):
            self.body_box.setChecked(snap.settings.include_body_in_notes)

    def _clicked(self, on: bool) -> None:
        mail = self._ws.mail
        self.saver.save(
            lambda: mail.set_include_body(on), self.error_label, lambda _r: self.saved.emit()
        )
