"""Client-side request cap: a token bucket plus a bound on requests in flight.

Clockwork publishes no rate limit, so we keep our own (the user can see and change it)
and slow everyone down when the server answers 429. Clock and sleep are injectable so
tests can run the bucket on a fake clock.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

DEFAULT_RATE = 5.0
DEFAULT_BURST = 2.0
DEFAULT_CONCURRENCY = 4
_EPSILON = 1e-9


class TokenBucket:
    def __init__(
        self,
        rate: float = DEFAULT_RATE,
        burst: float = DEFAULT_BURST,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        _check_positive("rate", rate)
        _check_positive("burst", burst)
        self._rate = rate
        self._burst = max(burst, 1.0)
        self._clock = clock
        self._sleep = sleep
        self._tokens = self._burst
        self._updated = clock()
        self._paused_until = 0.0
        # Waiters queue here one at a time, which keeps the order fair.
        self._lock = asyncio.Lock()

    @property
    def rate(self) -> float:
        """Requests per second; settable while requests are running."""
        return self._rate

    @rate.setter
    def rate(self, value: float) -> None:
        _check_positive("rate", value)
        self._refill(self._clock())  # tokens earned so far count at the old rate
        self._rate = value

    def pause(self, seconds: float) -> None:
        """Hold every request for `seconds` (a 429's Retry-After applies to all of them)."""
        self._paused_until = max(self._paused_until, self._clock() + max(seconds, 0.0))

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                now = self._clock()
                self._refill(now)
                wait = self._paused_until - now
                if wait <= 0:
                    # The epsilon absorbs float error, which could otherwise ask for a
                    # sleep too short to move the clock at all.
                    if self._tokens >= 1.0 - _EPSILON:
                        self._tokens = max(self._tokens - 1.0, 0.0)
                        return
                    wait = (1.0 - self._tokens) / self._rate
                await self._sleep(wait)

    def _refill(self, now: float) -> None:
        elapsed = max(now - self._updated, 0.0)
        self._tokens = min(self._burst, self._tokens + elapsed * self._rate)
        self._updated = now


class RequestLimiter:
    """At most `concurrency` requests in flight, started at no more than `rate` per second."""

    def __init__(
        self,
        rate: float = DEFAULT_RATE,
        concurrency: int = DEFAULT_CONCURRENCY,
        *,
        burst: float = DEFAULT_BURST,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.bucket = TokenBucket(rate, burst, clock=clock, sleep=sleep)
        self.concurrency = concurrency
        self._slots = asyncio.Semaphore(concurrency)

    @property
    def rate(self) -> float:
        return self.bucket.rate

    @rate.setter
    def rate(self, value: float) -> None:
        self.bucket.rate = value

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        async with self._slots:
            await self.bucket.acquire()
            yield


def _check_positive(name: str, value: float) -> None:
    if not value > 0:
        raise ValueError(f"{name} must be positive")
