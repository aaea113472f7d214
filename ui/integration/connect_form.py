"""The connect form: the four values the Clockwork guide names, and where to find them.

Connecting checks the keys with one request before anything is saved, so it runs as an asyncio
task while the button shows a busy state. Each refusal (wrong key or secret, wrong firm service
key, unknown firm, unreachable, a domain that is not one) is shown under the form in
Clockwork's own words. Without a keyring the user may connect for this session only.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from app.api import EscapementError, SecretStoreUnavailable
from app.workspace import Workspace
from ui.integration.text import DOMAIN_PLACEHOLDER, KEY_HELP, SESSION_ONLY_HINT
from ui.runtime.async_action import AsyncAction
from ui.widgets.basic import button, label, named

FIELDS = ("Clockwork Domain", "API Key", "Secret Key", "Firm Service Key")


class ConnectForm(QWidget):
    connected = Signal(str)  # the firm

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self.action = AsyncAction(self)
        self.action.busyChanged.connect(self._show_busy)
        self.edits = {name: QLineEdit() for name in FIELDS}
        self.domain_edit = self.edits["Clockwork Domain"]
        self.domain_edit.setPlaceholderText(DOMAIN_PLACEHOLDER)
        for name in FIELDS[1:]:
            self.edits[name].setEchoMode(QLineEdit.EchoMode.Password)
            self.edits[name].setPlaceholderText("Paste the key")
        for edit in self.edits.values():
            edit.returnPressed.connect(lambda: self.connect_clockwork())
            edit.textEdited.connect(lambda _t: self._clear_error())
        self.connect_button = button(
            "Connect", "primaryButton", on_click=lambda: self.connect_clockwork()
        )
        self.session_button = button(
            "Connect for this session only", on_click=lambda: self.connect_clockwork(False)
        )
        self.session_button.hide()
        self.busy = named(QProgressBar(), "busyBar")
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.error_label = label("", "errorLabel", wrap=True)
        self.error_label.setTextFormat(Qt.TextFormat.RichText)
        self.error_label.hide()
        self.help_label = label(KEY_HELP, "keyHelp", wrap=True)
        self.help_label.setTextFormat(Qt.TextFormat.RichText)
        self._build()

    def _build(self) -> None:
        form = QFormLayout()
        form.setHorizontalSpacing(18)
        form.setVerticalSpacing(10)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name, edit in self.edits.items():
            form.addRow(name, edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.connect_button)
        buttons.addWidget(self.session_button)
        buttons.addStretch(1)
        left = QVBoxLayout()
        left.setSpacing(12)
        left.addLayout(form)
        left.addLayout(buttons)
        left.addWidget(self.busy)
        left.addWidget(self.error_label)
        left.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(24)
        layout.addLayout(left, 3)
        layout.addWidget(self.help_label, 2, Qt.AlignmentFlag.AlignTop)

    # --- what the card uses ---------------------------------------------------------------

    def prefill(self, firm: str | None) -> None:
        if firm and not self.domain_edit.text():
            self.domain_edit.setText(firm)

    def values(self) -> tuple[str, str, str, str]:
        domain, api_key, secret, firm_key = (self.edits[name].text() for name in FIELDS)
        return domain, api_key, secret, firm_key

    # --- connecting -----------------------------------------------------------------------

    def connect_clockwork(self, remember: bool = True) -> None:
        """Not a slot for clicked(bool): that would pass `checked` as `remember`."""
        values = self.values()
        self._clear_error()
        self.action.start(
            lambda: self._ws.connect_clockwork(*values, remember=remember),
            self._connected,
            self._failed,
        )

    def _connected(self, firm: str) -> None:
        for name in FIELDS[1:]:
            self.edits[name].clear()  # the keys live in the keyring now, not in a widget
        self.session_button.hide()
        self.connected.emit(firm)

    def _failed(self, exc: EscapementError) -> None:
        text = f"<b>{escape(exc.title)}</b><br>{escape(exc.message)}"
        no_keyring = isinstance(exc, SecretStoreUnavailable)
        if no_keyring:
            text += f"<br><br>{escape(SESSION_ONLY_HINT)}"
        self.error_label.setText(text)
        self.error_label.show()
        self.session_button.setVisible(no_keyring)

    def _clear_error(self) -> None:
        self.error_label.hide()

    def _show_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.connect_button.setText("Connecting…" if busy else "Connect")
        for each in (self.connect_button, self.session_button, *self.edits.values()):
            each.setEnabled(not busy)
