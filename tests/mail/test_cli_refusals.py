"""Header fields and addresses are refused where they are typed (exit 2, one line, nothing
changed), what is stored is what is echoed, and a password that would cross the network
without TLS is warned about before it does."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.errors import InputError
from app.workspace import Workspace
from tests.conftest import Cli


def refused(result: tuple[int, str, str]) -> str:
    code, out, err = result
    assert code == 2
    assert out == ""
    assert err.startswith("escapement: ")
    assert err.count("\n") == 1
    return err


@pytest.mark.parametrize(
    "text",
    [
        "pendulum-1@firm.clockworkrecruiting.com <attacker@evil.com>",
        "Ada <ada@firm.com>, Eve <eve@evil.com>",
        "ada@firm.com eve@evil.com",
        "ada@firm.com\r\nBcc: eve@evil.com",
        "pendülum@firm.example.com",
    ],
)
@pytest.mark.parametrize("name", ["from", "bcc"])
def test_anything_but_one_address_is_refused_and_nothing_changes(
    cli: Cli, workspace: Workspace, name: str, text: str
) -> None:
    refused(cli("settings", "set", name, text))
    setter = workspace.mail.set_from if name == "from" else workspace.set_bcc_address
    setter("Rita <rita@firm.example.com>")
    before = workspace.email_settings()
    with pytest.raises(InputError):
        setter(text)
    assert workspace.email_settings() == before


@pytest.mark.parametrize(
    ("name", "typed", "echoed"),
    [
        ("from", "  Ada   Lovelace <Ada@Firm.example.COM> ", "Ada Lovelace <ada@firm.example.com>"),
        ("from", "ada@firm.example.com", "ada@firm.example.com"),
        ("bcc", "Pendulum <PENDULUM-7@firm.example.com>", "pendulum-7@firm.example.com"),
        ("bcc", "none", "none"),
    ],
)  # fmt: skip
def test_what_is_echoed_is_what_was_stored(cli: Cli, name: str, typed: str, echoed: str) -> None:
    code, out, _ = cli("settings", "set", name, typed)
    assert code == 0
    assert out.splitlines()[0] == f"{name} set to {echoed}."


@given(st.text(max_size=60))
@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_stored_bcc_is_exactly_one_address_taken_from_what_was_typed(
    workspace: Workspace, text: str
) -> None:
    before = workspace.email_settings().bcc_address
    try:
        workspace.set_bcc_address(text)
    except InputError as exc:
        assert "\n" not in exc.message  # noqa: PT017 -- hypothesis: refusal is one outcome
        assert workspace.email_settings().bcc_address == before
        return
    stored = workspace.email_settings().bcc_address
    if not text.strip():
        assert stored is None
        return
    assert stored is not None
    assert text.count("@") == 1
    assert stored.split("@")[0] in text.lower()


@pytest.mark.parametrize(
    "subject",
    ["Hello\r\nBcc: eve@evil.com", "Hello\nthere", "Hi\u2028there", "Hi\x00", "Hi\x1b[2J"],
)
def test_a_step_subject_that_would_break_a_header_is_refused(cli: Cli, subject: str) -> None:
    cli("sequence", "create", "CFO")
    err = refused(cli("sequence", "step", "add", "CFO", "--subject", subject, "--body", "Hi"))
    assert "subject must be one line" in err
    code, out, _ = cli("sequence", "step", "list", "CFO", "--json")
    assert code == 0
    assert json.loads(out) == []


@pytest.mark.parametrize("protocol", ["smtp", "imap"])
@pytest.mark.parametrize(
    "option", [("--user", "rita\r\nRSET"), ("--user", "rita\x00"), ("--host", "smtp.firm\ncom")]
)
def test_a_user_name_or_host_with_a_line_break_is_refused(
    cli: Cli, protocol: str, option: tuple[str, str]
) -> None:
    argv = {"--host": "mail.firm.example.com", "--user": "rita"}
    argv[option[0]] = option[1]
    flat = [part for pair in argv.items() for part in pair]
    refused(cli("settings", "set", protocol, *flat))


@pytest.mark.parametrize(
    ("protocol", "host", "security", "user", "warned"),
    [
        ("smtp", "smtp.firm.example.com", "none", "rita", True),
        ("smtp", "smtp.firm.example.com", "none", None, False),  # a relay: no password
        ("smtp", "smtp.firm.example.com", "starttls", "rita", False),
        ("smtp", "127.0.0.1", "none", "rita", False),
        ("smtp", "localhost", "none", "rita", False),
        ("imap", "imap.firm.example.com", "none", None, True),  # IMAP always logs in
        ("imap", "imap.firm.example.com", "ssl", None, False),
        ("imap", "127.0.0.2", "none", None, False),
    ],
)
def test_a_password_without_tls_off_this_computer_is_warned_about(
    cli: Cli,
    workspace: Workspace,
    protocol: str,
    host: str,
    security: str,
    user: str | None,
    warned: bool,
) -> None:
    cli("settings", "set", "from", "rita@firm.example.com")
    argv = ["settings", "set", protocol, "--host", host, "--security", security]
    code, out, _ = cli(*argv, *(["--user", user] if user else []))
    assert code == 0
    warning = f"Warning: The {protocol.upper()} password goes to {host} without encryption"
    assert (warning in out) is warned


def test_the_email_pane_warnings_and_run_once_say_it_too(cli: Cli, workspace: Workspace) -> None:
    mail = workspace.mail
    mail.set_from("rita@firm.example.com")
    assert not any("without encryption" in w for w in mail.warnings())
    mail.set_smtp("smtp.firm.example.com", 25, security="none", user="rita")
    assert any(w.startswith("The SMTP password goes to") for w in mail.warnings())
    cli("settings", "set", "from", "rita@firm.example.com")
    cli("settings", "set", "smtp", "--host", "smtp.firm.example.com", "--security", "none",
        "--user", "rita")  # fmt: skip
    code, _, err = cli("mail", "run-once")  # nothing is due: it never connects
    assert code == 0
    assert "escapement: warning: The SMTP password goes to smtp.firm.example.com" in err


def test_run_once_without_a_mailbox_says_how_to_set_one_up(cli: Cli) -> None:
    code, out, err = cli("mail", "run-once")
    assert code == 0
    assert out.strip() == "0 sent, replies and bounces not read."
    assert "escapement: no mailbox is set up" in err
    assert "settings set smtp" in err
    cli("settings", "set", "smtp", "--host", "127.0.0.1", "--port", "1", "--security", "none")
    code, _, err = cli("mail", "run-once")  # nothing is due: it never connects
    assert code == 0
    assert "no mailbox" not in err
    assert "escapement: no IMAP server is set up" in err  # sending alone reads no answer
    assert "settings set imap" in err
    cli("settings", "set", "imap", "--host", "127.0.0.1", "--port", "1", "--security", "none")
    code, out, err = cli("mail", "run-once")  # nothing sent yet: it never logs in
    assert (code, out.strip()) == (0, "0 sent, 0 replies, 0 bounces.")
    assert "IMAP" not in err
