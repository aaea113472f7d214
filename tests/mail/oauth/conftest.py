"""Sign-in fixtures: the local authorization server (ESCAPEMENT_OAUTH_URL points at it), a
browser that follows the authorization URL to the loopback redirect, and XOAUTH2-only SMTP
and IMAP servers that check tokens with that authorization server."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx
import pytest

from app.mail.facade import MailFacade
from tests.mail.oauth.auth_server import MICROSOFT_CLIENT, AuthServer, AuthState
from tests.mail.oauth.xoauth2_servers import XOAuth2Imap, XOAuth2Recorder, xoauth2_smtp
from tests.mail.servers import IMAP_USER, Authority, ImapServer

ACCOUNT = IMAP_USER


@pytest.fixture
def auth_state() -> AuthState:
    return AuthState(account=ACCOUNT)


@pytest.fixture
def auth_server(auth_state: AuthState, monkeypatch: pytest.MonkeyPatch) -> Iterator[AuthServer]:
    server = AuthServer(auth_state)
    monkeypatch.setenv("ESCAPEMENT_OAUTH_URL", server.url)
    yield server
    server.stop()


class Browser:
    """Plays the system browser: opens the URL (the server consents at once) and follows
    the redirect to the loopback listener, from another thread as a real browser would."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.pages: list[httpx.Response] = []
        self._threads: list[threading.Thread] = []

    def __call__(self, url: str) -> bool:
        self.urls.append(url)
        thread = threading.Thread(target=self._visit, args=(url,), daemon=True)
        thread.start()
        self._threads.append(thread)
        return True

    def _visit(self, url: str) -> None:
        self.pages.append(httpx.get(url, follow_redirects=True, timeout=10))

    def join(self) -> None:
        for thread in self._threads:
            thread.join(timeout=10)


@pytest.fixture
def browser() -> Browser:
    return Browser()


@pytest.fixture
def xsmtp(
    auth_state: AuthState, trusted: Authority
) -> Iterator[tuple[XOAuth2Recorder, tuple[str, int]]]:
    """STARTTLS with a certificate the client trusts, then XOAUTH2 only."""
    recorder = XOAuth2Recorder(verify=auth_state.valid)
    with xoauth2_smtp(recorder, trusted) as address:
        yield recorder, address


@pytest.fixture
def ximap(auth_state: AuthState) -> Iterator[XOAuth2Imap]:
    backend = ImapServer()
    front = XOAuth2Imap(backend, auth_state.valid)
    yield front
    front.close()
    backend.stop()


async def sign_in(mail: MailFacade, browser: Browser) -> None:
    await mail.sign_in("microsoft", client_id=MICROSOFT_CLIENT, show_url=browser)
    browser.join()


@pytest.fixture
async def signed_in(
    serverless_mail: MailFacade,
    auth_server: AuthServer,
    browser: Browser,
    xsmtp: tuple[XOAuth2Recorder, tuple[str, int]],
    ximap: XOAuth2Imap,
) -> MailFacade:
    """Signed in with Microsoft; SMTP and IMAP pointed at the loopback XOAUTH2 servers."""
    mail = serverless_mail
    await sign_in(mail, browser)
    host, port = xsmtp[1]
    mail.set_smtp(host, port, security="starttls", auth="oauth")
    mail.set_imap(ximap.host, ximap.port, security="none", auth="oauth")
    return mail
