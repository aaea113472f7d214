"""The client-side request cap, on a fake clock so no test waits for real."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from app.clockwork.ratelimit import RequestLimiter, TokenBucket


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


async def _times(bucket: TokenBucket, clock: FakeClock, n: int) -> list[float]:
    stamps = []
    for _ in range(n):
        await bucket.acquire()
        stamps.append(clock.now)
    return stamps


async def test_burst_then_steady_rate() -> None:
    clock = FakeClock()
    bucket = TokenBucket(rate=5.0, burst=2.0, clock=clock, sleep=clock.sleep)
    stamps = await _times(bucket, clock, 12)
    assert stamps[:2] == [1000.0, 1000.0]  # the burst goes out at once
    gaps = [b - a for a, b in itertools.pairwise(stamps[1:])]
    assert gaps == pytest.approx([0.2] * 10)
    assert stamps[-1] - stamps[0] == pytest.approx(2.0)


async def test_never_more_than_rate_in_any_window() -> None:
    clock = FakeClock()
    bucket = TokenBucket(rate=10.0, burst=3.0, clock=clock, sleep=clock.sleep)
    stamps = await asyncio.gather(*(_times(bucket, clock, 10) for _ in range(5)))
    flat = sorted(t for run in stamps for t in run)
    assert len(flat) == 50
    for start in flat:
        in_window = [t for t in flat if start <= t < start + 1.0]
        assert len(in_window) <= 10 + 3


async def test_rate_can_change_while_running() -> None:
    clock = FakeClock()
    bucket = TokenBucket(rate=1.0, burst=1.0, clock=clock, sleep=clock.sleep)
    await bucket.acquire()
    bucket.rate = 4.0
    assert bucket.rate == 4.0
    start = clock.now
    await bucket.acquire()
    assert clock.now - start == pytest.approx(0.25)
    with pytest.raises(ValueError, match="positive"):
        bucket.rate = 0
    with pytest.raises(ValueError, match="positive"):
        TokenBucket(rate=float("nan"))


async def test_pause_holds_everyone() -> None:
    clock = FakeClock()
    bucket = TokenBucket(rate=100.0, burst=5.0, clock=clock, sleep=clock.sleep)
    bucket.pause(3.0)
    await bucket.acquire()
    assert clock.now == pytest.approx(1003.0)
    await bucket.acquire()  # burst tokens are still there after the pause
    assert clock.now == pytest.approx(1003.0)


async def test_limiter_bounds_requests_in_flight() -> None:
    clock = FakeClock()
    limiter = RequestLimiter(rate=1000.0, concurrency=3, clock=clock, sleep=clock.sleep)
    in_flight = peak = 0

    async def request() -> None:
        nonlocal in_flight, peak
        async with limiter.slot():
            in_flight += 1
            peak = max(peak, in_flight)
            await asyncio.sleep(0.001)
            in_flight -= 1

    await asyncio.gather(*(request() for _ in range(20)))
    assert peak == 3
    limiter.rate = 7.0
    assert limiter.rate == limiter.bucket.rate == 7.0
    with pytest.raises(ValueError, match="concurrency"):
        RequestLimiter(concurrency=0)
