"""Sign-in end to end against the local authorization server: the code flow with PKCE on a
loopback redirect, the device flow, and what a sign-in must refuse."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import httpx
import keyring
import pytest

from app.errors import InputError
from app.mail.facade import MailFacade
from app.mail.oauth.account import AccountState, AuthMethod
from app.mail.oauth.flows import DeviceCode
from app.mail.oauth.providers import ProviderName
from app.mail.oauth.token_endpoint import SignInFailed
from app.secrets import SERVICE
from app.workspace import Workspace
from tests.mail.oauth.auth_server import (
    GOOGLE_CLIENT,
    GOOGLE_SECRET,
    MICROSOFT_CLIENT,
    AuthServer,
    AuthState,
)
from tests.mail.oauth.conftest import ACCOUNT, Browser


def in_thread(work: Callable[[], object]) -> None:
    """The browser is another program: it must not run on the thread that listens."""
    threading.Thread(target=work, daemon=True).start()


def keyring_entries() -> dict[tuple[str, str], str]:
    return dict(keyring.get_keyring().entries)  # type: ignore[attr-defined]


async def test_code_flow_with_pkce_signs_in_and_fills_in_the_servers(
    serverless_mail: MailFacade, auth_server: AuthServer, browser: Browser
) -> None:
    mail = serverless_mail
    view = await mail.sign_in("microsoft", client_id=MICROSOFT_CLIENT, show_url=browser)
    browser.join()

    assert (view.provider, view.account, view.state) == (
        ProviderName.MICROSOFT,
        ACCOUNT,
        AccountState.OK,
    )
    query = parse_qs(urlsplit(browser.urls[0]).query)
    assert query["code_challenge_method"] == ["S256"]
    assert "code_verifier" not in query
    redirect = urlsplit(query["redirect_uri"][0])
    assert (redirect.scheme, redirect.hostname) == ("http", "localhost")
    assert browser.pages[0].status_code == 200
    settings = mail.settings()
    assert (settings.smtp.host, settings.smtp.port, settings.smtp.security.value) == (
        "smtp.office365.com",
        587,
        "starttls",
    )
    assert (settings.imap.host, settings.imap.port) == ("outlook.office365.com", 993)
    assert settings.smtp.user == settings.imap.user == ACCOUNT
    refresh = [v for (service, name), v in keyring_entries().items() if "refresh" in name]
    assert [s for (s, n) in keyring_entries() if "refresh" in n] == [SERVICE]
    assert len(refresh) == 1
    assert refresh[0] in auth_server.auth.refresh
    # One redirect, then the listener is gone.
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", redirect.port), 1).close()


async def test_the_from_address_is_the_account_unless_one_is_set(
    workspace: object, auth_server: AuthServer, browser: Browser
) -> None:
    from app.secrets import SecretStore
    from app.workspace import Workspace

    assert isinstance(workspace, Workspace)
    mail = MailFacade(workspace.store, workspace.bus, workspace.user_id, secrets=SecretStore())
    await mail.sign_in("microsoft", client_id=MICROSOFT_CLIENT, show_url=browser)
    assert mail.settings().from_address == ACCOUNT


async def test_google_signs_in_with_the_desktop_client_secret_kept_in_the_keyring(
    serverless_mail: MailFacade, auth_server: AuthServer, browser: Browser
) -> None:
    view = await serverless_mail.sign_in(
        "google", client_id=GOOGLE_CLIENT, client_secret=GOOGLE_SECRET, show_url=browser
    )
    assert view.provider == ProviderName.GOOGLE
    settings = serverless_mail.settings()
    assert (settings.smtp.host, settings.smtp.port, settings.smtp.security.value) == (
        "smtp.gmail.com",
        465,
        "ssl",
    )
    assert settings.imap.host == "imap.gmail.com"
    assert GOOGLE_SECRET in keyring_entries().values()
    assert serverless_mail.registration("google").has_client_secret


async def test_device_code_flow_signs_in_once_approved(
    serverless_mail: MailFacade, auth_server: AuthServer, auth_state: AuthState
) -> None:
    shown: list[DeviceCode] = []

    def show(code: DeviceCode) -> None:
        shown.append(code)
        auth_state.approve(code.user_code)

    view = await serverless_mail.sign_in_with_device_code(
        "microsoft", client_id=MICROSOFT_CLIENT, show_code=show
    )
    assert view.account == ACCOUNT
    assert view.auth == AuthMethod.OAUTH
    assert shown[0].verification_uri.startswith("https://")
    assert auth_state.grants("urn:ietf:params:oauth:grant-type:device_code") >= 1


async def test_google_has_no_device_flow(
    serverless_mail: MailFacade, auth_server: AuthServer
) -> None:
    with pytest.raises(SignInFailed, match="device code"):
        await serverless_mail.sign_in_with_device_code(
            "google", client_id=GOOGLE_CLIENT, show_code=print
        )


async def test_a_redirect_with_another_state_is_refused_and_nothing_saved(
    serverless_mail: MailFacade, auth_server: AuthServer
) -> None:
    def forged(url: str) -> None:
        redirect = parse_qs(urlsplit(url).query)["redirect_uri"][0]
        in_thread(lambda: httpx.get(f"{redirect}?code=stolen&state=forged", timeout=5))

    with pytest.raises(SignInFailed, match="did not belong"):
        await serverless_mail.sign_in("microsoft", client_id=MICROSOFT_CLIENT, show_url=forged)
    assert serverless_mail.account().state == AccountState.NOT_CONFIGURED
    assert not [n for (_, n) in keyring_entries() if "refresh" in n]


async def test_consent_refused_in_the_browser_says_so(
    serverless_mail: MailFacade, auth_server: AuthServer
) -> None:
    def deny(url: str) -> None:
        redirect = parse_qs(urlsplit(url).query)["redirect_uri"][0]
        state = parse_qs(urlsplit(url).query)["state"][0]
        in_thread(lambda: httpx.get(f"{redirect}?error=access_denied&state={state}", timeout=5))

    with pytest.raises(SignInFailed, match="cancelled, or consent"):
        await serverless_mail.sign_in("microsoft", client_id=MICROSOFT_CLIENT, show_url=deny)


async def test_a_sign_in_nobody_finishes_times_out(
    serverless_mail: MailFacade, auth_server: AuthServer
) -> None:
    with pytest.raises(SignInFailed, match="Nobody finished"):
        await serverless_mail.sign_in(
            "microsoft", client_id=MICROSOFT_CLIENT, show_url=lambda url: None, timeout_s=0.3
        )


async def test_the_oauth_origin_override_must_be_loopback(
    serverless_mail: MailFacade, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ESCAPEMENT_OAUTH_URL", "http://login.example.com")
    with pytest.raises(InputError, match="only point at this computer"):
        await serverless_mail.sign_in("microsoft", client_id=MICROSOFT_CLIENT, show_url=print)


async def test_no_client_id_names_the_firm_variable(
    serverless_mail: MailFacade, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ESCAPEMENT_MICROSOFT_CLIENT_ID", raising=False)
    with pytest.raises(InputError, match="ESCAPEMENT_MICROSOFT_CLIENT_ID"):
        await serverless_mail.sign_in("microsoft", show_url=print)


def test_environment_presets_the_registration(
    serverless_mail: MailFacade, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ESCAPEMENT_MICROSOFT_CLIENT_ID", MICROSOFT_CLIENT)
    monkeypatch.setenv("ESCAPEMENT_MICROSOFT_TENANT", "firm.example.com")
    found = serverless_mail.registration("microsoft")
    assert (found.client_id, found.tenant, found.preset) == (
        MICROSOFT_CLIENT,
        "firm.example.com",
        True,
    )


def test_status_says_not_configured_before_any_server_or_sign_in(workspace: Workspace) -> None:
    assert workspace.status()["mail"] == {
        "auth": "password",
        "provider": None,
        "account": None,
        "state": "not_configured",
    }
    workspace.mail.set_smtp("smtp.firm.example.com", auth="oauth")
    assert workspace.status()["mail"]["state"] == "not_configured"  # type: ignore[index]
    workspace.mail.set_smtp("smtp.firm.example.com", auth="password")
    assert workspace.status()["mail"]["state"] == "ok"  # type: ignore[index]
