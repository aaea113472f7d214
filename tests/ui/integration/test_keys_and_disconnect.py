"""Issue 12 on the Integration pane: a disconnect whose keyring could not be used says that
the keys were not deleted; rejected keys get an "Enter new keys…" link beside the pause text,
here and in the status bar, which opens the connect form."""

from __future__ import annotations

from dataclasses import replace

import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from tests.keyring_fakes import use_keyring
from tests.ui.conftest import ASYNC_GUI, Sandbox, until
from tests.ui.integration.test_pane import make_pane
from ui.integration.connection_card import ConnectionCard
from ui.integration.text import KEYS_NOT_DELETED
from ui.main_window import MainWindow


async def disconnect(card: ConnectionCard, qtbot: QtBot) -> None:
    card.ask_disconnect()
    box = card.confirm
    assert isinstance(box, QMessageBox)
    await until(box.isVisible)
    confirm = next(b for b in box.buttons() if b.text() == "Disconnect")
    qtbot.mouseClick(confirm, Qt.MouseButton.LeftButton)
    await until(lambda: card.state_label.text() == "Not connected to Clockwork")


@ASYNC_GUI
async def test_a_disconnect_without_a_keyring_says_the_keys_were_not_deleted(
    sandbox: Sandbox, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    await sandbox.connect()
    card = make_pane(sandbox.ws, sandbox.bridge, qtbot).connection
    use_keyring(monkeypatch, fail.Keyring())  # the keyring went away since the connect
    await disconnect(card, qtbot)
    await until(card.result_label.isVisible, what="the warning")
    assert card.result_label.text().startswith(KEYS_NOT_DELETED)
    assert card.result_label.objectName() == "warningLabel"
    assert sandbox.ws.connection_state().firm is None  # unlinked all the same


@ASYNC_GUI
async def test_a_plain_disconnect_says_nothing_more(sandbox: Sandbox, qtbot: QtBot) -> None:
    await sandbox.connect()
    card = make_pane(sandbox.ws, sandbox.bridge, qtbot).connection
    await disconnect(card, qtbot)
    await until(lambda: card.disconnect_button.isEnabled())
    assert not card.result_label.isVisible()


async def reject_keys(sandbox: Sandbox) -> None:
    # Someone deleted the key in Clockwork: the sandbox now expects another one.
    sandbox.state.credentials = replace(sandbox.state.credentials, api_key="rotated-key")
    state = await sandbox.ws.check_connection()
    assert state.status.value == "keys_rejected"


@ASYNC_GUI
async def test_rejected_keys_get_a_link_to_the_connect_form(sandbox: Sandbox, qtbot: QtBot) -> None:
    await sandbox.connect()
    pane = make_pane(sandbox.ws, sandbox.bridge, qtbot)
    card = pane.connection
    assert not card.keys_link.isVisible()
    await reject_keys(sandbox)
    await until(card.keys_link.isVisible, what="the link")
    assert "Integration" not in card.message_label.text()  # the pause names no pane
    assert "Enter new keys…" in card.keys_link.text()
    card.keys_link.linkActivated.emit("keys")
    assert card.form.isVisible()
    assert pane.focusWidget() is card.form.edits["API Key"]


@ASYNC_GUI
async def test_the_status_bar_link_opens_the_integration_panes_connect_form(
    sandbox: Sandbox, qtbot: QtBot
) -> None:
    await sandbox.connect()
    window = MainWindow(sandbox.ws, sandbox.bridge)
    qtbot.addWidget(window)
    window.show()
    window.show_pane("Contacts")
    link = window.status.keys_link
    assert not link.isVisible()
    await reject_keys(sandbox)
    await until(link.isVisible, what="the link in the status bar")
    link.linkActivated.emit("keys")
    assert window.current_pane() == "Integration"
    form = window.integration_pane.connection.form
    assert form.isVisible()
    assert window.focusWidget() is form.edits["API Key"]
