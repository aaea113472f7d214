"""The request meter: requests and 429s of the last hour, against the cap."""

from __future__ import annotations

from app.clockwork.meter import RequestMeter
from app.sandbox.harness import sandbox_client


def test_old_requests_leave_the_window() -> None:
    now = [0.0]
    meter = RequestMeter(clock=lambda: now[0])
    meter.request()
    meter.throttled()
    now[0] = 1800.0
    meter.request()
    assert meter.reading(5.0).as_dict() == {
        "requests_last_hour": 2,
        "rate_limit": 18000,
        "throttled_last_hour": 1,
    }
    now[0] = 3601.0
    reading = meter.reading(0.5)
    assert (reading.requests_last_hour, reading.throttled_last_hour) == (1, 0)
    assert reading.rate_limit == 1800


async def test_the_client_counts_its_requests_and_429s() -> None:
    async with sandbox_client() as (client, _, knobs):
        knobs.burst_429 = 2
        knobs.retry_after_s = 0.001
        await client.list_people(limit=1)
        reading = client.meter()
    assert reading.requests_last_hour == 3
    assert reading.throttled_last_hour == 2
