"""Replies and bounces read from a real IMAP server (pymap) stop the right sequences."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.domain import ActivityKind, EnrollmentStatus
from app.mail.facade import MailFacade
from app.store.models import ActivityEvent, Contact, Enrollment
from app.workspace import Workspace
from tests.mail import messages
from tests.mail.conftest import PENDULUM, FakeClock, people, three_steps
from tests.mail.servers import ImapServer, Recorder

pytestmark = pytest.mark.both_databases


def statuses(ws: Workspace) -> dict[str, str]:
    with ws.store.read() as session:
        rows = session.execute(
            select(Contact.email, Enrollment.status).join(
                Enrollment, Enrollment.contact_id == Contact.id
            )
        )
        return {email: status for email, status in rows}


def message_id(recorder: Recorder, address: str) -> str:
    return str(recorder.to(address)[0].message["Message-ID"])


async def started(ws: Workspace, mail: MailFacade, n: int) -> int:
    seq = three_steps(ws, mail)
    ws.add_contacts(seq, people(n))
    assert (await mail.run_once()).sent == n
    return seq


async def test_a_threaded_reply_stops_that_contact_only(
    workspace: Workspace,
    mail_imap: MailFacade,
    imap: ImapServer,
    recorder: Recorder,
    clock: FakeClock,
) -> None:
    await started(workspace, mail_imap, 3)
    original = message_id(recorder, "person0@contacts.example.com")
    # From another address of theirs: the thread headers decide, not the sender.
    imap.deliver(messages.reply("Zed <zed@elsewhere.example.com>", original), clock())
    clock.advance(days=2)
    report = await mail_imap.run_once()
    assert (report.replies, report.sent) == (1, 2)
    assert statuses(workspace)["person0@contacts.example.com"] == EnrollmentStatus.REPLIED
    assert len(recorder.to("person0@contacts.example.com")) == 1
    with workspace.store.read() as session:
        reply = session.scalars(
            select(ActivityEvent).where(ActivityEvent.kind == ActivityKind.REPLIED.value)
        ).one()
    assert (reply.subject, reply.body) == ("Re: Hello", "")


async def test_a_reply_without_thread_headers_is_matched_by_sender(
    workspace: Workspace, mail_imap: MailFacade, imap: ImapServer, clock: FakeClock
) -> None:
    await started(workspace, mail_imap, 2)
    imap.deliver(messages.reply("First1 <PERSON1@contacts.example.com>", None), clock())
    assert (await mail_imap.run_once()).replies == 1
    assert statuses(workspace)["person1@contacts.example.com"] == EnrollmentStatus.REPLIED


async def test_reading_twice_records_a_reply_once(
    workspace: Workspace, mail_imap: MailFacade, imap: ImapServer, clock: FakeClock
) -> None:
    await started(workspace, mail_imap, 1)
    imap.deliver(messages.reply("person0@contacts.example.com", None), clock())
    assert (await mail_imap.run_once()).replies == 1
    with workspace.store.write() as session:
        from app.users import email_settings_for

        email_settings_for(session, workspace.user_id).imap_last_uid = None
    assert (await mail_imap.run_once()).replies == 0


async def test_out_of_office_does_not_stop_the_sequence(
    workspace: Workspace,
    mail_imap: MailFacade,
    imap: ImapServer,
    clock: FakeClock,
    recorder: Recorder,
) -> None:
    await started(workspace, mail_imap, 1)
    original = message_id(recorder, "person0@contacts.example.com")
    auto = messages.reply("person0@contacts.example.com", original, Auto_Submitted="auto-replied")
    imap.deliver(auto, clock())
    clock.advance(days=2)
    report = await mail_imap.run_once()
    assert (report.replies, report.sent) == (0, 1)


@pytest.mark.parametrize("quote", ["headers", "message"])
async def test_a_bounce_stops_its_contact(
    workspace: Workspace,
    mail_imap: MailFacade,
    imap: ImapServer,
    recorder: Recorder,
    clock: FakeClock,
    quote: str,
) -> None:
    await started(workspace, mail_imap, 2)
    original = message_id(recorder, "person1@contacts.example.com")
    imap.deliver(messages.dsn("person1@contacts.example.com", original, quote=quote), clock())
    clock.advance(days=2)
    report = await mail_imap.run_once()
    assert (report.bounces, report.sent) == (1, 1)
    assert statuses(workspace)["person1@contacts.example.com"] == EnrollmentStatus.BOUNCED
    with workspace.store.read() as session:
        bounce = session.scalars(
            select(ActivityEvent).where(ActivityEvent.kind == ActivityKind.BOUNCED.value)
        ).one()
    assert (bounce.subject, bounce.message_id) == ("First1, a CFO role at a fintech", original)


async def test_a_bounce_naming_only_the_recipient_is_matched(
    workspace: Workspace, mail_imap: MailFacade, imap: ImapServer, clock: FakeClock
) -> None:
    await started(workspace, mail_imap, 2)
    imap.deliver(messages.dsn("person0@contacts.example.com", None), clock())
    assert (await mail_imap.run_once()).bounces == 1
    assert statuses(workspace)["person0@contacts.example.com"] == EnrollmentStatus.BOUNCED


async def test_delays_and_bcc_failures_do_not_stop_the_contact(
    workspace: Workspace,
    mail_imap: MailFacade,
    imap: ImapServer,
    recorder: Recorder,
    clock: FakeClock,
) -> None:
    await started(workspace, mail_imap, 1)
    original = message_id(recorder, "person0@contacts.example.com")
    delayed = messages.dsn("person0@contacts.example.com", original, action="delayed")
    imap.deliver(delayed, clock())
    imap.deliver(messages.dsn(PENDULUM, original), clock())
    report = await mail_imap.run_once()
    assert report.bounces == 0
    assert any("BCC address" in e for e in report.errors)
    assert statuses(workspace)["person0@contacts.example.com"] == EnrollmentStatus.ACTIVE


async def test_a_refused_recipient_counts_as_a_bounce(
    workspace: Workspace, mail: MailFacade, recorder: Recorder
) -> None:
    recorder.refuse.add("person0@contacts.example.com")
    seq = three_steps(workspace, mail)
    workspace.add_contacts(seq, people(2))
    report = await mail.run_once()
    assert (report.sent, report.bounces) == (1, 1)
    assert statuses(workspace)["person0@contacts.example.com"] == EnrollmentStatus.BOUNCED


async def test_without_the_inbox_nothing_is_sent(
    workspace: Workspace,
    mail_imap: MailFacade,
    imap: ImapServer,
    clock: FakeClock,
    recorder: Recorder,
) -> None:
    await started(workspace, mail_imap, 1)
    imap.stop()
    clock.advance(days=2)
    report = await mail_imap.run_once()
    assert report.sent == 0
    assert "Sending waits until replies can be read" in report.errors[0]
    assert len(recorder.received) == 1
