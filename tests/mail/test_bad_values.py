"""One bad value fails one contact, never the pass: values that reached the database before
input was checked (or that only the server can refuse) meet a real SMTP server (aiosmtpd)."""

from __future__ import annotations

from collections.abc import Iterator
from email import message_from_string, policy

import pytest
from sqlalchemy import select, update

from app.domain import ContactInput
from app.mail import smtp as smtp_module
from app.mail.facade import MailFacade
from app.mail.sending import RETRY_AFTER
from app.mail.types import SendState
from app.store.models import Contact, EmailSettings, Enrollment, SequenceStep
from app.workspace import Workspace
from tests.mail.conftest import FakeClock, people, three_steps
from tests.mail.servers import Recorder, smtp_server

pytestmark = pytest.mark.both_databases


def stuck(ws: Workspace) -> list[int]:
    """Enrollments left "sending": none may be, when nothing can have gone."""
    with ws.store.read() as session:
        query = select(Enrollment.id).where(Enrollment.send_state == SendState.SENDING.value)
        return list(session.scalars(query))


def bad_first(ws: Workspace, mail: MailFacade, bad: list[ContactInput]) -> int:
    """The bad contacts in one sequence, added first so they are due first; then two good
    contacts in another sequence, whose mail must still go."""
    bad_seq = three_steps(ws, mail, "Bad")
    ws.add_contacts(bad_seq, bad)
    ws.add_contacts(three_steps(ws, mail, "Good"), people(2))
    return bad_seq


async def test_a_subject_with_a_line_break_fails_its_contacts_and_the_rest_still_go(
    workspace: Workspace, mail: MailFacade, recorder: Recorder, clock: FakeClock
) -> None:
    bad_seq = bad_first(workspace, mail, people(1, start=10))
    with workspace.store.write() as session:  # as an older version let it be saved
        session.execute(
            update(SequenceStep)
            .where(SequenceStep.sequence_id == bad_seq, SequenceStep.position == 0)
            .values(subject="Hello\r\nBcc: eve@evil.example.com")
        )
    report = await mail.run_once()
    assert (report.sent, report.failed) == (2, 1)
    assert len(recorder.received) == 2
    assert not any(b"evil" in r.content for r in recorder.received)
    assert stuck(workspace) == []
    [failure] = mail.failures()
    assert failure.email == "person10@contacts.example.com"
    assert "could not be made" in failure.reason
    assert failure.retry_at == clock() + RETRY_AFTER
    # Fixed: on the next try it goes, and the reason is gone.
    mail.update_step(bad_seq, 0, subject="Hello again")
    clock.advance(hours=1)
    report = await mail.run_once()
    assert (report.sent, report.failed) == (1, 0)
    assert mail.failures() == []


@pytest.mark.parametrize("name", ["Ada\nBcc: eve@evil.example.com", "Ada\u2028Lovelace", "A\x1cB"])
async def test_a_contact_name_that_breaks_a_header_fails_that_contact_only(
    workspace: Workspace, mail: MailFacade, recorder: Recorder, name: str
) -> None:
    bad_first(workspace, mail, people(1, start=10))
    with workspace.store.write() as session:
        session.execute(
            update(Contact)
            .where(Contact.email == "person10@contacts.example.com")
            .values(first_name=name)
        )
    report = await mail.run_once()
    assert (report.sent, report.failed) == (2, 1)
    assert stuck(workspace) == []
    assert [f.email for f in mail.failures()] == ["person10@contacts.example.com"]
    assert all(b"evil" not in r.content for r in recorder.received)


@pytest.fixture
def ascii_only(serverless_mail: MailFacade, recorder: Recorder) -> Iterator[MailFacade]:
    """Sending through an SMTP server that does not offer SMTPUTF8 (aiosmtpd offers it unless
    told not to), as many company relays do not."""
    with smtp_server(recorder, enable_SMTPUTF8=False) as (host, port):
        serverless_mail.set_smtp(host, port, security="none")
        yield serverless_mail


async def test_a_non_ascii_address_fails_that_contact_when_the_server_lacks_smtputf8(
    workspace: Workspace, ascii_only: MailFacade, recorder: Recorder
) -> None:
    bad_first(workspace, ascii_only, [ContactInput(email="josé@bücher.example", first_name="J")])
    report = await ascii_only.run_once()
    assert (report.sent, report.failed) == (2, 1)
    assert stuck(workspace) == []
    [failure] = ascii_only.failures()
    assert failure.email == "josé@bücher.example"
    assert "does not offer SMTPUTF8" in failure.reason
    assert any("josé@bücher.example" in e and "SMTPUTF8" in e for e in report.errors)
    assert all("josé" not in r.rcpt_tos[0] for r in recorder.received)


async def test_a_non_ascii_address_goes_through_a_server_that_offers_smtputf8(
    workspace: Workspace, mail: MailFacade, recorder: Recorder
) -> None:
    bad_first(workspace, mail, [ContactInput(email="josé@bücher.example", first_name="J")])
    report = await mail.run_once()
    assert (report.sent, report.failed) == (3, 0)
    [utf8] = [r for r in recorder.received if "josé@bücher.example" in r.rcpt_tos]
    to = message_from_string(utf8.content.decode("utf-8"), policy=policy.default)["To"]
    assert to.addresses[0].addr_spec == "josé@bücher.example"
    assert utf8.smtputf8
    assert not any(r.smtputf8 for r in recorder.received if r is not utf8)


async def test_an_idn_domain_goes_in_its_ascii_form_to_any_server(
    workspace: Workspace, ascii_only: MailFacade, recorder: Recorder
) -> None:
    bad_first(workspace, ascii_only, [ContactInput(email="bob@bücher.example", first_name="B")])
    report = await ascii_only.run_once()
    assert (report.sent, report.failed) == (3, 0)
    assert any("bob@xn--bcher-kva.example" in r.rcpt_tos for r in recorder.received)


async def test_an_unsendable_bcc_stops_the_pass_before_any_step_is_claimed(
    workspace: Workspace, ascii_only: MailFacade, recorder: Recorder
) -> None:
    mail = ascii_only
    workspace.add_contacts(three_steps(workspace, mail), people(3))
    with workspace.store.write() as session:  # as an older version let it be saved
        session.execute(update(EmailSettings).values(bcc_address="pendülum@firm.example.com"))
    report = await mail.run_once()
    assert (report.sent, report.failed, report.deferred) == (0, 0, 3)
    assert any(e.startswith("Nothing was sent: pendülum@") for e in report.errors)
    assert recorder.received == []
    assert stuck(workspace) == []
    assert mail.failures() == []  # not the contacts' fault


async def test_a_bug_before_data_does_not_leave_the_step_sending(
    workspace: Workspace, mail: MailFacade, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace.add_contacts(three_steps(workspace, mail), people(1))

    def broken(*_args: object) -> None:
        raise RuntimeError("a bug in the envelope code")

    monkeypatch.setattr(smtp_module, "_envelope", broken)
    with pytest.raises(RuntimeError):
        await mail.run_once()
    assert stuck(workspace) == []
    [failure] = mail.failures()
    assert "internal error" in failure.reason
