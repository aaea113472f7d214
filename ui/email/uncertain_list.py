"""Uncertain emails: sends Escapement could neither confirm nor rule out, one row each, with
"It was sent" and "Send it again". The user's answer goes to `resolve_uncertain`.
"""

from __future__ import annotations

from datetime import UTC
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app.api import UncertainSend
from app.workspace import Workspace
from ui.email import text as words
from ui.runtime.inline_saver import InlineSaver, error_label
from ui.widgets.basic import button, label


class UncertainRow(QFrame):
    def __init__(self, send: UncertainSend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("uncertainRow")
        self.send = send
        self.sent_button = button("It was sent")
        self.again_button = button("Send it again")
        what = label(f"<b>{escape(send.email)}</b>", wrap=True)
        what.setTextFormat(Qt.TextFormat.RichText)
        detail = f"{send.sequence} · step {send.step_index + 1}"
        if send.started_at is not None:
            started = send.started_at.replace(tzinfo=send.started_at.tzinfo or UTC)
            detail += f" · started {started.astimezone():%d %b %H:%M}"
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(what)
        text.addWidget(label(detail, "hint", wrap=True))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(8)
        layout.addLayout(text, 1)
        layout.addWidget(self.sent_button)
        layout.addWidget(self.again_button)

    def buttons(self) -> tuple[QPushButton, QPushButton]:
        return self.sent_button, self.again_button


class UncertainList(QWidget):
    resolved = Signal()  # an answer reached the core: the pane re-reads the list

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self.saver = InlineSaver(self)
        self.rows: dict[int, UncertainRow] = {}
        self.explanation = label(words.UNCERTAIN_EXPLANATION, "hint", wrap=True)
        self.empty_label = label(words.UNCERTAIN_EMPTY, "subtle", wrap=True)
        self.error_label = error_label()
        self._rows_box = QVBoxLayout()
        self._rows_box.setSpacing(6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(label("Uncertain emails", "fieldTitle"))
        layout.addWidget(self.explanation)
        layout.addWidget(self.empty_label)
        layout.addLayout(self._rows_box)
        layout.addWidget(self.error_label)
        self.show_sends([])

    def show_sends(self, sends: list[UncertainSend]) -> None:
        for row in self.rows.values():
            self._rows_box.removeWidget(row)
            row.deleteLater()
        self.rows = {}
        for send in sends:
            row = UncertainRow(send)
            row.sent_button.clicked.connect(lambda _c=False, r=row: self.resolve(r, True))
            row.again_button.clicked.connect(lambda _c=False, r=row: self.resolve(r, False))
            self._rows_box.addWidget(row)
            self.rows[send.enrollment_id] = row
        self.explanation.setVisible(bool(sends))
        self.empty_label.setVisible(not sends)

    def resolve(self, row: UncertainRow, was_sent: bool) -> None:
        for each in row.buttons():
            each.setEnabled(False)
        mail, enrollment = self._ws.mail, row.send.enrollment_id

        def failed(_exc: object) -> None:
            self.resolved.emit()  # it may have been settled elsewhere: show the list as it is

        self.saver.save(
            lambda: mail.resolve_uncertain(enrollment, was_sent=was_sent),
            self.error_label,
            lambda _r: self.resolved.emit(),
            failed,
        )
