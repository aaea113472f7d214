"""Non-ASCII SMTP and IMAP passwords log in (SASL PLAIN is UTF-8), against aiosmtpd and pymap;
where a server offers no way to, the error is one clear line, with no traceback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword

from app.mail.imap import ImapMailbox
from app.mail.settings import ServerConfig
from app.mail.smtp import MailServerError
from app.mail.types import Security
from tests.conftest import Cli
from tests.mail.servers import IMAP_USER, ImapServer, Recorder, smtp_server

PASSWORD = "pässwörd-ß-密码"
USER = "rita"


def check(
    server: object, session: object, envelope: object, mechanism: str, auth_data: object
) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(),
        PASSWORD.encode("utf-8"),
    )
    return AuthResult(success=ok, handled=False)


def use_smtp(cli: Cli, address: tuple[str, int]) -> None:
    cli("settings", "set", "from", "rita@firm.example.com")
    host, port = address
    cli("settings", "set", "smtp", "--host", host, "--port", str(port), "--security", "none",
        "--user", USER)  # fmt: skip


@pytest.fixture(params=[[], ["PLAIN"]], ids=["plain", "login-only"])
def auth_smtp(recorder: Recorder, request: pytest.FixtureRequest) -> Iterator[tuple[str, int]]:
    with smtp_server(
        recorder, authenticator=check, auth_require_tls=False, auth_exclude_mechanism=request.param
    ) as address:
        yield address


@pytest.mark.parametrize(("password", "code"), [(PASSWORD, 0), ("wröng", 1)])
def test_mail_test_logs_in_with_a_non_ascii_smtp_password(
    cli: Cli,
    auth_smtp: tuple[str, int],
    recorder: Recorder,
    password: str,
    code: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SMTP_PASSWORD", password)
    use_smtp(cli, auth_smtp)
    got, out, err = cli("mail", "test")
    assert got == code
    if code == 0:
        assert out == "Test email sent to rita@firm.example.com.\n"
        assert len(recorder.received) == 1
    else:
        assert err.count("\n") == 1
        assert "refused the user name or password" in err
        assert password not in err
        assert recorder.received == []


def test_a_server_with_no_utf8_login_gets_one_clear_line(
    cli: Cli, recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMTP_PASSWORD", PASSWORD)
    with smtp_server(
        recorder,
        authenticator=check,
        auth_require_tls=False,
        auth_exclude_mechanism=["PLAIN", "LOGIN"],
    ) as address:
        use_smtp(cli, address)
        code, _, err = cli("mail", "test")
    assert code == 1
    assert err.count("\n") == 1
    assert "offers no login that accepts" in err
    assert PASSWORD not in err


@pytest.fixture
def utf8_imap() -> Iterator[ImapServer]:
    server = ImapServer(password=PASSWORD)
    yield server
    server.stop()


@pytest.mark.parametrize(("password", "works"), [(PASSWORD, True), ("wröng", False)])
def test_imap_logs_in_with_a_non_ascii_password(
    utf8_imap: ImapServer, password: str, works: bool
) -> None:
    config = ServerConfig("imap", utf8_imap.host, utf8_imap.port, Security.NONE, IMAP_USER)
    if works:
        with ImapMailbox(config, password) as mailbox:
            assert mailbox.sent_folder() == "Sent"
        return
    with pytest.raises(MailServerError, match="refused the user name or password") as refused:
        ImapMailbox(config, password).__enter__()
    assert password not in str(refused.value)


def test_a_password_with_a_line_break_is_refused_when_saved(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("abc\rdef\n"))
    code, _, err = cli(
        "settings", "set", "smtp", "--host", "smtp.firm.example.com", "--user", USER,
        "--save-password",
    )  # fmt: skip
    assert code == 2
    assert err == "escapement: The SMTP password cannot contain a line break or a NUL character.\n"


def test_a_password_of_undecodable_bytes_in_the_environment_is_one_clear_line(
    cli: Cli, auth_smtp: tuple[str, int], recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMTP_PASSWORD", "x\udc80")  # byte 0x80, as os.environ decodes it
    use_smtp(cli, auth_smtp)
    code, _, err = cli("mail", "test")
    assert code == 2
    assert err == (
        "escapement: The SMTP password (SMTP_PASSWORD or the keyring) has bytes that are not "
        "UTF-8 text: type it again.\n"
    )
    assert recorder.received == []
