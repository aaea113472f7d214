"""The mail façade's settings, warnings and steps, without a mail server."""

from __future__ import annotations

import asyncio

import pytest
from keyring.backends import fail
from sqlalchemy import update

from app.domain import ContactInput
from app.errors import InputError, NotFoundError
from app.events import Event
from app.mail.facade import MailFacade
from app.mail.types import MAIL_FAILED, MAIL_RUN, Security
from app.secrets import SecretStore
from app.store.models import User
from app.workspace import Workspace
from tests.keyring_fakes import use_keyring
from tests.mail.conftest import PENDULUM, FakeClock, people, three_steps


@pytest.fixture
def bare(workspace: Workspace, clock: FakeClock) -> MailFacade:
    return MailFacade(
        workspace.store, workspace.bus, workspace.user_id, secrets=SecretStore(), clock=clock
    )


def login_as(ws: Workspace, email: str) -> None:
    with ws.store.write() as session:
        session.execute(
            update(User).where(User.id == ws.user_id).values(email=email, email_key=email)
        )


def test_a_fresh_user_is_told_what_is_missing(bare: MailFacade) -> None:
    text = " ".join(bare.warnings())
    assert "No from address" in text
    assert "No SMTP server" in text
    assert "replies and bounces are not noticed" in text


@pytest.mark.parametrize(
    ("login", "sender", "expected"),
    [
        ("rita@firm.com", "Rita <Rita@Firm.com>", None),
        ("rita@firm.com", "rita@gmail.com", "not on the domain of your Clockwork login"),
        ("rita@firm.com", "r.recruiter@firm.com", "not your Clockwork login"),
        (None, "rita@firm.com", "does not know that address"),
    ],
)
def test_pendulum_warns_when_the_sender_may_not_be_the_login(
    workspace: Workspace, bare: MailFacade, login: str | None, sender: str, expected: str | None
) -> None:
    if login:
        login_as(workspace, login)
    workspace.set_bcc_address(PENDULUM)
    bare.set_from(sender)
    pendulum = [w for w in bare.warnings() if "Pendulum" in w]
    if expected is None:
        assert pendulum == []
    else:
        assert len(pendulum) == 1
        assert expected in pendulum[0]


def test_no_pendulum_warning_without_a_bcc(workspace: Workspace, bare: MailFacade) -> None:
    bare.set_from("rita@gmail.com")
    assert not [w for w in bare.warnings() if "Pendulum" in w]


def test_server_settings_default_their_ports(bare: MailFacade) -> None:
    view = bare.set_smtp("SMTP.Firm.com", security="ssl", user="rita")
    assert (view.smtp.host, view.smtp.port, view.smtp.security) == (
        "smtp.firm.com",
        465,
        Security.SSL,
    )
    assert bare.set_imap("imap.firm.com", security="starttls").imap.port == 143
    with pytest.raises(InputError, match="not a server name"):
        bare.set_smtp("https://smtp.firm.com")
    with pytest.raises(InputError, match="ssl, starttls or none"):
        bare.set_smtp("smtp.firm.com", security="tls")


def test_passwords_go_to_the_keyring_under_user_at_host(bare: MailFacade) -> None:
    bare.set_from("rita@firm.com")
    bare.set_imap("imap.firm.com")
    assert not bare.has_password("imap")
    bare.save_password("imap", "pw")
    assert bare.has_password("imap")
    assert bare.passwords.get("imap", "rita@firm.com", "imap.firm.com") == "pw"
    assert bare.forget_password("imap")
    assert not bare.has_password("imap")


def test_steps_are_checked_listed_updated_and_previewed(
    workspace: Workspace, bare: MailFacade
) -> None:
    seq = three_steps(workspace, bare)
    with pytest.raises(InputError, match="needs a subject"):
        bare.add_step(seq, subject="", body="x", same_thread=False)
    with pytest.raises(InputError, match="between 0 and 365"):
        bare.add_step(seq, subject="s", body="x", delay_days=-1)
    with pytest.raises(InputError, match="Unknown placeholder"):
        bare.update_step(seq, 1, body="Hi {name}")
    assert [s.delay_days for s in bare.steps(seq)] == [0, 2, 3]
    bare.update_step(seq, 1, delay_days=4)
    workspace.add_contacts(seq, people(1))
    contact = workspace.contact_id("person0@contacts.example.com")
    shown = bare.preview(seq, 1, contact)
    assert shown.subject == "Re: First0, a CFO role at a fintech"
    assert shown.body == "Hi First0, any thoughts?"
    bare.remove_step(seq, 1)
    assert [s.body for s in bare.steps(seq)][1] == "Last note from me, {first_name}."


def test_a_draft_renders_without_being_saved(workspace: Workspace, bare: MailFacade) -> None:
    seq = three_steps(workspace, bare)
    workspace.add_contacts(seq, [ContactInput("ama@example.com", first_name="Ama")])
    ama = workspace.contact_id("ama@example.com")
    draft = bare.render_draft(seq, 1, ama, subject="  ", body="{first_name}, at {company}?")
    assert draft.subject == "Re: Ama, a CFO role at a fintech"
    assert draft.body == "Ama, at ?"
    assert draft.missing == ("company",)
    new_thread = bare.render_draft(
        seq, 3, ama, subject="Still {title|hiring}?", body="Hi", same_thread=False
    )
    assert (new_thread.subject, new_thread.missing) == ("Still hiring?", ())
    with pytest.raises(InputError, match=r"\{compnay\} in the body"):
        bare.render_draft(seq, 1, ama, subject="", body="At {compnay}")
    with pytest.raises(NotFoundError, match="no step 5"):
        bare.render_draft(seq, 4, ama, subject="s", body="b")
    assert [s.body for s in bare.steps(seq)][1] == "Hi {first_name}, any thoughts?"


async def test_a_sent_step_cannot_be_removed(workspace: Workspace, mail: MailFacade) -> None:
    seq = three_steps(workspace, mail)
    workspace.add_contacts(seq, people(1))
    await mail.run_once()
    with pytest.raises(InputError, match="already got step 1"):
        mail.remove_step(seq, 0)


async def test_run_forever_runs_until_cancelled(workspace: Workspace, mail: MailFacade) -> None:
    seq = three_steps(workspace, mail)
    workspace.add_contacts(seq, people(2))
    runs: list[dict[str, object]] = []
    two_runs = asyncio.Event()

    def seen(event: Event) -> None:
        runs.append(event.data)
        if len(runs) == 2:
            two_runs.set()

    workspace.bus.subscribe(MAIL_RUN, seen)
    task = asyncio.create_task(mail.run_forever(every_s=0.01))
    await asyncio.wait_for(two_runs.wait(), timeout=30)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert runs[0]["sent"] == 2
    assert runs[1]["sent"] == 0


async def test_a_failing_pass_is_published_and_retried(
    workspace: Workspace, mail: MailFacade, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_keyring(monkeypatch, fail.Keyring())
    mail.set_smtp("127.0.0.1", 2525, security="none", user="rita")
    seq = three_steps(workspace, mail)
    workspace.add_contacts(seq, people(1))
    failed = asyncio.Event()
    seen: list[dict[str, object]] = []

    def on_failure(event: Event) -> None:
        seen.append(event.data)
        failed.set()

    workspace.bus.subscribe(MAIL_FAILED, on_failure)
    task = asyncio.create_task(mail.run_forever(every_s=0.01))
    await asyncio.wait_for(failed.wait(), timeout=30)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert "SMTP_PASSWORD" in str(seen[0]["message"])
