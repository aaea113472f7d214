"""The Integration pane: connecting (and each way it can fail), testing, disconnecting."""

from __future__ import annotations

from dataclasses import replace

import httpx
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from app.clockwork.domain_input import InvalidDomain
from app.clockwork.errors import AuthError, FirmNotFound, ForbiddenError, Unreachable
from app.errors import SecretStoreUnavailable
from app.sandbox.seed import DEMO_CREDENTIALS as GOOD
from app.store import open_store
from app.workspace import Workspace
from tests.keyring_fakes import use_keyring
from tests.ui.conftest import ASYNC_GUI, Sandbox, retire, until
from ui.integration.connect_form import FIELDS
from ui.integration.pane import IntegrationPane
from ui.runtime.bridge import EventBridge


def texts(pane: IntegrationPane) -> list[str]:
    return [label.text() for label in pane.findChildren(QLabel)]


def make_pane(ws: Workspace, bridge: EventBridge, qtbot: QtBot) -> IntegrationPane:
    pane = IntegrationPane(ws, bridge)
    qtbot.addWidget(pane)
    pane.resize(1000, 900)
    pane.show()
    return pane


def fill(pane: IntegrationPane, domain: str, api: str, secret: str, firm_key: str) -> None:
    for name, value in zip(FIELDS, (domain, api, secret, firm_key), strict=True):
        pane.connection.form.edits[name].setText(value)


GOOD_VALUES = (GOOD.firm, GOOD.api_key, GOOD.secret_key, GOOD.firm_service_key)


def test_not_connected_shows_the_form_and_where_to_find_the_keys(
    workspace: Workspace, bridge: EventBridge, qtbot: QtBot
) -> None:
    pane = make_pane(workspace, bridge, qtbot)
    form = pane.connection.form
    assert pane.connection.state_label.text() == "Not connected to Clockwork"
    assert form.isVisible()
    assert list(form.edits) == ["Clockwork Domain", "API Key", "Secret Key", "Firm Service Key"]
    masked = [n for n, e in form.edits.items() if e.echoMode() == QLineEdit.EchoMode.Password]
    assert masked == ["API Key", "Secret Key", "Firm Service Key"]
    help_text = form.help_label.text()
    for words in ("Profile", "API Keys", "Create", "Download", "only this once", "Firm Settings"):
        assert words in help_text
    assert "Never share" in help_text
    assert not pane.connection.action_row.isVisible()  # no Test or Disconnect yet
    qtbot.waitUntil(lambda: pane.settings.loaded)  # the settings are read off the GUI thread
    assert not pane.settings.body.isEnabled()
    assert pane.settings.reason_label.isVisible()


@ASYNC_GUI
async def test_connect_shows_a_busy_state_then_the_firm(sandbox: Sandbox, qtbot: QtBot) -> None:
    pane = make_pane(sandbox.ws, sandbox.bridge, qtbot)
    form = pane.connection.form
    sandbox.knobs.latency_ms = 150  # long enough to see the busy state
    fill(pane, *GOOD_VALUES)
    qtbot.mouseClick(form.connect_button, Qt.MouseButton.LeftButton)
    assert not form.connect_button.isEnabled()
    assert form.connect_button.text() == "Connecting…"
    assert form.busy.isVisible()
    qtbot.mouseClick(form.connect_button, Qt.MouseButton.LeftButton)  # a double click: ignored
    await until(lambda: not form.action.busy)
    assert pane.connection.state_label.text() == "Connected to Clockwork (demo)"
    assert sandbox.ws.connection_state().firm == "demo"
    assert not form.isVisible()  # the key fields collapse
    assert pane.connection.test_button.isVisible()
    assert pane.connection.disconnect_button.isVisible()
    assert all(not form.edits[name].text() for name in FIELDS[1:])
    await until(pane.settings.body.isEnabled)
    checks = [e for e in sandbox.state.journal.entries() if e.path.endswith("/people")]
    assert len(checks) == 1  # one connect request, not two


@ASYNC_GUI
@pytest.mark.parametrize(
    ("values", "error"),
    [
        ((GOOD.firm, "wrong-key", GOOD.secret_key, GOOD.firm_service_key), AuthError),
        ((GOOD.firm, GOOD.api_key, "wrong-secret", GOOD.firm_service_key), AuthError),
        ((GOOD.firm, GOOD.api_key, GOOD.secret_key, "wrong-firm-key"), ForbiddenError),
        (("no-such-firm", GOOD.api_key, GOOD.secret_key, GOOD.firm_service_key), FirmNotFound),
        (("https://evil.example.com/x", *GOOD_VALUES[1:]), InvalidDomain),
    ],
    ids=["401-key", "401-secret", "403-firm-service-key", "unknown-firm", "invalid-domain"],
)
async def test_each_refusal_has_its_own_message(
    sandbox: Sandbox, qtbot: QtBot, values: tuple[str, str, str, str], error: type[Exception]
) -> None:
    pane = make_pane(sandbox.ws, sandbox.bridge, qtbot)
    form = pane.connection.form
    fill(pane, *values)
    form.connect_clockwork()
    await until(form.error_label.isVisible)
    assert f"<b>{error.title}</b>" in form.error_label.text()  # type: ignore[attr-defined]
    assert form.connect_button.isEnabled()
    assert pane.connection.state_label.text() == "Not connected to Clockwork"
    assert not form.session_button.isVisible()
    assert sandbox.ws.connection_state().firm is None
    form.edits["API Key"].setText("x")
    qtbot.keyClick(form.edits["API Key"], Qt.Key.Key_A)  # typing clears the complaint
    assert not form.error_label.isVisible()


class Offline(httpx.AsyncBaseTransport):
    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route to host", request=request)


@ASYNC_GUI
async def test_unreachable_says_so(tmp_path: object, qtbot: QtBot) -> None:
    ws = Workspace(open_store(f"sqlite:///{tmp_path}/o.db"), transport=Offline())
    bridge = EventBridge(ws.bus, batch_ms=20)
    try:
        pane = make_pane(ws, bridge, qtbot)
        fill(pane, *GOOD_VALUES)
        pane.connection.form.connect_clockwork()
        await until(pane.connection.form.error_label.isVisible)
        assert Unreachable.title in pane.connection.form.error_label.text()
    finally:
        retire(bridge)
        await ws.aclose()
        ws.close()


@ASYNC_GUI
async def test_without_a_keyring_it_offers_this_session_only(
    sandbox: Sandbox, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_keyring(monkeypatch, fail.Keyring())
    pane = make_pane(sandbox.ws, sandbox.bridge, qtbot)
    form = pane.connection.form
    fill(pane, *GOOD_VALUES)
    form.connect_clockwork()
    await until(form.error_label.isVisible)
    assert SecretStoreUnavailable.title in form.error_label.text()
    assert form.session_button.isVisible()
    assert sandbox.state.journal.entries() == []  # asked before sending the keys anywhere
    qtbot.mouseClick(form.session_button, Qt.MouseButton.LeftButton)
    # The connect's own task ends after the workspace announced the link; it must end (and
    # start its follow-ups) while the test's loop still runs.
    await until(lambda: not form.action.busy, what="the connect to finish")
    await until(lambda: pane.connection.state_label.text() == "Connected to Clockwork (demo)")
    assert not form.error_label.isVisible()


@ASYNC_GUI
async def test_test_connection_and_disconnect(sandbox: Sandbox, qtbot: QtBot) -> None:
    await sandbox.connect()
    pane = make_pane(sandbox.ws, sandbox.bridge, qtbot)
    card = pane.connection
    assert not card.form.isVisible()
    qtbot.mouseClick(card.keys_button, Qt.MouseButton.LeftButton)  # to replace the keys
    assert card.form.isVisible()
    assert card.form.domain_edit.text() == "demo"
    assert card.keys_button.text() == "Keep the current keys"
    qtbot.mouseClick(card.keys_button, Qt.MouseButton.LeftButton)  # changed their mind
    assert not card.form.isVisible()
    qtbot.mouseClick(card.test_button, Qt.MouseButton.LeftButton)
    assert card.test_button.text() == "Testing…"
    await until(card.result_label.isVisible)
    assert card.result_label.objectName() == "successLabel"
    assert "keys for demo work" in card.result_label.text()
    qtbot.mouseClick(card.disconnect_button, Qt.MouseButton.LeftButton)
    box = card.confirm
    assert isinstance(box, QMessageBox)
    await until(box.isVisible)
    assert "keyring" in box.informativeText()
    confirm = next(b for b in box.buttons() if b.text() == "Disconnect")
    qtbot.mouseClick(confirm, Qt.MouseButton.LeftButton)
    await until(lambda: card.state_label.text() == "Not connected to Clockwork")
    assert sandbox.ws.connection_state().firm is None
    assert card.form.isVisible()
    assert card.form.domain_edit.text() == "demo"  # prefilled from the firm it was linked to
    await until(lambda: not pane.settings.body.isEnabled())


@ASYNC_GUI
async def test_rejected_keys_show_the_form_again_in_red(sandbox: Sandbox, qtbot: QtBot) -> None:
    await sandbox.connect()
    pane = make_pane(sandbox.ws, sandbox.bridge, qtbot)
    assert not pane.connection.form.isVisible()
    # Someone deleted the key in Clockwork: the sandbox now expects another one.
    sandbox.state.credentials = replace(sandbox.state.credentials, api_key="rotated-key")
    state = await sandbox.ws.check_connection()
    assert state.status.value == "keys_rejected"
    await until(pane.connection.form.isVisible)
    assert pane.connection.state_label.property("problem") is True
    message = pane.connection.message_label
    assert "Profile → API Keys" in message.text()
    assert message.objectName() == "errorLabel"
