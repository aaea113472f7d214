"""A team on a fresh workspace: the first user (an Owner) and helpers to act as a teammate."""

from __future__ import annotations

import pytest

from app.domain import IntegrationKind, Role, SyncMode
from app.team import TeamFacade
from app.workspace import Workspace


def team_of(ws: Workspace) -> TeamFacade:
    """The Workspace's team façade (`ws.team`), acting as the workspace's user."""
    found: TeamFacade | None = getattr(ws, "team", None)
    return found or TeamFacade(ws.store, ws.bus, ws.user_id)


def acting_as(ws: Workspace, email: str) -> Workspace:
    """The same database opened as another teammate, as `--as EMAIL` does."""
    return Workspace(ws.store, user_email=email)


@pytest.fixture
def owner(workspace: Workspace) -> TeamFacade:
    return team_of(workspace)


@pytest.fixture
def firm(workspace: Workspace, owner: TeamFacade) -> Workspace:
    """Owner plus a Manager on Clockwork and Members on each kind of integration.

    Returns the workspace acting as the Manager, whose settings differ from everyone's.
    """
    me = workspace.me().email
    owner.update(me, integration=IntegrationKind.CLOCKWORK)
    add = owner.add
    add("Mia Manager", "mia@firm.com", role=Role.MANAGER, groups=["Partners"], integration=CW)
    add("Ben Member", "ben@firm.com", groups=["Partners"], integration=CW)
    add("Lou London", "lou@firm.com", groups=["London"], integration=CW)
    add("Olga Other", "olga@firm.com", groups=["Partners"], integration=IntegrationKind.OTHER)
    add("Nell None", "nell@firm.com", groups=["Partners"])
    manager = acting_as(workspace, "mia@firm.com")
    manager.update_clockwork_settings(
        sync_mode=SyncMode.ON_ADD, dedup=False, activity_tracking=True, rate_limit=2.5
    )
    manager.set_default_project("p-42")
    return manager


CW = IntegrationKind.CLOCKWORK
