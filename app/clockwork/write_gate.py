"""The first write of each kind in a session is checked strictly, and alone.

Until one answer of a kind has been read and found in the expected shape, writes of that kind
go one at a time; once any answer drifts, no further write is sent this session. So an API
that changed shape costs at most one record, which a lookup then settles.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from app.clockwork.errors import ShapeDrift


class WriteGate:
    def __init__(self) -> None:
        self.verified: set[str] = set()
        self.drift: ShapeDrift | None = None
        self._locks: dict[str, asyncio.Lock] = {}
        self._preflown = False
        self._preflight_lock = asyncio.Lock()

    def reset(self) -> None:
        """After the user checked compatibility again: trust nothing, block nothing."""
        self.verified.clear()
        self.drift = None
        self._preflown = False

    async def before_first_write(self, preflight: Callable[[], Awaitable[None]]) -> None:
        """Runs `preflight` (a read whose shape is checked) once per session."""
        self._refuse_after_drift()
        if self._preflown:
            return
        async with self._preflight_lock:
            if not self._preflown:
                try:
                    await preflight()
                except ShapeDrift as drift:
                    self.drift = drift
                    raise
                self._preflown = True

    @asynccontextmanager
    async def enter(self, kind: str) -> AsyncIterator[bool]:
        """Yields True when this write is the strictly checked first of its kind."""
        self._refuse_after_drift()
        if kind in self.verified:
            yield False
            return
        async with self._locks.setdefault(kind, asyncio.Lock()):
            self._refuse_after_drift()
            yield kind not in self.verified

    def _refuse_after_drift(self) -> None:
        drift = self.drift
        if drift is not None:
            # Nothing was sent, so this one is not "maybe applied".
            raise ShapeDrift(drift.endpoint, drift.shape, problem=drift.problem)
