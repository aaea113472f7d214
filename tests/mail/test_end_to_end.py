"""End to end: a 3-step sequence to 50 contacts through a real SMTP server, replies and bounces
in a real IMAP inbox, and, in on-reply mode, exactly the contacts who replied synced to the
Clockwork sandbox with their activity notes."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from app.domain import ContactFilter, ContactInput, ContactSyncState, EnrollmentStatus, SyncMode
from app.mail import bounce_guard
from app.mail.facade import MailFacade
from app.projects import refresh_projects
from app.sandbox.harness import sandbox_client
from app.sandbox.seed import DEMO_DO_NOT_CONTACT_EMAIL, DEMO_SHARED_PEOPLE
from app.sandbox.state import SandboxState
from app.store.models import Contact, Enrollment
from app.sync.outbox import Backoff
from app.workspace import Workspace
from tests.conftest import connect_firm
from tests.mail import messages
from tests.mail.conftest import PENDULUM, FakeClock, people, three_steps
from tests.mail.servers import ImapServer, Recorder

pytestmark = pytest.mark.both_databases

CONTACTS = 50
THREADED = range(0, 8)  # reply in the thread
BY_SENDER = range(8, 12)  # reply in a new email, matched by the sender's address
BOUNCED = range(45, 50)
LATE = range(20, 23)  # reply after the second step
REPLIED = [*THREADED, *BY_SENDER, *LATE]


def address(i: int) -> str:
    return f"person{i}@contacts.example.com"


@pytest.fixture
async def sandbox(workspace: Workspace) -> AsyncIterator[SandboxState]:
    async with sandbox_client() as (client, state, _knobs):
        connect_firm(workspace, state.firm)
        workspace.attach_client(client)
        workspace.sync.backoff = Backoff(base=0.005, cap=0.05)
        workspace.update_clockwork_settings(
            sync_mode=SyncMode.ON_REPLY, dedup=False, activity_tracking=True
        )
        await refresh_projects(workspace.store, client)
        yield state


def first_message_id(recorder: Recorder, i: int) -> str:
    return str(recorder.to(address(i))[0].message["Message-ID"])


def statuses(ws: Workspace) -> dict[str, str]:
    with ws.store.read() as session:
        rows = session.execute(
            select(Contact.email, Enrollment.status).join(
                Contact, Contact.id == Enrollment.contact_id
            )
        )
        return {email: status for email, status in rows}


async def test_sequence_replies_bounces_and_on_reply_sync(
    workspace: Workspace,
    sandbox: SandboxState,
    mail_imap: MailFacade,
    imap: ImapServer,
    recorder: Recorder,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 10 % of this list bounces, past the 5 % that pauses a sequence (tests/mail/
    # test_optout_end_to_end.py covers that): here the sequence must go on.
    monkeypatch.setattr(bounce_guard, "MAX_BOUNCE_RATE", 0.2)
    mail = mail_imap
    mail.set_sending_window("Mon-Fri 09:00-17:00 Europe/London")
    seq = three_steps(workspace, mail)
    workspace.add_contacts(seq, people(CONTACTS))

    first = await mail.run_once()
    assert first.sent == CONTACTS
    # Named for the Activity card, and remembered as the last pass for every reader.
    assert len(first.sent_emails) == CONTACTS
    assert first.sent_emails[0].startswith(f"{address(0)} — ")
    assert first.sent_emails[0].endswith("(step 1)")
    assert mail.last_pass is not None
    assert mail.last_pass.run is not None
    assert list(mail.last_pass.run.sent_emails) == first.sent_emails
    for i in THREADED:
        imap.deliver(messages.reply(address(i), first_message_id(recorder, i)), clock())
    for i in BY_SENDER:
        imap.deliver(messages.reply(f"First{i} <{address(i)}>", None, "Quick question"), clock())
    for i in BOUNCED:
        imap.deliver(messages.dsn(address(i), first_message_id(recorder, i)), clock())

    clock.advance(days=2)
    second = await mail.run_once()
    assert (second.replies, second.bounces) == (len(THREADED) + len(BY_SENDER), len(BOUNCED))
    assert second.sent == CONTACTS - len(THREADED) - len(BY_SENDER) - len(BOUNCED)
    for i in LATE:
        latest = recorder.to(address(i))[-1].message["Message-ID"]
        imap.deliver(messages.reply(address(i), str(latest)), clock())

    clock.advance(days=3)  # Saturday: the last step is due, but not in the sending window
    saturday = await mail.run_once()
    assert (saturday.replies, saturday.sent, saturday.outside_window) == (len(LATE), 0, True)
    clock.advance(days=2)
    third = await mail.run_once()
    assert third.sent == second.sent - len(LATE)
    clock.advance(days=30)
    assert (await mail.run_once()).sent == 0

    # Every email carried the BCC in its envelope and nowhere in its headers.
    assert len(recorder.received) == CONTACTS + second.sent + third.sent
    assert all(
        PENDULUM in r.rcpt_tos and PENDULUM.encode() not in r.content for r in recorder.received
    )
    expected_count = {i: 1 for i in [*THREADED, *BY_SENDER, *BOUNCED]} | {i: 2 for i in LATE}
    for i, count in expected_count.items():
        assert len(recorder.to(address(i))) == count, address(i)
    final = statuses(workspace)
    assert {e for e, s in final.items() if s == EnrollmentStatus.REPLIED} == {
        address(i) for i in REPLIED
    }
    assert {e for e, s in final.items() if s == EnrollmentStatus.BOUNCED} == {
        address(i) for i in BOUNCED
    }
    assert set(final.values()) == {"replied", "bounced", "finished"}

    await workspace.sync.run()
    synced = {
        r.email
        for r in workspace.contacts_page(ContactFilter(), 0, 100)
        if r.state == ContactSyncState.SYNCED
    }
    assert synced == {address(i) for i in REPLIED}
    for i in REPLIED:
        person = sandbox.find_person(address(i))
        assert person is not None
        notes = [n["content"] for n in sandbox.list_notes(str(person["id"]), 100)]
        sent_notes = [n for n in notes if "Email sent" in n]
        assert len(sent_notes) == (2 if i in LATE else 1)
        assert sum("Reply received" in n for n in notes) == 1
        assert "a CFO role at a fintech" in sent_notes[0]
    for i in [*BOUNCED, 30]:
        assert sandbox.find_person(address(i)) is None


async def test_clockwork_do_not_contact_is_never_mailed(
    workspace: Workspace, sandbox: SandboxState, mail: MailFacade, recorder: Recorder
) -> None:
    workspace.update_clockwork_settings(sync_mode=SyncMode.ON_ADD)
    flagged = next(p for p in DEMO_SHARED_PEOPLE if p.email == DEMO_DO_NOT_CONTACT_EMAIL)
    seq = three_steps(workspace, mail)
    workspace.add_contacts(
        seq, [*people(2), ContactInput(email=flagged.email, first_name=flagged.first_name)]
    )
    await workspace.sync.run()  # learns the person's doNotContact from Clockwork
    report = await mail.run_once()
    assert (report.sent, report.do_not_contact) == (2, 1)
    assert recorder.to(flagged.email) == []
