"""The mailbox card: sign in with Microsoft (browser and device code) or Google against the
local authorization server, cancel a sign-in, sign out, the needs-sign-in banner, the server
forms' login line, and the status bar's "Mail: sign in again"."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from PySide6.QtWidgets import QStatusBar
from pytestqt.qtbot import QtBot

from app.workspace import Workspace
from tests.keyring_fakes import MemoryKeyring, use_keyring
from tests.mail.oauth.auth_server import (
    GOOGLE_CLIENT,
    GOOGLE_SECRET,
    MICROSOFT_CLIENT,
    AuthServer,
    AuthState,
)
from tests.mail.oauth.conftest import ACCOUNT, Browser
from tests.mail.test_sender_dns import FakeDns
from tests.ui.conftest import ASYNC_GUI, until
from tests.ui.email.test_pane import shown
from ui.email.pane import EmailPane
from ui.runtime.bridge import EventBridge
from ui.status_bar import StatusItems


@pytest.fixture
def keyring_in_memory(monkeypatch: pytest.MonkeyPatch) -> MemoryKeyring:
    backend = MemoryKeyring()
    use_keyring(monkeypatch, backend)
    return backend


@pytest.fixture
def auth_state() -> AuthState:
    return AuthState(account=ACCOUNT)


@pytest.fixture
def auth_server(auth_state: AuthState, monkeypatch: pytest.MonkeyPatch) -> Iterator[AuthServer]:
    server = AuthServer(auth_state)
    monkeypatch.setenv("ESCAPEMENT_OAUTH_URL", server.url)
    for name in ("ESCAPEMENT_MICROSOFT_CLIENT_ID", "ESCAPEMENT_GOOGLE_CLIENT_ID"):
        monkeypatch.delenv(name, raising=False)
    yield server
    server.stop()


@pytest.fixture
def pane(
    workspace: Workspace, bridge: EventBridge, qtbot: QtBot, keyring_in_memory: MemoryKeyring
) -> EmailPane:
    workspace.mail.resolver = FakeDns({}, offline=True)  # no DNS from tests
    widget = EmailPane(workspace, bridge)
    qtbot.addWidget(widget)
    widget.resize(1000, 900)
    widget.show()
    return widget


def settle_first_use(ws: Workspace) -> None:
    """Creates the per-user settings rows before the status bar's readers start: the request
    meter creates one inside a read transaction, which SQLite cannot upgrade while another
    thread writes ("database is locked"; a known bug on main, not the status bar's)."""
    ws.clockwork_settings()
    ws.status()


async def shown_snapshot(pane: EmailPane) -> None:
    await until(lambda: pane.snapshot is not None, what="the first read")


@ASYNC_GUI
async def test_signed_out_offers_the_three_choices_and_password_shows_the_smtp_form(
    pane: EmailPane,
) -> None:
    await shown_snapshot(pane)
    card = pane.signin
    assert card.state == "signed_out"
    assert card.choices.isVisible()
    assert not card.banner.isVisible()
    choices = (card.microsoft_button, card.google_button, card.password_button)
    assert [b.text() for b in choices] == [
        "Sign in with Microsoft",
        "Sign in with Google",
        "Other mail server (password)",
    ]
    assert pane.smtp.password_edit.isVisible()
    card.password_button.click()
    assert pane.smtp.host_edit.hasFocus()


@ASYNC_GUI
async def test_microsoft_sign_in_through_the_browser_fills_the_servers_and_shows_the_account(
    pane: EmailPane, workspace: Workspace, auth_server: AuthServer
) -> None:
    await shown_snapshot(pane)
    card, browser = pane.signin, Browser()
    card.open_url = browser
    card.registration.client_ids["microsoft"].setText(MICROSOFT_CLIENT)
    card.microsoft_button.click()
    assert card.state == "waiting"
    assert "Waiting for the browser" in card.waiting_label.text()
    await until(lambda: card.state == "signed_in", 15, "the sign-in")
    browser.join()
    assert parse_qs(urlsplit(browser.urls[0]).query)["client_id"] == [MICROSOFT_CLIENT]
    assert card.signed_in_label.text() == f"✓ Signed in to Microsoft as {ACCOUNT}"
    await until(lambda: pane.smtp.host_edit.text() == "smtp.office365.com", what="the servers")
    for form in (pane.smtp, pane.imap):
        assert not form.password_edit.isVisible()
        assert f"Signed-in account ({ACCOUNT})" in form.password_state.text()
        assert form.password_title.text() == "Login"
    assert workspace.mail.account().account == ACCOUNT


@ASYNC_GUI
async def test_google_sign_in_takes_the_client_secret_and_forgets_the_typed_copy(
    pane: EmailPane, workspace: Workspace, auth_server: AuthServer
) -> None:
    await shown_snapshot(pane)
    card, browser = pane.signin, Browser()
    card.open_url = browser
    card.registration.client_ids["google"].setText(GOOGLE_CLIENT)
    card.registration.secret_edit.setText(GOOGLE_SECRET)
    card.google_button.click()
    assert not card.use_code_button.isVisible()  # Google has no device flow for mail
    await until(lambda: card.state == "signed_in", 15, "the sign-in")
    assert card.signed_in_label.text() == f"✓ Signed in to Google as {ACCOUNT}"
    assert card.registration.secret_edit.text() == ""
    await until(lambda: workspace.mail.registration("google").has_client_secret)
    await until(lambda: card.registration.secret_edit.placeholderText().startswith("Saved"))


@ASYNC_GUI
async def test_cancel_ends_the_wait_and_closes_the_loopback_listener(
    pane: EmailPane, auth_server: AuthServer
) -> None:
    await shown_snapshot(pane)
    card, urls = pane.signin, list[str]()
    card.open_url = urls.append  # a browser the user never finishes in
    card.registration.client_ids["microsoft"].setText(MICROSOFT_CLIENT)
    card.microsoft_button.click()
    await until(lambda: bool(urls), what="the authorization URL")
    card.cancel_button.click()
    await until(lambda: card.state == "signed_out", what="the cancel")
    assert card.choices.isVisible()
    port = urlsplit(parse_qs(urlsplit(urls[0]).query)["redirect_uri"][0]).port
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), 1).close()


@ASYNC_GUI
async def test_use_a_code_instead_shows_the_code_and_signs_in_once_approved(
    pane: EmailPane, auth_server: AuthServer, auth_state: AuthState
) -> None:
    await shown_snapshot(pane)
    card = pane.signin
    card.open_url = lambda _url: True
    card.registration.client_ids["microsoft"].setText(MICROSOFT_CLIENT)
    card.microsoft_button.click()
    assert card.use_code_button.isVisible()
    card.use_code_button.click()
    await until(lambda: card.code is not None, 10, "the device code")
    assert card.code is not None
    assert card.code.user_code in shown(card.code_label)
    assert card.code.verification_uri in shown(card.code_label)
    assert card.code_label.isVisible()
    assert not card.use_code_button.isVisible()
    auth_state.approve(card.code.user_code)
    await until(lambda: card.state != "waiting", 20, "the device sign-in")
    assert shown(card.error_label) == ""
    assert card.state == "signed_in"


@ASYNC_GUI
async def test_no_client_id_is_refused_and_opens_the_registration(
    pane: EmailPane, auth_server: AuthServer
) -> None:
    await shown_snapshot(pane)
    card = pane.signin
    card.open_url = lambda _url: True
    assert not card.registration.isVisible()
    card.microsoft_button.click()
    await until(lambda: card.error_label.isVisible(), what="the refusal")
    assert card.state == "signed_out"
    assert card.registration.isVisible()
    assert "client ID" in shown(card.error_label)


@ASYNC_GUI
async def test_preset_registration_shows_read_only(
    pane: EmailPane, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ESCAPEMENT_MICROSOFT_CLIENT_ID", MICROSOFT_CLIENT)
    pane.reload()
    await until(lambda: pane.signin.registration.client_ids["microsoft"].text() != "")
    form = pane.signin.registration
    assert form.client_ids["microsoft"].text() == MICROSOFT_CLIENT
    assert form.client_ids["microsoft"].isReadOnly()
    assert not form.preset_labels["microsoft"].isHidden()
    assert form.preset_labels["google"].isHidden()


@ASYNC_GUI
async def test_refused_sign_in_shows_the_red_banner_then_sign_out_returns_to_the_choices(
    pane: EmailPane,
    workspace: Workspace,
    bridge: EventBridge,
    auth_server: AuthServer,
    keyring_in_memory: MemoryKeyring,
) -> None:
    await shown_snapshot(pane)
    settle_first_use(workspace)
    bar = QStatusBar()
    items = StatusItems(workspace, bridge, bar)
    await workspace.mail.sign_in("microsoft", client_id=MICROSOFT_CLIENT, show_url=Browser())
    await until(lambda: pane.signin.state == "signed_in", what="the event")
    workspace.mail.mark_needs_signin()  # what a refused refresh token does
    card = pane.signin
    await until(lambda: card.state == "needs_signin", what="the banner")
    assert card.banner.isVisible()
    assert not card.choices.isVisible()
    assert f"Microsoft no longer accepts the sign-in for {ACCOUNT}" in shown(card.banner_label)
    assert card.again_button.text() == "Sign in again"
    await until(lambda: items.mail_label.text() == "Mail: sign in again", what="the bar")
    assert items.mail_label.property("problem") is True
    items.show_mail([], 3)  # a pass reporting nothing wrong does not hide it
    assert items.mail_label.text() == "Mail: sign in again"
    card.open_url = browser = Browser()
    card.again_button.click()  # the same provider, with the client ID it signed in with
    await until(lambda: card.state == "signed_in", 15, "signed in again")
    assert parse_qs(urlsplit(browser.urls[0]).query)["client_id"] == [MICROSOFT_CLIENT]
    await until(lambda: not items.needs_signin, what="the bar's sign-in state")
    await until(items.mail_label.isHidden, what="the bar's mail item hidden")
    workspace.mail.mark_needs_signin()
    await until(lambda: card.state == "needs_signin")
    card.sign_out()
    await until(lambda: card.state == "signed_out", what="the sign-out")
    assert not any("refresh" in name for _s, name in keyring_in_memory.entries)
    await until(pane.smtp.password_edit.isVisible, what="the password field back")
    bar.deleteLater()


@ASYNC_GUI
async def test_status_bar_reads_the_state_at_start(
    workspace: Workspace,
    bridge: EventBridge,
    auth_server: AuthServer,
    keyring_in_memory: MemoryKeyring,
) -> None:
    await workspace.mail.sign_in("microsoft", client_id=MICROSOFT_CLIENT, show_url=Browser())
    workspace.mail.mark_needs_signin()
    settle_first_use(workspace)
    bar = QStatusBar()
    items = StatusItems(workspace, bridge, bar)
    await until(lambda: items.needs_signin, what="the first read")
    assert items.mail_label.text() == "Mail: sign in again"
    await workspace.mail.sign_in("microsoft", client_id=MICROSOFT_CLIENT, show_url=Browser())
    await until(lambda: not items.needs_signin, what="signed in again")
    bar.deleteLater()
