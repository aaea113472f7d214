"""The dice behind the sandbox's injected faults and its per-firm rate limit.

Draws come from one seeded RNG in a fixed order, so a faulty run can be replayed by
setting the same `seed` knob and sending the same requests.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from app.sandbox.knobs import Knobs

_SERVER_ERRORS = (500, 502, 503)


class DroppedConnection(httpx.RemoteProtocolError):
    """Raised by the sandbox after applying a write, to cut the answer off.

    Under uvicorn the exception closes the socket mid-answer. Under httpx.ASGITransport it
    reaches the client as is, and being an httpx transport error it looks the same there.
    """


@dataclass(frozen=True, slots=True)
class Rejection:
    """An answer given instead of handling the request at all."""

    status: int
    fault: str
    headers: dict[str, str] = field(default_factory=dict)


class FaultPlan:
    def __init__(self, knobs: Knobs, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.knobs = knobs
        self._clock = clock
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._seed = self.knobs.seed
            self._rng = random.Random(self._seed)
            self._buckets: dict[str, tuple[float, float]] = {}

    def before(self, firm: str) -> Rejection | None:
        """429 (burst knob, rate limit) or an injected 5xx, decided before the request runs."""
        knobs = self.knobs
        with self._lock:
            self._follow_seed()
            if knobs.burst_429 > 0:
                knobs.burst_429 -= 1
                return self._too_many(1.0)
            if knobs.rate_limit is not None:
                wait = self._take_token(firm, knobs.rate_limit)
                if wait > 0:
                    return self._too_many(wait)
            if self._roll(knobs.fault_rate):
                return Rejection(self._rng.choice(_SERVER_ERRORS), "5xx")
        return None

    def after(self, method: str) -> str | None:
        """How to spoil the answer of a request that was applied: drop, timeout or malformed."""
        knobs = self.knobs
        with self._lock:
            self._follow_seed()
            if method != "GET" and self._roll(knobs.drop_after_write_rate):
                return "drop"
            if self._roll(knobs.timeout_rate):
                return "timeout"
            if self._roll(knobs.malformed_rate):
                return "malformed"
        return None

    def _follow_seed(self) -> None:
        if self.knobs.seed != self._seed:  # changed over /_sandbox/knobs
            self._seed = self.knobs.seed
            self._rng = random.Random(self._seed)

    def _roll(self, probability: float) -> bool:
        # No draw for a knob that is off, so turning one on does not shift the others.
        return probability > 0 and self._rng.random() < probability

    def _take_token(self, firm: str, rate: float) -> float:
        """0 if a token was taken, else seconds until the next one. One second of burst."""
        now = self._clock()
        capacity = max(rate, 1.0)
        tokens, updated = self._buckets.get(firm, (capacity, now))
        tokens = min(capacity, tokens + (now - updated) * rate)
        if tokens >= 1.0:
            self._buckets[firm] = (tokens - 1.0, now)
            return 0.0
        self._buckets[firm] = (tokens, now)
        return (1.0 - tokens) / rate

    def _too_many(self, wait: float) -> Rejection:
        fixed = self.knobs.retry_after_s
        # Real servers send whole seconds; tests ask for fractions to stay fast.
        value = f"{fixed:g}" if fixed is not None else str(max(1, math.ceil(wait)))
        return Rejection(429, "429", {"Retry-After": value})
