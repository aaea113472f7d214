"""`mail signin|signout`, `settings set smtp|imap --auth`, `status --json` and `mail run-once`
with a signed-in mailbox; and the canary: no token anywhere on disk but the keyring, nor in
a log record or an error's text."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import httpx
import keyring
import pytest

from tests.conftest import Cli
from tests.mail.oauth.auth_server import MICROSOFT_CLIENT, AuthServer, AuthState
from tests.mail.oauth.conftest import ACCOUNT, Browser
from tests.mail.oauth.xoauth2_servers import XOAuth2Imap, XOAuth2Recorder

ROOT = Path(__file__).parents[3]
SmtpFixture = tuple[XOAuth2Recorder, tuple[str, int]]


def test_no_browser_prints_the_url_alone_on_stderr_and_waits(
    auth_server: AuthServer, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "ESCAPEMENT_OAUTH_URL": auth_server.url,
        "PYTHON_KEYRING_BACKEND": "tests.keyring_fakes.MemoryKeyring",
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, str(ROOT / "main.py"), "--data-dir", str(tmp_path / "data")]
    command += ["mail", "signin", "--provider", "microsoft", "--client-id", MICROSOFT_CLIENT]
    with subprocess.Popen(
        [*command, "--no-browser"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stderr is not None
        url = process.stderr.readline().rstrip("\n")
        assert url.startswith(f"{auth_server.url}/common/oauth2/v2.0/authorize?")
        assert " " not in url
        assert process.poll() is None  # waiting for the redirect
        assert httpx.get(url, follow_redirects=True, timeout=10).status_code == 200
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert out.strip() == f"Signed in to microsoft as {ACCOUNT}."


@pytest.fixture
def signed_in_cli(
    cli: Cli,
    auth_server: AuthServer,
    xsmtp: SmtpFixture,
    ximap: XOAuth2Imap,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Cli:
    browser = Browser()
    monkeypatch.setattr("webbrowser.open", browser)
    code, out, err = cli(
        "mail", "signin", "--provider", "microsoft", "--client-id", MICROSOFT_CLIENT
    )
    assert (code, out.strip()) == (0, f"Signed in to microsoft as {ACCOUNT}."), err
    host, port = xsmtp[1]
    smtp = ["--host", host, "--port", str(port), "--security", "starttls", "--auth", "oauth"]
    assert cli("settings", "set", "smtp", *smtp)[0] == 0
    imap = ["--host", ximap.host, "--port", str(ximap.port), "--security", "none"]
    assert cli("settings", "set", "imap", *imap, "--auth", "oauth")[0] == 0
    # Bursts, as these tests were written for: optout's pacing (on by default) sends one email
    # per run-once; tests/mail/test_pacing_and_bounces.py covers pacing.
    assert cli("settings", "set", "pacing", "off")[0] == 0
    csv = tmp_path / "people.csv"
    csv.write_text("Email,First Name\nada@x.example.com,Ada\nbob@x.example.com,Bob\n", "utf-8")
    cli("sequence", "create", "CFO")
    cli("contacts", "import", str(csv), "--sequence", "CFO")
    cli("sequence", "step", "add", "CFO", "--subject", "Hi {first_name}", "--body", "Hello")
    cli("sequence", "step", "add", "CFO", "--body", "Again", "--delay-days", "0")
    return cli


def mail_status(cli: Cli) -> dict[str, object]:
    code, out, _ = cli("status", "--json")
    assert code == 0
    found: dict[str, object] = json.loads(out)["mail"]
    return found


def test_revoked_consent_stops_run_once_with_one_line_then_signing_in_again_sends_once(
    signed_in_cli: Cli,
    auth_state: AuthState,
    xsmtp: SmtpFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cli = signed_in_cli
    assert mail_status(cli) == {
        "auth": "oauth",
        "provider": "microsoft",
        "account": ACCOUNT,
        "state": "ok",
    }
    assert cli("mail", "run-once")[0] == 0
    assert len(xsmtp[0].received) == 2
    auth_state.revoke()

    code, _, err = cli("mail", "run-once")
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert "sign in again" in err
    assert mail_status(cli)["state"] == "needs_signin"
    assert len(xsmtp[0].received) == 2

    monkeypatch.setattr("webbrowser.open", Browser())
    assert cli("mail", "signin", "--provider", "microsoft")[0] == 0  # the client ID is kept
    assert cli("mail", "run-once")[0] == 0
    assert cli("mail", "run-once")[0] == 0
    assert len(xsmtp[0].received) == 4
    assert sorted(r.message["To"] for r in xsmtp[0].received) == [
        "Ada <ada@x.example.com>",
        "Ada <ada@x.example.com>",
        "Bob <bob@x.example.com>",
        "Bob <bob@x.example.com>",
    ]


def test_sign_out_deletes_the_refresh_token(signed_in_cli: Cli) -> None:
    backend = keyring.get_keyring()
    assert any("oauth-refresh" in name for _, name in backend.entries)  # type: ignore[attr-defined]
    code, out, _ = signed_in_cli("mail", "signout")
    assert code == 0
    assert ACCOUNT in out
    assert not any("oauth-refresh" in name for _, name in backend.entries)  # type: ignore[attr-defined]
    assert mail_status(signed_in_cli)["auth"] == "password"


def test_bad_provider_and_auth_are_usage_errors(cli: Cli) -> None:
    with pytest.raises(SystemExit) as refused:
        cli("mail", "signin", "--provider", "yahoo")
    assert refused.value.code == 2
    code, _, err = cli("mail", "signin", "--provider", "google")
    assert code == 2
    assert "ESCAPEMENT_GOOGLE_CLIENT_ID" in err


def test_canary_tokens_are_nowhere_but_the_keyring(
    signed_in_cli: Cli,
    auth_state: AuthState,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    cli = signed_in_cli
    auth_state.expire_access_tokens()  # a refresh, and so a rotation, during the run
    assert cli("mail", "run-once")[0] == 0
    auth_state.revoke()
    code, out, err = cli("mail", "run-once")
    assert code == 1

    tokens = [t.encode() for t in auth_state.issued]
    assert len(tokens) >= 4
    files = [p for p in (tmp_path / "data").rglob("*") if p.is_file()]
    assert any(p.name.endswith(".db") for p in files)
    assert any("logs" in p.parts for p in files)
    for path in files:
        content = path.read_bytes()
        leaked = [t for t in tokens if t in content]
        assert not leaked, path
    texts = [r.getMessage() + str(r.exc_info or "") for r in caplog.records] + [out, err]
    for text in texts:
        assert not [t for t in auth_state.issued if t in text]
