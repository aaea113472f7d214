"""SSL and STARTTLS against real servers on loopback with trustme certificates: mail goes out
and replies come in over TLS, and a server that cannot be verified, or that offers no
STARTTLS when it was asked for, is refused before the password is sent."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from app.mail import tls
from app.mail.facade import MailFacade
from app.mail.imap import ImapMailbox
from app.mail.settings import ServerConfig
from app.mail.smtp import MailServerError, SmtpSession
from app.mail.types import Security
from app.workspace import Workspace
from tests.mail import messages
from tests.mail.conftest import PENDULUM, FakeClock, people, three_steps
from tests.mail.servers import (
    IMAP_PASSWORD,
    IMAP_USER,
    SMTP_PASSWORD,
    SMTP_USER,
    Authority,
    ImapServer,
    Logins,
    Recorder,
    Tap,
    imap_tls_server,
    smtp_server,
    smtp_tls_server,
)

SECURITIES = ["ssl", "starttls"]
USERS = {"smtp": SMTP_USER, "imap": IMAP_USER}
PASSWORDS = {"smtp": SMTP_PASSWORD, "imap": IMAP_PASSWORD}


def open_session(protocol: str, address: tuple[str, int], security: str) -> None:
    """Connects and logs in the way a pass does, then leaves."""
    config = ServerConfig(protocol, *address, Security(security), USERS[protocol])  # type: ignore[arg-type]
    session = SmtpSession if protocol == "smtp" else ImapMailbox
    with session(config, PASSWORDS[protocol]):
        pass


@contextmanager
def serving(
    protocol: str, security: str, authority: Authority, folder: Path
) -> Iterator[tuple[str, int]]:
    """An SMTP or IMAP server with `authority`'s certificate; yields the address to dial."""
    if protocol == "smtp":
        with smtp_tls_server(Recorder(), security, authority) as address:
            yield address
    else:
        with imap_tls_server(security, authority, folder) as (_, tap):
            yield tap.host, tap.port


def test_the_client_context_verifies_the_chain_and_the_host_over_tls_1_2_or_newer() -> None:
    context = tls.client_context()
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    assert context.minimum_version >= ssl.TLSVersion.TLSv1_2


@pytest.mark.parametrize("security", SECURITIES)
async def test_a_sequence_goes_out_over_tls_with_the_bcc_in_the_envelope(
    workspace: Workspace,
    serverless_mail: MailFacade,
    recorder: Recorder,
    trusted: Authority,
    security: str,
) -> None:
    mail, logins = serverless_mail, Logins()
    # AUTH offered before TLS too: a client that logged in early would show up in `logins`.
    with smtp_tls_server(
        recorder, security, trusted, authenticator=logins, auth_require_tls=False
    ) as (host, port):
        mail.set_smtp(host, port, security=security, user=SMTP_USER)
        mail.save_password("smtp", SMTP_PASSWORD)
        workspace.add_contacts(three_steps(workspace, mail), people(2))
        report = await mail.run_once()
    assert (report.sent, report.errors) == (2, [])
    assert logins.encrypted == [True]
    assert [PENDULUM in r.rcpt_tos for r in recorder.received] == [True, True]


async def test_the_test_email_goes_over_ssl(
    serverless_mail: MailFacade, recorder: Recorder, trusted: Authority
) -> None:
    with smtp_tls_server(recorder, "ssl", trusted) as (host, port):
        serverless_mail.set_smtp(host, port, security="ssl")
        assert await serverless_mail.send_test("me@firm.example.com") == "me@firm.example.com"
    assert [r.rcpt_tos for r in recorder.received] == [["me@firm.example.com"]]


@pytest.mark.parametrize("security", SECURITIES)
async def test_a_reply_is_read_over_tls(
    workspace: Workspace,
    mail: MailFacade,
    recorder: Recorder,
    clock: FakeClock,
    trusted: Authority,
    tmp_path: Path,
    security: str,
) -> None:
    with imap_tls_server(security, trusted, tmp_path) as (imap, tap):
        mail.set_imap(tap.host, tap.port, security=security, user=IMAP_USER)
        mail.save_password("imap", IMAP_PASSWORD)
        workspace.add_contacts(three_steps(workspace, mail), people(1))
        assert (await mail.run_once()).sent == 1
        first = recorder.received[0].message
        imap.deliver(messages.reply(str(first["To"]), str(first["Message-ID"])), clock())
        clock.advance(days=2)
        report = await mail.run_once()
    assert (report.replies, report.sent, report.errors) == (1, 0, [])
    if security == "starttls":
        # The Tap relays the STARTTLS session as is: after the handshake it sees ciphertext.
        assert IMAP_PASSWORD.encode() not in tap.wire


@pytest.mark.usefixtures("trusted")  # the client trusts a CA, just not this server's
@pytest.mark.parametrize("security", SECURITIES)
@pytest.mark.parametrize("protocol", ["smtp", "imap"])
def test_a_certificate_from_an_unknown_ca_is_refused(
    tmp_path: Path, protocol: str, security: str
) -> None:
    stranger = Authority()
    with (
        serving(protocol, security, stranger, tmp_path) as address,
        pytest.raises(MailServerError) as refused,
    ):
        open_session(protocol, address, security)
    assert refused.value.title == tls.UNTRUSTED_TITLE
    assert refused.value.message.startswith(
        "127.0.0.1's certificate could not be verified: unable to get local issuer certificate. "
    )


@pytest.mark.parametrize("protocol", ["smtp", "imap"])
def test_a_certificate_for_another_host_is_refused(
    trusted: Authority, tmp_path: Path, protocol: str
) -> None:
    elsewhere = Authority("mail.elsewhere.example", ca=trusted.ca)  # trusted, wrong name
    with (
        serving(protocol, "ssl", elsewhere, tmp_path) as address,
        pytest.raises(MailServerError, match="could not be verified: IP address mismatch"),
    ):
        open_session(protocol, address, "ssl")


@contextmanager
def without_starttls(protocol: str, logins: Logins) -> Iterator[Tap]:
    """A plain server that accepts a login in the clear, behind a Tap that records it."""
    with ExitStack() as stack:
        if protocol == "smtp":
            server = smtp_server(Recorder(), authenticator=logins, auth_require_tls=False)
            address = stack.enter_context(server)
        else:
            imap = ImapServer()  # --no-tls: no STARTTLS, yet LOGIN in the clear from loopback
            stack.callback(imap.stop)
            address = (imap.host, imap.port)
        tap = Tap(address)
        stack.callback(tap.close)
        yield tap


@pytest.mark.parametrize("protocol", ["smtp", "imap"])
def test_starttls_not_offered_stops_before_the_password(protocol: str) -> None:
    logins = Logins()
    with (
        without_starttls(protocol, logins) as tap,
        pytest.raises(MailServerError, match="does not offer STARTTLS, so Escapement did not"),
    ):
        open_session(protocol, (tap.host, tap.port), "starttls")
    assert PASSWORDS[protocol].encode() not in tap.wire
    assert b"AUTH" not in tap.wire.upper()
    assert b"LOGIN" not in tap.wire.upper()
    assert logins.encrypted == []


@pytest.mark.parametrize("protocol", ["smtp", "imap"])
def test_ssl_on_a_plain_port_suggests_starttls(tmp_path: Path, protocol: str) -> None:
    with (
        serving(protocol, "starttls", Authority(), tmp_path) as address,
        pytest.raises(MailServerError) as refused,
    ):
        open_session(protocol, address, "ssl")
    assert refused.value.title == tls.WRONG_MODE_TITLE
    assert "this port probably expects STARTTLS" in refused.value.message
