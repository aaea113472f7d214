"""The sending window: "always", or days, hours and a time zone like
"Mon-Fri 09:00-17:00 Europe/London". Mail goes out only inside it, in the recipient-facing
hours the recruiter chose, and the daily cap counts days in the same zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.errors import InputError

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_FULL_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ALWAYS = "always"
_SHAPE = re.compile(
    r"(?P<days>\S+)\s+(?P<start>\d{1,2}:\d{2})-(?P<end>\d{1,2}:\d{2})\s+(?P<tz>\S+)"
)
_EXAMPLE = 'Say "always" or days, hours and a time zone, like "Mon-Fri 09:00-17:00 Europe/London".'


@dataclass(frozen=True, slots=True)
class SendingWindow:
    #: Weekday numbers (Monday 0); None with the other fields unused means "always".
    days: frozenset[int] | None = None
    start: int = 0  # minutes after local midnight, inclusive
    end: int = 24 * 60  # minutes after local midnight, exclusive
    zone: str = "UTC"

    @property
    def always(self) -> bool:
        return self.days is None

    def tz(self) -> tzinfo:
        return UTC if self.always else ZoneInfo(self.zone)

    def allows(self, now: datetime) -> bool:
        if self.days is None:
            return True
        local = now.astimezone(self.tz())
        minute = local.hour * 60 + local.minute
        return local.weekday() in self.days and self.start <= minute < self.end

    def day_start(self, now: datetime) -> datetime:
        """The start, in UTC, of the window zone's calendar day containing `now`."""
        local = now.astimezone(self.tz())
        midnight = datetime.combine(local.date(), time(0), tzinfo=self.tz())
        return midnight.astimezone(UTC)

    def next_day_start(self, now: datetime) -> datetime:
        local = now.astimezone(self.tz())
        tomorrow = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=self.tz())
        return tomorrow.astimezone(UTC)

    def __str__(self) -> str:
        if self.days is None:
            return ALWAYS
        return f"{_days_text(self.days)} {_hhmm(self.start)}-{_hhmm(self.end)} {self.zone}"


def parse_window(text: str) -> SendingWindow:
    clean = " ".join(text.split())
    if clean.lower() == ALWAYS:
        return SendingWindow()
    shape = _SHAPE.fullmatch(clean)
    if shape is None:
        raise InputError(f'"{text.strip()}" is not a sending window. {_EXAMPLE}')
    start, end = _minutes(shape["start"]), _minutes(shape["end"])
    if start >= end:
        raise InputError("The sending window must end after it starts, on the same day.")
    return SendingWindow(_parse_days(shape["days"]), start, end, _zone(shape["tz"]))


def _parse_days(text: str) -> frozenset[int]:
    days: set[int] = set()
    for part in text.split(","):
        first, _, last = part.partition("-")
        a = _day(first)
        b = _day(last) if last else a
        # A range may wrap around the week: Sat-Mon is Saturday, Sunday and Monday.
        days.update((a + i) % 7 for i in range((b - a) % 7 + 1))
    return frozenset(days)


def _day(text: str) -> int:
    """Mon, mon, Monday: three letters or more of an English day name."""
    key = text.strip().lower()
    for number, name in enumerate(_FULL_DAYS):
        if len(key) >= 3 and name.startswith(key):
            return number
    raise InputError(f'"{text}" is not a day. Use Mon, Tue, Wed, Thu, Fri, Sat or Sun.')


def _minutes(text: str) -> int:
    hours, minutes = (int(x) for x in text.split(":"))
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise InputError(f'"{text}" is not a time of day (00:00 to 24:00).')
    return hours * 60 + minutes


def _zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(
            f'"{name}" is not a time zone. Use a name like Europe/London or America/New_York.'
        ) from None
    return name


def _days_text(days: frozenset[int]) -> str:
    """Runs of consecutive days as ranges: {0,1,2,3,4} is "Mon-Fri", {0,2} is "Mon,Wed"."""
    runs: list[tuple[int, int]] = []
    for day in sorted(days):
        if runs and runs[-1][1] == day - 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return ",".join(DAYS[a] if a == b else f"{DAYS[a]}-{DAYS[b]}" for a, b in runs)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
