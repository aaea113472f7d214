"""Sequences over XOAUTH2 end to end: SMTP and IMAP servers that take only XOAUTH2 and check
each token with the local authorization server; the token expiring mid-run, rotating, and
consent revoked then given again."""

from __future__ import annotations

import keyring
import pytest
from sqlalchemy import select

from app.mail.facade import MailFacade
from app.mail.oauth.access import REFRESH_MARGIN_S, NeedsSignIn
from app.mail.oauth.account import Account, AccountState
from app.mail.oauth.providers import ProviderName
from app.mail.oauth.signin_facade import MAIL_ACCOUNT
from app.mail.settings import ServerConfig
from app.mail.smtp import MailServerError, SmtpSession
from app.mail.types import Security
from app.store.models import Enrollment
from app.workspace import Workspace
from tests.mail import messages
from tests.mail.conftest import PENDULUM, FakeClock, people, three_steps
from tests.mail.oauth.auth_server import MICROSOFT_CLIENT, AuthState
from tests.mail.oauth.conftest import Browser, sign_in
from tests.mail.oauth.xoauth2_servers import XOAuth2Imap, XOAuth2Recorder

REFRESH = "refresh_token"
SmtpFixture = tuple[XOAuth2Recorder, tuple[str, int]]


def stored_refresh_tokens() -> list[str]:
    entries = keyring.get_keyring().entries  # type: ignore[attr-defined]
    return [v for (_, name), v in entries.items() if name.startswith("oauth-refresh:")]


def sent_steps(ws: Workspace) -> list[tuple[int, str | None]]:
    with ws.store.read() as session:
        rows = session.execute(select(Enrollment.next_step, Enrollment.send_state))
        return [(step, state) for step, state in rows]


async def test_a_sequence_goes_out_with_the_bcc_and_a_reply_stops_it(
    workspace: Workspace,
    signed_in: MailFacade,
    xsmtp: SmtpFixture,
    ximap: XOAuth2Imap,
    clock: FakeClock,
    auth_state: AuthState,
) -> None:
    recorder = xsmtp[0]
    seq = three_steps(workspace, signed_in)
    workspace.add_contacts(seq, people(3))

    first = await signed_in.run_once()
    assert first.sent == 3
    assert all(PENDULUM in r.rcpt_tos for r in recorder.received)
    assert recorder.logins == [True]
    answered = recorder.to("person0@contacts.example.com")[0].message["Message-ID"]
    ximap.backend.deliver(messages.reply("person0@contacts.example.com", str(answered)), clock())

    clock.advance(days=2)
    second = await signed_in.run_once()
    assert (second.replies, second.sent) == (1, 2)
    assert ximap.logins == [True]
    # One sign-in, no refresh: the access token was good for the whole run.
    assert auth_state.grants(REFRESH) == 0


async def test_an_access_token_that_dies_mid_run_is_refreshed_once_and_the_login_retried(
    workspace: Workspace, signed_in: MailFacade, xsmtp: SmtpFixture, auth_state: AuthState
) -> None:
    recorder = xsmtp[0]
    seq = three_steps(workspace, signed_in)
    workspace.add_contacts(seq, people(2))
    auth_state.expire_access_tokens()  # it still looks valid to the client

    assert (await signed_in.run_once()).sent == 2
    assert recorder.logins == [False, True]
    assert auth_state.grants(REFRESH) == 1


async def test_a_token_near_its_expiry_is_refreshed_before_the_login(
    workspace: Workspace, signed_in: MailFacade, xsmtp: SmtpFixture, auth_state: AuthState
) -> None:
    seq = three_steps(workspace, signed_in)
    workspace.add_contacts(seq, people(1))
    start = signed_in.keeper.now()
    signed_in.keeper.now = lambda: start + auth_state.expires_in - REFRESH_MARGIN_S + 1

    assert (await signed_in.run_once()).sent == 1
    assert xsmtp[0].logins == [True]  # no refused login first
    assert auth_state.grants(REFRESH) == 1


async def test_the_rotated_refresh_token_replaces_the_old_one_at_once(
    workspace: Workspace, signed_in: MailFacade, auth_state: AuthState
) -> None:
    seq = three_steps(workspace, signed_in)
    workspace.add_contacts(seq, people(1))
    [before] = stored_refresh_tokens()
    auth_state.expire_access_tokens()
    assert (await signed_in.run_once()).sent == 1

    [after] = stored_refresh_tokens()
    assert after != before
    assert before not in auth_state.refresh  # the provider retired it
    assert after in auth_state.refresh
    account = Account(ProviderName.MICROSOFT, auth_state.account, MICROSOFT_CLIENT, "common")
    signed_in.keeper.access_token(account, force=True)  # the new one renews
    assert stored_refresh_tokens() != [after]


async def test_a_server_that_refuses_a_fresh_token_too_stops_after_one_refresh(
    workspace: Workspace, signed_in: MailFacade, xsmtp: SmtpFixture, auth_state: AuthState
) -> None:
    recorder = xsmtp[0]
    recorder.verify = lambda user, token: False  # SMTP AUTH switched off for the mailbox
    seq = three_steps(workspace, signed_in)
    workspace.add_contacts(seq, people(1))

    report = await signed_in.run_once()
    assert report.sent == 0
    assert "refused the sign-in" in report.errors[0]
    assert recorder.logins == [False, False]
    assert auth_state.grants(REFRESH) == 1
    assert signed_in.account().state == AccountState.OK
    assert sent_steps(workspace) == [(0, None)]


async def test_revoked_consent_pauses_mail_until_signed_in_again_then_all_due_goes_once(
    workspace: Workspace,
    signed_in: MailFacade,
    xsmtp: SmtpFixture,
    ximap: XOAuth2Imap,
    clock: FakeClock,
    auth_state: AuthState,
    browser: Browser,
) -> None:
    recorder = xsmtp[0]
    seen: list[dict[str, object]] = []
    workspace.bus.subscribe(MAIL_ACCOUNT, lambda event: seen.append(event.data))
    seq = three_steps(workspace, signed_in)
    workspace.add_contacts(seq, people(4))
    assert (await signed_in.run_once()).sent == 4

    auth_state.revoke()
    clock.advance(days=2)
    with pytest.raises(NeedsSignIn, match="sign in again"):
        await signed_in.run_once()
    assert signed_in.account().state == AccountState.NEEDS_SIGNIN
    assert workspace.status()["mail"] == {
        "auth": "oauth",
        "provider": "microsoft",
        "account": auth_state.account,
        "state": "needs_signin",
    }
    assert seen[-1]["state"] == "needs_signin"
    grants = len(auth_state.requests)
    with pytest.raises(NeedsSignIn):
        await signed_in.run_once()  # paused: not even a request to the provider
    assert len(auth_state.requests) == grants
    assert len(recorder.received) == 4
    assert sent_steps(workspace) == [(1, None)] * 4  # nothing claimed, nothing marked sent

    await sign_in(signed_in, browser)
    assert signed_in.account().state == AccountState.OK
    assert (await signed_in.run_once()).sent == 4
    assert (await signed_in.run_once()).sent == 0
    for i in range(4):
        assert len(recorder.to(f"person{i}@contacts.example.com")) == 2


def test_a_bearer_token_never_goes_over_plain_text_to_another_machine() -> None:
    from app.mail.oauth.xoauth2 import Bearer

    asked: list[bool] = []

    def fetch(fresh: bool) -> str:
        asked.append(fresh)
        return "token"

    config = ServerConfig("smtp", "smtp.example.com", 25, Security.NONE, "a@b.c", "oauth")
    with (
        pytest.raises(MailServerError, match="encrypted connection"),
        SmtpSession(config, Bearer("a@b.c", fetch)),
    ):
        pass
    assert asked == []


async def test_a_test_email_refused_for_revoked_consent_shows_needs_sign_in(
    signed_in: MailFacade, auth_state: AuthState
) -> None:
    auth_state.revoke()
    signed_in.keeper.now = lambda: float("inf")  # the cached access token has expired
    with pytest.raises(NeedsSignIn):
        await signed_in.send_test()
    assert signed_in.account().state == AccountState.NEEDS_SIGNIN
