"""Send test email: one email through the saved SMTP settings, to prove they work.

It runs as an asyncio task (the SMTP conversation happens in a worker thread), so the window
stays responsive; the button is disabled meanwhile and the outcome is shown under it.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from app.api import EscapementError, InputError
from app.workspace import Workspace
from ui.email import text as words
from ui.runtime.async_action import AsyncAction
from ui.runtime.inline_saver import show_error
from ui.widgets.accessible import described
from ui.widgets.basic import button, label, repolish

SEND_TEXT, SENDING_TEXT = "Send test email", "Sending…"


class SendTestRow(QWidget):
    def __init__(
        self,
        workspace: Workspace,
        unsaved: Callable[[], bool] = lambda: False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._unsaved = unsaved
        self.action = AsyncAction(self)
        self.action.busyChanged.connect(self._show_busy)
        self.to_edit = QLineEdit(placeholderText="To: your from address")
        described(self.to_edit, "Send a test to")
        self.to_edit.setClearButtonEnabled(True)
        self.to_edit.returnPressed.connect(self.send)
        self.send_button = button(SEND_TEXT, on_click=self.send)
        self.result_label = label("", "successLabel", wrap=True)
        self.result_label.setTextFormat(Qt.TextFormat.RichText)
        self.result_label.hide()
        row = QHBoxLayout()
        row.addWidget(self.to_edit, 1)
        row.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(label("Test", "fieldTitle"))
        layout.addWidget(label(words.TEST_HINT, "hint", wrap=True))
        layout.addLayout(row)
        layout.addWidget(self.result_label)

    def set_from_address(self, address: str) -> None:
        hint = f"To: {address} (your from address)" if address else "To: your from address"
        self.to_edit.setPlaceholderText(hint)

    def send(self) -> None:
        to = self.to_edit.text().strip() or None
        self.result_label.hide()
        if self._unsaved():
            self._failed(InputError(words.TEST_SAVE_FIRST, title="Unsaved changes"))
            return
        # A bad address is the core's to refuse (send_test's InputError), in its own words.
        mail = self._ws.mail
        self.action.start(lambda: mail.send_test(to), self._sent, self._failed)

    def _sent(self, address: str) -> None:
        self._show(True, f"Sent to {escape(address)}. Check that it arrived, and not as spam.")

    def _failed(self, exc: EscapementError) -> None:
        self._show(False, "")
        show_error(self.result_label, exc)

    def _show(self, ok: bool, html: str) -> None:
        self.result_label.setObjectName("successLabel" if ok else "errorLabel")
        repolish(self.result_label)
        self.result_label.setText(html)
        self.result_label.setVisible(ok)

    def _show_busy(self, busy: bool) -> None:
        self.send_button.setEnabled(not busy)
        self.send_button.setText(SENDING_TEXT if busy else SEND_TEXT)
