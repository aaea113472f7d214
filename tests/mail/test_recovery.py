"""Nothing is sent twice after a crash between "sending" and "sent", and nothing is lost."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from app.domain import ActivityKind
from app.mail.facade import MailFacade
from app.mail.inbox import LEASE
from app.mail.runner import Runner
from app.mail.smtp import SmtpSession
from app.mail.types import SendState
from app.store.models import ActivityEvent, Enrollment
from app.workspace import Workspace
from tests.mail.conftest import FakeClock, people, three_steps
from tests.mail.servers import ImapServer, Received, Recorder

pytestmark = pytest.mark.both_databases


class Crash(BaseException):
    """Stands for the process dying: nothing after it runs, no handler catches it."""


@pytest.fixture
def files_sent_copies(recorder: Recorder, imap: ImapServer, clock: FakeClock) -> Iterator[None]:
    """Like Gmail or Exchange: the server keeps a copy of what it sent in the Sent folder."""

    def file_copy(received: Received) -> None:
        imap.deliver(received.content, clock(), folder="Sent")

    recorder.on_message = file_copy
    yield
    recorder.on_message = None


def crash_after_smtp(monkeypatch: pytest.MonkeyPatch) -> None:
    def settle(*_args: object) -> None:
        raise Crash

    monkeypatch.setattr(Runner, "_settle", settle)


def crash_before_smtp(monkeypatch: pytest.MonkeyPatch) -> None:
    def send(*_args: object) -> None:
        raise Crash

    monkeypatch.setattr(SmtpSession, "send", send)


def states(ws: Workspace) -> list[tuple[int, str | None]]:
    with ws.store.read() as session:
        return [(e.next_step, e.send_state) for e in session.scalars(select(Enrollment))]


def sent_ids(ws: Workspace) -> list[str | None]:
    with ws.store.read() as session:
        query = select(ActivityEvent.message_id).where(
            ActivityEvent.kind == ActivityKind.SENT.value
        )
        return list(session.scalars(query))


async def crashed_run(
    ws: Workspace, mail: MailFacade, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    seq = three_steps(ws, mail, "Crashing")
    ws.add_contacts(seq, people(1))
    with monkeypatch.context() as patch:
        (crash_after_smtp if when == "after" else crash_before_smtp)(patch)
        with pytest.raises(Crash):
            await mail.run_once()
    assert (0, SendState.SENDING) in states(ws)


async def test_a_send_found_in_sent_is_recorded_not_resent(
    workspace: Workspace,
    mail_imap: MailFacade,
    recorder: Recorder,
    clock: FakeClock,
    files_sent_copies: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await crashed_run(workspace, mail_imap, monkeypatch, "after")
    clock.advance(minutes=5)
    assert (await mail_imap.run_once()).confirmed == 0  # inside the lease: maybe still running
    clock.advance(seconds=LEASE.total_seconds())
    report = await mail_imap.run_once()
    assert (report.confirmed, report.sent) == (1, 0)
    assert len(recorder.received) == 1
    assert sent_ids(workspace) == [recorder.received[0].message["Message-ID"]]
    assert states(workspace) == [(1, None)]


async def test_a_send_proven_missing_goes_once_with_its_message_id(
    workspace: Workspace,
    mail_imap: MailFacade,
    recorder: Recorder,
    clock: FakeClock,
    files_sent_copies: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seq = three_steps(workspace, mail_imap, "Earlier")
    workspace.add_contacts(seq, people(1, start=5))
    await mail_imap.run_once()  # a first email that is in Sent: the server files copies
    await crashed_run(workspace, mail_imap, monkeypatch, "before")
    with workspace.store.read() as session:
        claimed = session.scalars(
            select(Enrollment.send_message_id).where(Enrollment.send_state.is_not(None))
        ).one()
    clock.advance(seconds=LEASE.total_seconds() + 1)
    report = await mail_imap.run_once()
    assert (report.requeued, report.sent) == (1, 1)
    assert [r.message["Message-ID"] for r in recorder.received][-1] == claimed
    assert len(recorder.received) == 2


async def test_without_imap_a_crashed_send_waits_for_the_user(
    workspace: Workspace,
    mail: MailFacade,
    recorder: Recorder,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await crashed_run(workspace, mail, monkeypatch, "after")
    clock.advance(hours=1)
    report = await mail.run_once()
    assert (report.uncertain, report.sent) == (1, 0)
    clock.advance(days=5)
    assert (await mail.run_once()).sent == 0
    [pending] = mail.uncertain()
    assert pending.email == "person0@contacts.example.com"
    assert pending.message_id == recorder.received[0].message["Message-ID"]
    mail.resolve_uncertain(pending.enrollment_id, was_sent=True)
    assert mail.uncertain() == []
    assert states(workspace) == [(1, None)]
    assert len(recorder.received) == 1


async def test_the_user_can_say_an_uncertain_send_never_went(
    workspace: Workspace,
    mail: MailFacade,
    recorder: Recorder,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await crashed_run(workspace, mail, monkeypatch, "before")
    clock.advance(hours=1)
    assert (await mail.run_once()).uncertain == 1
    [pending] = mail.uncertain()
    mail.resolve_uncertain(pending.enrollment_id, was_sent=False)
    assert (await mail.run_once()).sent == 1
    assert recorder.received[0].message["Message-ID"] == pending.message_id
