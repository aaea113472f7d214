"""Wire a ClockworkClient to an in-process sandbox, for tests of the client and sync engine.

async with sandbox_client() as (client, state, knobs):
    await client.check()
    knobs.drop_after_write_rate = 1.0
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from app.clockwork.client import ClockworkClient
from app.sandbox.app import create_app
from app.sandbox.knobs import Knobs
from app.sandbox.seed import demo_state
from app.sandbox.state import SandboxState

#: Client settings that keep fault tests fast: no client-side cap to speak of, short backoff.
FAST: dict[str, Any] = {"rate": 1000.0, "backoff_base": 0.001, "backoff_cap": 0.01}


def sandbox_transport(state: SandboxState, knobs: Knobs | None = None) -> httpx.ASGITransport:
    return httpx.ASGITransport(app=create_app(state, knobs))


@asynccontextmanager
async def sandbox_client(
    state: SandboxState | None = None, knobs: Knobs | None = None, **client_options: Any
) -> AsyncIterator[tuple[ClockworkClient, SandboxState, Knobs]]:
    """A client talking to `state` in process; options override FAST and the defaults."""
    state = state if state is not None else demo_state()
    knobs = knobs if knobs is not None else Knobs()
    options = {**FAST, **client_options}
    options.setdefault("credentials", state.credentials)
    client = ClockworkClient(transport=sandbox_transport(state, knobs), **options)
    async with client:
        yield client, state, knobs
