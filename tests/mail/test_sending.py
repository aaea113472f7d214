"""Sending due steps through a real SMTP server: BCC, threading, schedule, doNotContact."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from sqlalchemy import select, update

from app.domain import ActivityKind, EnrollmentStatus
from app.mail.facade import MailFacade
from app.store.models import ActivityEvent, Contact, Enrollment
from app.workspace import Workspace
from tests.mail.conftest import PENDULUM, FakeClock, people, three_steps
from tests.mail.servers import IMAP_PASSWORD, IMAP_USER, ImapServer, Recorder

pytestmark = pytest.mark.both_databases


def sent_events(ws: Workspace) -> list[ActivityEvent]:
    with ws.store.read() as session:
        query = select(ActivityEvent).where(ActivityEvent.kind == ActivityKind.SENT.value)
        return list(session.scalars(query.order_by(ActivityEvent.id)))


async def test_each_email_is_bccd_in_the_envelope_only(
    workspace: Workspace, mail: MailFacade, recorder: Recorder
) -> None:
    seq = three_steps(workspace, mail)
    workspace.add_contacts(seq, people(3))
    report = await mail.run_once()
    assert report.sent == 3
    for got in recorder.received:
        assert got.mail_from == IMAP_USER
        assert PENDULUM in got.rcpt_tos
        assert len(got.rcpt_tos) == 2
        assert got.message["Bcc"] is None
        assert PENDULUM.encode() not in got.content
    first = recorder.to("person1@contacts.example.com")[0].message
    assert first["Subject"] == "First1, a CFO role at a fintech"
    assert "Would Company 1 let you go?" in first.get_payload()
    assert first["From"] == f"Rita Recruiter <{IMAP_USER}>"


async def test_follow_ups_wait_their_delay_and_reply_in_the_thread(
    workspace: Workspace, mail: MailFacade, recorder: Recorder, clock: FakeClock
) -> None:
    seq = three_steps(workspace, mail)
    workspace.add_contacts(seq, people(1))
    assert (await mail.run_once()).sent == 1
    clock.advance(days=1, hours=23)
    assert (await mail.run_once()).sent == 0
    clock.advance(hours=1)
    assert (await mail.run_once()).sent == 1
    clock.advance(days=3)
    assert (await mail.run_once()).sent == 1
    clock.advance(days=30)
    assert (await mail.run_once()).sent == 0
    first, second, third = (r.message for r in recorder.received)
    assert second["Subject"] == "Re: First0, a CFO role at a fintech"
    assert second["In-Reply-To"] == first["Message-ID"]
    assert third["References"].split() == [first["Message-ID"], second["Message-ID"]]
    events = sent_events(workspace)
    assert [e.step_index for e in events] == [0, 1, 2]
    assert [e.message_id for e in events] == [m["Message-ID"] for m in (first, second, third)]
    assert all(e.body == "" for e in events)  # the body is private unless the user opts in
    with workspace.store.read() as session:
        enrollment = session.scalars(select(Enrollment)).one()
    assert enrollment.status == EnrollmentStatus.FINISHED.value


async def test_the_body_is_kept_only_when_the_user_opts_in(
    workspace: Workspace, mail: MailFacade
) -> None:
    mail.set_include_body(True)
    seq = three_steps(workspace, mail)
    workspace.add_contacts(seq, people(1))
    await mail.run_once()
    [event] = sent_events(workspace)
    assert event.subject == "First0, a CFO role at a fintech"
    assert "Would Company 0 let you go?" in event.body


async def test_do_not_contact_is_never_mailed(
    workspace: Workspace, mail: MailFacade, recorder: Recorder
) -> None:
    seq = three_steps(workspace, mail)
    workspace.add_contacts(seq, people(3))
    with workspace.store.write() as session:
        session.execute(
            update(Contact)
            .where(Contact.email_key == "person1@contacts.example.com")
            .values(do_not_contact=True)
        )
    report = await mail.run_once()
    assert (report.sent, report.do_not_contact) == (2, 1)
    assert recorder.to("person1@contacts.example.com") == []


async def test_cancel_stops_between_two_emails(
    workspace: Workspace, mail: MailFacade, recorder: Recorder
) -> None:
    seq = three_steps(workspace, mail)
    workspace.add_contacts(seq, people(20))
    first = threading.Event()

    def slow(_received: object) -> None:
        first.set()
        time.sleep(0.05)

    recorder.on_message = slow
    run = asyncio.create_task(mail.run_once())
    await asyncio.to_thread(first.wait, 10)
    run.cancel()
    with pytest.raises(asyncio.CancelledError):
        await run
    sent = len(recorder.received)
    assert 1 <= sent < 20
    with workspace.store.read() as session:
        in_flight = session.scalars(select(Enrollment).where(Enrollment.send_state.is_not(None)))
        assert list(in_flight) == []
    assert len(sent_events(workspace)) == sent


async def test_a_pass_says_whether_a_mailbox_is_set_up(
    serverless_mail: MailFacade, smtp: tuple[str, int]
) -> None:
    """The status bar says "not set up" rather than "checked" for a pass with no mailbox."""
    assert (await serverless_mail.run_once()).mailbox is False
    assert serverless_mail.last_pass is not None
    assert serverless_mail.last_pass.mailbox is False
    serverless_mail.set_smtp(smtp[0], smtp[1], security="none")
    assert (await serverless_mail.run_once()).mailbox is True
    assert serverless_mail.last_pass.mailbox is True


async def test_a_pass_says_whether_it_could_read_replies(
    mail: MailFacade, imap: ImapServer
) -> None:
    """Sending alone reads no reply or bounce: nothing stops a sequence for an answer."""
    assert (await mail.run_once()).inbox is False
    assert mail.last_pass is not None
    assert mail.last_pass.inbox is False
    mail.set_imap(imap.host, imap.port, security="none", user=IMAP_USER)
    mail.save_password("imap", IMAP_PASSWORD)
    assert (await mail.run_once()).inbox is True
    assert mail.last_pass.inbox is True
