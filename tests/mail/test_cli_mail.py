"""The mail commands end to end: settings, steps, run-once against loopback servers."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import keyring
import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.conftest import Cli
from tests.mail import messages
from tests.mail.servers import IMAP_PASSWORD, IMAP_USER, ImapServer, Recorder, smtp_server


@pytest.fixture
def configured(
    cli: Cli, smtp: tuple[str, int], imap: ImapServer, monkeypatch: pytest.MonkeyPatch
) -> Cli:
    monkeypatch.setenv("IMAP_PASSWORD", IMAP_PASSWORD)
    assert cli("settings", "set", "from", f"Rita Recruiter <{IMAP_USER}>")[0] == 0
    host, port = smtp
    code, out, _ = cli(
        "settings", "set", "smtp", "--host", host, "--port", str(port), "--security", "none"
    )
    assert (code, out.splitlines()[0]) == (0, f"smtp set to {host}:{port} (none).")
    code, out, _ = cli(
        "settings",
        "set",
        "imap",
        "--host",
        imap.host,
        "--port",
        str(imap.port),
        "--security",
        "none",
    )
    assert "IMAP_PASSWORD is set" in out
    assert cli("settings", "set", "bcc", "pendulum@firm.example.com")[0] == 0
    cli("sequence", "create", "CFO")
    return cli


def test_steps_settings_and_a_run(
    configured: Cli, tmp_path: Path, recorder: Recorder, imap: ImapServer
) -> None:
    cli = configured
    csv = tmp_path / "people.csv"
    csv.write_text("Email,First Name,Company\nada@x.example.com,Ada,Analytical\n", "utf-8")
    cli("contacts", "import", str(csv), "--sequence", "CFO")
    assert (
        cli(
            "sequence",
            "step",
            "add",
            "CFO",
            "--subject",
            "Hi {first_name}",
            "--body",
            "At {company}?",
        )[0]
        == 0
    )
    body = tmp_path / "follow-up.txt"
    body.write_text("Any news, {first_name}?", encoding="utf-8")
    assert (
        cli("sequence", "step", "add", "CFO", "--body-file", str(body), "--delay-days", "3")[0] == 0
    )
    code, out, _ = cli("sequence", "step", "list", "CFO", "--json")
    steps = json.loads(out)
    assert [(s["number"], s["delay_days"], s["same_thread"]) for s in steps] == [
        (1, 0, True),
        (2, 3, True),
    ]
    code, out, _ = cli("sequence", "step", "preview", "CFO", "1", "--contact", "ada@x.example.com")
    assert out.startswith("Subject: Hi Ada\n\nAt Analytical?")
    assert cli("settings", "set", "sending-window", "always")[0] == 0
    assert cli("settings", "set", "daily-cap", "50")[0] == 0
    assert cli("settings", "set", "include-body", "on")[0] == 0
    code, out, err = cli("mail", "run-once", "--json")
    assert (code, err) == (0, "")
    assert json.loads(out)["sent"] == 1
    assert recorder.received[0].rcpt_tos == ["ada@x.example.com", "pendulum@firm.example.com"]
    imap.deliver(messages.reply("ada@x.example.com", None), datetime.now(UTC))
    code, out, _ = cli("mail", "run-once")
    assert out.startswith("0 sent, 1 replies, 0 bounces")


def test_an_unknown_placeholder_exits_2(configured: Cli) -> None:
    code, _, err = configured(
        "sequence", "step", "add", "CFO", "--subject", "Hi {frist_name}", "--body", "x"
    )
    assert code == 2
    assert "Did you mean {first_name}?" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("from", "not an address"), "no usable email address"),
        (("sending-window", "Mon-Fri 9-5"), "not a sending window"),
        (("daily-cap", "lots"), "not a whole number"),
        (("include-body", "maybe"), "on or off"),
    ],
)
def test_bad_email_settings_exit_2(cli: Cli, argv: tuple[str, ...], message: str) -> None:
    code, _, err = cli("settings", "set", *argv)
    assert code == 2
    assert message in err


def test_save_password_keeps_it_in_the_keyring(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret\n"))
    code, _, _ = cli(
        "settings",
        "set",
        "smtp",
        "--host",
        "smtp.Firm.example.com",
        "--user",
        "rita",
        "--save-password",
    )
    assert code == 0
    assert keyring.get_password("escapement-smtp", "rita@smtp.firm.example.com") == "s3cret"


@pytest.fixture
def auth_smtp(recorder: Recorder) -> Iterator[tuple[str, int]]:
    def check(
        server: object, session: object, envelope: object, mechanism: str, auth_data: object
    ) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and auth_data.password == b"right"
        # handled=False: aiosmtpd then answers 535 itself.
        return AuthResult(success=ok, handled=False)

    with smtp_server(recorder, authenticator=check, auth_require_tls=False) as address:
        yield address


@pytest.mark.parametrize(("password", "code"), [("right", 0), ("wrong", 1)])
def test_smtp_login_uses_smtp_password(
    cli: Cli, auth_smtp: tuple[str, int], password: str, code: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMTP_PASSWORD", password)
    cli("settings", "set", "from", "rita@firm.example.com")
    cli(
        "settings",
        "set",
        "smtp",
        "--host",
        auth_smtp[0],
        "--port",
        str(auth_smtp[1]),
        "--security",
        "none",
        "--user",
        "rita",
    )
    got, out, err = cli("mail", "test")
    assert got == code
    if code:
        assert "refused the user name or password" in err
        assert password not in err
    else:
        assert out == "Test email sent to rita@firm.example.com.\n"


def test_editing_a_step_changes_only_what_is_named(cli: Cli, tmp_path: Path) -> None:
    cli("sequence", "create", "CFO")
    cli("sequence", "step", "add", "CFO", "--subject", "Hi {first_name}", "--body", "Intro")
    cli("sequence", "step", "add", "CFO", "--body", "Nudge", "--delay-days", "3")
    body = tmp_path / "nudge.txt"
    body.write_text("A gentler nudge, {first_name}.", encoding="utf-8")
    args = ("--body-file", str(body), "--delay-days", "5", "--new-thread", "--subject", "News")
    code, out, _ = cli("sequence", "step", "edit", "CFO", "2", *args)
    assert (code, out.strip()) == (0, 'Changed step 2 of "CFO".')
    steps = json.loads(cli("sequence", "step", "list", "CFO", "--json")[1])
    assert [(s["subject"], s["body"], s["delay_days"], s["same_thread"]) for s in steps] == [
        ("Hi {first_name}", "Intro", 0, True),
        ("News", "A gentler nudge, {first_name}.", 5, False),
    ]
    code, _, err = cli("sequence", "step", "edit", "CFO", "1")
    assert code == 2
    assert "Say what to change" in err
    code, _, err = cli("sequence", "step", "edit", "CFO", "1", "--subject", "Hi {frist_name}")
    assert code == 2
    assert "Did you mean {first_name}?" in err
    assert json.loads(cli("sequence", "step", "list", "CFO", "--json")[1])[0]["subject"] == (
        "Hi {first_name}"
    )
