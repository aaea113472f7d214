"""Sending like a careful person, on a fake clock against the real SMTP server: a random
pause between two sends that no pass waits out, a cap per recipient domain per hour, and a
sequence that pauses itself when too many of its emails bounce."""

from __future__ import annotations

import itertools
import random

import pytest

from app.domain import ContactInput
from app.errors import InputError
from app.mail.facade import MailFacade
from app.workspace import Workspace
from tests.mail.conftest import FakeClock, people, three_steps
from tests.mail.servers import Recorder


async def test_pacing_sends_one_email_per_pause_and_never_waits(
    workspace: Workspace, mail: MailFacade, recorder: Recorder, clock: FakeClock
) -> None:
    assert mail.set_pacing("30-90").pacing == "30-90"
    mail.rng = random.Random(7)
    draws = random.Random(7)
    seq = three_steps(workspace, mail)
    workspace.add_contacts(seq, people(4))

    first = await mail.run_once()
    assert (first.sent, first.paced, first.deferred) == (1, 3, 3)
    pause = draws.uniform(30, 90)
    clock.advance(seconds=pause - 1)  # the fake clock never moved during the pass
    assert (await mail.run_once()).sent == 0
    clock.advance(seconds=1)
    assert (await mail.run_once()).sent == 1
    times = [clock()]
    for _ in range(2):
        clock.advance(seconds=draws.uniform(30, 90))
        assert (await mail.run_once()).sent == 1
        times.append(clock())
    assert len(recorder.received) == 4
    assert all(30 <= (b - a).total_seconds() <= 90 for a, b in itertools.pairwise(times))


async def test_pacing_off_sends_in_one_pass(
    workspace: Workspace, mail: MailFacade, recorder: Recorder
) -> None:
    assert mail.hygiene().pacing == "off"
    workspace.add_contacts(three_steps(workspace, mail), people(5))
    assert (await mail.run_once()).sent == 5


@pytest.mark.parametrize("text", ["90-30", "abc", "-5", "10-99999", "1-2-3"])
def test_bad_pacing_is_refused(mail: MailFacade, text: str) -> None:
    with pytest.raises(InputError):
        mail.set_pacing(text)


async def test_domain_cap_holds_a_domain_for_an_hour_but_not_the_others(
    workspace: Workspace, mail: MailFacade, recorder: Recorder, clock: FakeClock
) -> None:
    mail.set_domain_cap("3")
    seq = three_steps(workspace, mail)
    big = [ContactInput(f"p{i}@bigco.example.com", f"P{i}") for i in range(5)]
    workspace.add_contacts(seq, [*big, ContactInput("solo@small.example.com", "Solo")])
    report = await mail.run_once()
    assert (report.sent, report.domain_capped) == (4, 2)
    assert len(recorder.to("solo@small.example.com")) == 1
    clock.advance(minutes=59)
    assert (await mail.run_once()).sent == 0
    clock.advance(minutes=2)
    assert (await mail.run_once()).sent == 2


async def test_a_sequence_pauses_itself_past_5_percent_hard_bounces(
    workspace: Workspace, mail: MailFacade, recorder: Recorder, clock: FakeClock
) -> None:
    seq = three_steps(workspace, mail)
    contacts = people(40)
    recorder.refuse = {c.email for c in contacts[:3]}  # 550 at RCPT: hard bounces
    workspace.add_contacts(seq, contacts[3:23])  # 20 good sends first: no rate yet
    assert (await mail.run_once()).sent == 20
    workspace.add_contacts(seq, contacts[:3] + contacts[23:])
    report = await mail.run_once()
    # 2 bounces of 22 is 9 %: paused right there, and says why.
    assert report.bounces == 2
    assert len(report.paused) == 1
    assert "2 of 22 emails bounced" in report.paused[0]
    reason = mail.sequence_hygiene(seq).paused_reason
    assert reason is not None
    assert "resume" in reason
    clock.advance(hours=1)
    assert (await mail.run_once()).sent == 0
    assert mail.resume_sequence(seq) is True
    resumed = await mail.run_once()
    # Counted afresh: one bounce in the first sends after resuming does not pause it.
    assert (resumed.sent, resumed.bounces, resumed.paused) == (17, 1, [])
    assert mail.sequence_hygiene(seq).paused_reason is None


async def test_a_few_bounces_before_20_sends_do_not_pause(
    workspace: Workspace, mail: MailFacade, recorder: Recorder
) -> None:
    seq = three_steps(workspace, mail)
    contacts = people(10)
    recorder.refuse = {contacts[0].email, contacts[1].email}
    workspace.add_contacts(seq, contacts)
    report = await mail.run_once()
    assert (report.sent, report.bounces, report.paused) == (8, 2, [])
