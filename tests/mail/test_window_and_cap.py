"""The sending window and the daily cap hold, on a fake clock."""

from __future__ import annotations

import pytest

from app.errors import InputError
from app.mail.facade import MailFacade
from app.workspace import Workspace
from tests.mail.conftest import FakeClock, people, three_steps
from tests.mail.servers import Recorder

pytestmark = pytest.mark.both_databases

WINDOW = "Mon-Fri 09:00-17:00 Europe/London"


async def test_nothing_goes_out_outside_the_window(
    workspace: Workspace, mail: MailFacade, recorder: Recorder, clock: FakeClock
) -> None:
    assert mail.set_sending_window(" mon-FRI  09:00-17:00 Europe/London") == WINDOW
    seq = three_steps(workspace, mail)
    workspace.add_contacts(seq, people(2))
    for local in [(2030, 1, 5, 11, 0), (2030, 1, 7, 8, 59), (2030, 1, 7, 17, 0)]:
        clock.set_local(*local)  # a Saturday, then Monday before 9 and at 5 pm
        report = await mail.run_once()
        assert (report.sent, report.outside_window, report.deferred) == (0, True, 2)
    clock.set_local(2030, 1, 8, 9, 0)
    assert (await mail.run_once()).sent == 2
    assert len(recorder.received) == 2


async def test_summer_time_moves_the_window_in_utc(
    workspace: Workspace, mail: MailFacade, clock: FakeClock
) -> None:
    mail.set_sending_window(WINDOW)
    seq = three_steps(workspace, mail)
    workspace.add_contacts(seq, people(1))
    clock.set_local(2030, 7, 1, 8, 30)  # 07:30 UTC: inside in winter time, not in summer
    assert (await mail.run_once()).sent == 0
    clock.advance(minutes=30)
    assert (await mail.run_once()).sent == 1


async def test_the_daily_cap_holds_and_resets_at_local_midnight(
    workspace: Workspace, mail: MailFacade, recorder: Recorder, clock: FakeClock
) -> None:
    mail.set_sending_window("Mon-Sun 00:00-24:00 America/New_York")
    mail.set_daily_cap(20)
    seq = three_steps(workspace, mail)
    workspace.add_contacts(seq, people(50))
    report = await mail.run_once()
    assert (report.sent, report.cap_reached, report.deferred) == (20, True, 30)
    clock.advance(hours=1)
    assert (await mail.run_once()).sent == 0
    clock.set_local(2030, 1, 8, 4, 59)  # 04:59 in London is 23:59 in New York: same day
    assert (await mail.run_once()).sent == 0
    clock.advance(minutes=1)
    assert (await mail.run_once()).sent == 20
    assert len(recorder.received) == 40
    clock.advance(days=1)
    assert (await mail.run_once()).sent == 10


@pytest.mark.parametrize(
    ("window", "message"),
    [
        ("weekdays", "not a sending window"),
        ("Mon-Fri 17:00-09:00 Europe/London", "must end after it starts"),
        ("Mon-Fri 09:00-17:00 Mars/Olympus", "not a time zone"),
        ("Mon-Fry 09:00-17:00 UTC", "not a day"),
        ("Mon-Fri 09:00-25:00 UTC", "not a time of day"),
    ],
)
def test_bad_windows_are_refused(mail: MailFacade, window: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        mail.set_sending_window(window)


@pytest.mark.parametrize("cap", [0, 100_000])
def test_bad_caps_are_refused(mail: MailFacade, cap: int) -> None:
    with pytest.raises(InputError, match="daily cap"):
        mail.set_daily_cap(cap)
