"""Clockwork requests and 429s of the last hour, for the status bar and `status --json`."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass

from app.clockwork.ratelimit import Clock

WINDOW_SECONDS = 3600.0


@dataclass(frozen=True, slots=True)
class MeterReading:
    requests_last_hour: int
    throttled_last_hour: int
    #: The client-side cap, in requests per hour.
    rate_limit: int

    def as_dict(self) -> dict[str, int]:
        return {
            "requests_last_hour": self.requests_last_hour,
            "rate_limit": self.rate_limit,
            "throttled_last_hour": self.throttled_last_hour,
        }


class RequestMeter:
    def __init__(self, clock: Clock = time.monotonic) -> None:
        self._clock = clock
        self._requests: deque[float] = deque()
        self._throttled: deque[float] = deque()

    def request(self) -> None:
        self._requests.append(self._clock())

    def throttled(self) -> None:
        self._throttled.append(self._clock())

    def reading(self, rate_per_second: float) -> MeterReading:
        start = self._clock() - WINDOW_SECONDS
        for times in (self._requests, self._throttled):
            while times and times[0] < start:
                times.popleft()
        return MeterReading(
            len(self._requests), len(self._throttled), round(rate_per_second * WINDOW_SECONDS)
        )
