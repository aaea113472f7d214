"""Opt-outs end to end, against the real SMTP (aiosmtpd) and IMAP (pymap) servers: the
List-Unsubscribe header and the footer on what goes out; an unsubscribe by mailto and one by
a reply, each ending every sequence of that person, a teammate's and a later one included;
quoted text that must not count; and undoing an opt-out, with a reason."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.domain import ContactInput, EnrollmentStatus
from app.mail.facade import MailFacade
from app.secrets import SecretStore
from app.store.models import Contact, Enrollment
from app.workspace import Workspace
from tests.mail import messages
from tests.mail.conftest import FakeClock, people, three_steps
from tests.mail.servers import IMAP_USER, ImapServer, Recorder

pytestmark = pytest.mark.both_databases

TARGET = "person0@contacts.example.com"
OTHER = "person1@contacts.example.com"


def teammate(ws: Workspace, mail: MailFacade, clock: FakeClock) -> tuple[Workspace, MailFacade]:
    """Ben, on the same database, with his own sequence to the same person, sending through
    the same SMTP server (he has no IMAP: he never sees the opt-out himself)."""
    ws.team.add("Ben Member", "ben@firm.example.com")
    ben = Workspace(ws.store, user_email="ben@firm.example.com")
    ben_mail = MailFacade(ben.store, ben.bus, ben.user_id, secrets=SecretStore(), clock=clock)
    ben_mail.set_from("Ben Member <ben@firm.example.com>")
    smtp = mail.settings().smtp
    ben_mail.set_smtp(smtp.host, smtp.port, security="none")
    ben_mail.set_pacing("off")
    ben_mail.set_domain_cap("off")
    return ben, ben_mail


def enrollments_of(ws: Workspace, email: str) -> list[str]:
    with ws.store.read() as session:
        return sorted(
            session.scalars(
                select(Enrollment.status)
                .join(Contact, Contact.id == Enrollment.contact_id)
                .where(Contact.email_key == email)
            )
        )


async def test_every_email_carries_list_unsubscribe_and_the_footer_only_when_on(
    workspace: Workspace, mail: MailFacade, recorder: Recorder
) -> None:
    seq = three_steps(workspace, mail)
    workspace.add_contacts(seq, people(2))
    assert mail.sequence_hygiene(seq).footer_enabled is False
    assert (await mail.run_once()).sent == 2
    first = recorder.to(TARGET)[0].message
    assert first["List-Unsubscribe"] == f"<mailto:{IMAP_USER}?subject=unsubscribe>"
    assert "unsubscribe" not in first.get_payload()

    other = workspace.create_sequence("COO search").id
    mail.add_step(other, subject="A COO role", body="Hi {first_name}")
    mail.set_footer(other, enabled=True, text="Not for you? Reply 'unsubscribe'.")
    workspace.add_contacts(other, [ContactInput("someone@elsewhere.example.com", "Sam")])
    await mail.run_once()
    footed = recorder.to("someone@elsewhere.example.com")[0].message
    assert footed.get_payload().rstrip().endswith("Not for you? Reply 'unsubscribe'.")
    assert footed["List-Unsubscribe"] == f"<mailto:{IMAP_USER}?subject=unsubscribe>"


@pytest.mark.parametrize(
    ("subject", "text", "source"),
    [
        ("unsubscribe", "", "mailto"),  # what a mail program's button sends
        ("AW: Re: UNSUBSCRIBE", "", "mailto"),
        (
            "Re: a CFO role",
            "Bitte entfernen Sie mich aus Ihrem Verteiler.\n\n"
            "Am Mo., 7. Jan. 2030 um 10:00 schrieb Rita <recruiter@firm.example.com>:\n"
            "> Hi First0, would Company 0 let you go?",
            "reply",
        ),
    ],
)
async def test_an_opt_out_ends_every_sequence_of_the_person_for_the_whole_team(
    workspace: Workspace,
    mail_imap: MailFacade,
    imap: ImapServer,
    recorder: Recorder,
    clock: FakeClock,
    subject: str,
    text: str,
    source: str,
) -> None:
    mail = mail_imap
    first = three_steps(workspace, mail, "CFO search")
    second = three_steps(workspace, mail, "Board search")
    workspace.add_contacts(first, people(2))
    workspace.add_contacts(second, people(1))
    ben, ben_mail = teammate(workspace, mail, clock)
    ben_seq = three_steps(ben, ben_mail, "Ben's CFO search")
    ben.add_contacts(ben_seq, people(2))
    assert (await mail.run_once()).sent == 3
    assert (await ben_mail.run_once()).sent == 2

    imap.deliver(messages.reply(f"First0 <{TARGET.upper()}>", None, subject, text), clock())
    clock.advance(days=2)
    report = await mail.run_once()
    assert report.opted_out == 1
    entry = workspace.suppression.get(TARGET)
    assert entry is not None
    assert entry.source == source
    assert entry.active
    assert (subject if source == "mailto" else "entfernen Sie mich") in entry.trigger
    assert EnrollmentStatus.ACTIVE not in enrollments_of(workspace, TARGET)
    assert EnrollmentStatus.OPTED_OUT in enrollments_of(workspace, TARGET)

    later = three_steps(workspace, mail, "Later search")
    added = workspace.add_contacts(later, people(2))
    assert added.suppressed == [TARGET]
    clock.advance(days=3)
    await mail.run_once()
    await ben_mail.run_once()
    assert len(recorder.to(TARGET)) == 3  # the three first steps, nothing after
    assert len(recorder.to(OTHER)) > 2  # the others carry on
    assert ben.status(with_contacts=True)["contacts"][0]["opted_out"] is True


async def test_quoted_text_and_signatures_do_not_opt_out(
    workspace: Workspace, mail_imap: MailFacade, imap: ImapServer, clock: FakeClock
) -> None:
    mail = mail_imap
    seq = three_steps(workspace, mail)
    mail.set_footer(seq, enabled=True)
    workspace.add_contacts(seq, people(2))
    await mail.run_once()
    quoting = (
        "Happy to talk on Thursday.\n\nBest,\nFirst0\n-- \nFirst0 | CFO | to unsubscribe from "
        "our newsletter, click here\n\nOn Mon, 7 Jan 2030, Rita wrote:\n"
        "> Reply 'unsubscribe' and I won't write again.\n> Please remove me? No: you."
    )
    imap.deliver(messages.reply(TARGET, None, "Re: a CFO role", quoting), clock())
    # Our own footer, carried below an answer without quote marks, is not their request.
    unquoted = "Sure, call me.\n\nReply 'unsubscribe' and I won't write again."
    imap.deliver(messages.reply(OTHER, None, "Re: a CFO role", unquoted), clock())
    report = await mail.run_once()
    assert (report.replies, report.opted_out) == (2, 0)
    assert workspace.suppression.listing() == []


async def test_undoing_an_opt_out_needs_a_reason_and_lets_the_sequence_go_on(
    workspace: Workspace, mail_imap: MailFacade, imap: ImapServer, recorder: Recorder,
    clock: FakeClock,
) -> None:  # fmt: skip
    mail = mail_imap
    first = three_steps(workspace, mail, "CFO search")
    workspace.add_contacts(first, people(1))
    other = three_steps(workspace, mail, "Board search")
    await mail.run_once()
    imap.deliver(messages.reply("colleague@firm.example.com", None, "Unsubscribe"), clock())
    await mail.run_once()
    # An unsubscribe request counts from anyone, so a misfiled one is undone by hand.
    assert workspace.suppression.get("colleague@firm.example.com") is not None
    workspace.suppression.add([TARGET.upper()], note="asked on the phone")
    workspace.add_contacts(other, people(1))
    with pytest.raises(Exception, match="reason"):
        workspace.suppression.remove([TARGET], "  ")
    assert workspace.suppression.remove([TARGET], "Called back: wants to hear more") == [TARGET]
    entry = workspace.suppression.get(TARGET)
    assert entry is not None
    assert not entry.active
    assert entry.lifted_reason == "Called back: wants to hear more"
    assert entry.lifted_by == workspace.me().email
    assert enrollments_of(workspace, TARGET) == [EnrollmentStatus.ACTIVE]
    clock.advance(days=2)
    await mail.run_once()
    assert len(recorder.to(TARGET)) == 2


def test_the_preview_shows_the_footer_when_it_is_on(workspace: Workspace, mail: MailFacade) -> None:
    seq = three_steps(workspace, mail)
    workspace.add_contacts(seq, people(1))
    contact = workspace.contact_id(TARGET)
    assert "unsubscribe" not in mail.preview(seq, 0, contact).body
    mail.set_footer(seq, enabled=True)
    assert mail.preview(seq, 1, contact).body.endswith(
        "Reply 'unsubscribe' and I won't write again."
    )
    with pytest.raises(Exception, match="at most"):
        mail.set_footer(seq, text="x" * 301)
