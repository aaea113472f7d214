"""The connection card: the state of the link to Clockwork, and connect, test and disconnect.

Not connected (or keys rejected): the connect form. Connected: "Connected to Clockwork (firm)",
the key fields collapse, and Test connection and Disconnect take their place.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QMessageBox, QVBoxLayout, QWidget

from app.api import ConnectionState, ConnectionStatus, EscapementError
from app.workspace import Workspace
from ui.integration.connect_form import ConnectForm
from ui.integration.text import EXPLANATION, KEYS_LINK, KEYS_NOT_DELETED
from ui.runtime.async_action import AsyncAction
from ui.runtime.task_runner import TaskRunner
from ui.widgets.basic import button, destructive_confirm, label, named, repolish

#: Statuses that need new keys, so the form shows.
NEEDS_KEYS = (ConnectionStatus.NOT_CONNECTED, ConnectionStatus.KEYS_REJECTED)
PROBLEMS = (ConnectionStatus.KEYS_REJECTED, ConnectionStatus.OFFLINE)


class ConnectionCard(QFrame):
    #: The user asked for the connect form (to enter new keys): the pane scrolls to it.
    keysRequested = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self._ws = workspace
        self._editing_keys = False
        self._runner = TaskRunner(self)
        self.check_action = AsyncAction(self)
        self.check_action.busyChanged.connect(self._show_checking)
        self.state_label = label("", "connectionState")
        self.message_label = label("", "subtle", wrap=True)
        # Beside the rejected-keys pause, which names no pane (the CLI shows it too).
        self.keys_link = label(KEYS_LINK, "keysLink")
        self.keys_link.setTextFormat(Qt.TextFormat.RichText)
        self.keys_link.linkActivated.connect(lambda _href: self.open_connect_form())
        self.keys_link.hide()
        self.form = ConnectForm(workspace)
        self.form.connected.connect(self._connected)
        self.test_button = button("Test connection", on_click=self.test_connection)
        self.keys_button = button("Enter new keys…", on_click=self._edit_keys)
        self.disconnect_button = button("Disconnect…", "dangerButton")
        self.disconnect_button.clicked.connect(self.ask_disconnect)
        self.result_label = label("", "successLabel", wrap=True)
        self.result_label.hide()
        self.confirm: QMessageBox | None = None
        self._build()

    def _build(self) -> None:
        actions = QHBoxLayout()
        actions.addWidget(self.test_button)
        actions.addWidget(self.keys_button)
        actions.addStretch(1)
        actions.addWidget(self.disconnect_button)
        self.action_row = named(QWidget(), "connectionActions")
        self.action_row.setLayout(actions)
        actions.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 24)
        layout.setSpacing(12)
        message_row = QHBoxLayout()
        message_row.setSpacing(12)
        message_row.addWidget(self.message_label, 1)
        message_row.addWidget(self.keys_link, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.state_label)
        layout.addLayout(message_row)
        layout.addWidget(label(EXPLANATION, "subtle", wrap=True))
        layout.addWidget(self.form)
        layout.addWidget(self.action_row)
        layout.addWidget(self.result_label)

    def reload(self) -> None:
        state = self._ws.connection_state()
        self.state_label.setText(state.label)
        self.state_label.setProperty("connected", state.status is ConnectionStatus.CONNECTED)
        self.state_label.setProperty("problem", state.status in PROBLEMS)
        repolish(self.state_label)
        self.message_label.setObjectName("errorLabel" if state.status in PROBLEMS else "subtle")
        repolish(self.message_label)
        self.message_label.setText(state.message)
        self.message_label.setVisible(bool(state.message))
        self.keys_link.setVisible(state.status is ConnectionStatus.KEYS_REJECTED)
        linked = state.firm is not None
        self.form.setVisible(state.status in NEEDS_KEYS or self._editing_keys or not linked)
        self.form.prefill(state.firm)
        self.action_row.setVisible(linked)
        # Working keys can be replaced (or the replacing called off); missing ones cannot.
        self.keys_button.setVisible(linked and state.status not in NEEDS_KEYS)
        self.keys_button.setText(
            "Keep the current keys" if self._editing_keys else "Enter new keys…"
        )

    # --- actions --------------------------------------------------------------------------

    def _connected(self, _firm: str) -> None:
        self._editing_keys = False
        self._show_result(True, "Clockwork accepted the keys. Contacts can sync now.")
        self.reload()

    def open_connect_form(self) -> None:
        """Show the connect form (for new keys) with the cursor in its first key field."""
        if not self.form.isVisible() and self.keys_button.isVisible():
            self._editing_keys = True
            self.reload()
        first_key = self.form.edits["API Key"]
        first_key.setFocus(Qt.FocusReason.OtherFocusReason)
        self.keysRequested.emit()

    def _edit_keys(self) -> None:
        self._editing_keys = not self._editing_keys
        self.result_label.hide()
        self.reload()

    def test_connection(self) -> None:
        self.result_label.hide()
        self.check_action.start(self._ws.check_connection, self._checked)

    def _checked(self, state: ConnectionState) -> None:
        if state.status is ConnectionStatus.CONNECTED:
            self._show_result(True, f"Clockwork answered: the keys for {state.firm} work.")
        else:
            self._show_result(False, state.message or state.label)
        self.reload()

    def _show_checking(self, busy: bool) -> None:
        self.test_button.setEnabled(not busy)
        self.test_button.setText("Testing…" if busy else "Test connection")

    def _show_result(self, ok: bool, text: str, name: str = "") -> None:
        self.result_label.setObjectName(name or ("successLabel" if ok else "errorLabel"))
        self.result_label.setText(escape(text))
        repolish(self.result_label)
        self.result_label.show()

    def ask_disconnect(self) -> None:
        if self.confirm is not None:
            return  # already asking
        firm = self._ws.connection_state().firm or "Clockwork"
        box = destructive_confirm(
            self,
            "Disconnect",
            f"Disconnect from {firm}?",
            "Escapement removes the keys from this computer's keyring and stops syncing. "
            "Your settings and everything already in Clockwork stay.",
            "Disconnect",
            self._disconnect_confirmed,
        )

        def decided(_result: int) -> None:
            self.confirm = None
            box.deleteLater()

        box.finished.connect(decided)
        self.confirm = box
        box.open()

    def _disconnect_confirmed(self) -> None:
        self.disconnect_button.setEnabled(False)
        # The keyring may answer slowly (D-Bus): off the GUI thread.
        self._runner.submit(self._ws.disconnect_clockwork, self._disconnected, self._fail)

    def _disconnected(self, keyring_problem: str | None) -> None:
        self.disconnect_button.setEnabled(True)
        self._editing_keys = False
        self.result_label.hide()
        self.reload()
        if keyring_problem is not None:  # unlinked all the same; the keys may still be saved
            self._show_result(False, f"{KEYS_NOT_DELETED} {keyring_problem}", "warningLabel")

    def _fail(self, exc: Exception) -> None:
        self.disconnect_button.setEnabled(True)
        if not isinstance(exc, EscapementError):
            raise exc
        self._show_result(False, f"{exc.title}. {exc.message}")
