"""A connected Workspace whose sync engine talks to an in-process Clockwork sandbox."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import pytest

from app.clockwork.client import ClockworkClient
from app.domain import ContactInput, SyncMode
from app.projects import refresh_projects
from app.sandbox.harness import sandbox_client
from app.sandbox.knobs import Knobs
from app.sandbox.seed import DEMO_SHARED_PEOPLE
from app.sandbox.state import SandboxState
from app.sync.outbox import Backoff
from app.workspace import Workspace
from tests.conftest import connect_firm


@dataclass
class Rig:
    ws: Workspace
    client: ClockworkClient
    cw: SandboxState
    knobs: Knobs

    def project_id(self, name_start: str) -> str:
        for project in self.cw.list_projects(100, 0):
            if project["name"].startswith(name_start):
                return str(project["id"])
        raise AssertionError(f"no sandbox project {name_start}")


@pytest.fixture
async def rig(workspace: Workspace) -> AsyncIterator[Rig]:
    async with sandbox_client() as (client, state, knobs):
        connect_firm(workspace, state.firm)
        workspace.attach_client(client)
        workspace.sync.backoff = Backoff(base=0.005, cap=0.05)
        workspace.update_clockwork_settings(sync_mode=SyncMode.ON_ADD, dedup=False)
        await refresh_projects(workspace.store, client)
        yield Rig(workspace, client, state, knobs)


async def until(condition: Callable[[], object], seconds: float = 30.0, what: str = "") -> None:
    """Waits for `condition` to hold, so no test depends on how fast a loaded machine is."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await asyncio.sleep(0.01)


def shared(i: int) -> ContactInput:
    """A contact whose email already exists in the sandbox's demo firm."""
    p = DEMO_SHARED_PEOPLE[i]
    return ContactInput(
        email=p.email,
        first_name=p.first_name,
        last_name=p.last_name,
        title=p.title,
        company=p.company,
    )


def fresh(i: int, **extra: str) -> ContactInput:
    return ContactInput(
        email=f"new.person{i}@fresh.example.com",
        first_name="New",
        last_name=f"Person{i}",
        title="CFO",
        company="Fresh Co",
        **extra,
    )
