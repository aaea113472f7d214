"""A sync worker process for the crash test: drains the queue against a loopback sandbox.

Run as `python tests/sync/crash_worker.py DATABASE_URL`; the sandbox's origin and keys come
from the same environment variables the app reads.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys

from app.clockwork.client import ClockworkClient
from app.clockwork.credentials import Credentials
from app.sync.outbox import Backoff
from app.workspace import Workspace


async def drain(database_url: str) -> dict[str, int]:
    credentials = Credentials(
        firm=os.environ["CLOCKWORK_DOMAIN"],
        api_key=os.environ["CLOCKWORK_API_KEY"],
        secret_key=os.environ["CLOCKWORK_SECRET_KEY"],
        firm_service_key=os.environ["CLOCKWORK_FIRM_SERVICE_KEY"],
    )
    with Workspace.open(database_url) as ws:
        origin = os.environ["CLOCKWORK_API_URL"]
        async with ClockworkClient(credentials, origin=origin, rate=2000, concurrency=8) as client:
            ws.attach_client(client)
            ws.sync.backoff = Backoff(base=0.01, cap=0.2)
            result = await ws.sync.run(max_wait=10, concurrency=8)
    return {**result.counts, "remaining": result.remaining}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(drain(sys.argv[1]))))
