"""The team: roles, groups and integrations, and who may change them."""

from __future__ import annotations

import pytest

from app.domain import IntegrationKind, Role
from app.errors import InputError, NotFoundError, PermissionDenied
from app.store.models import ClockworkSettings
from app.team import TEAM_CHANGED, TeamFacade
from app.workspace import Workspace
from tests.conftest import connect_firm
from tests.team.conftest import CW, acting_as, team_of

pytestmark = pytest.mark.both_databases


def test_the_first_user_is_the_owner_and_may_manage(owner: TeamFacade) -> None:
    [me] = owner.members()
    assert me.role == Role.OWNER
    assert owner.can_manage() == (True, "")


def test_add_list_and_change_teammates(workspace: Workspace, owner: TeamFacade) -> None:
    seen: list[str] = []
    workspace.bus.subscribe(TEAM_CHANGED, lambda e: seen.append(e.topic))
    added = owner.add(
        "  Ada   Lovelace ", "Ada@Firm.com", role=Role.MANAGER, groups=["Partners", "London"]
    )
    assert (added.name, added.email, added.groups) == (
        "Ada Lovelace",
        "ada@firm.com",
        ("London", "Partners"),
    )
    changed = owner.update(
        "ADA@firm.com", role=Role.MEMBER, groups=["partners"], integration=IntegrationKind.OTHER
    )
    assert (changed.role, changed.groups, changed.integration) == (
        Role.MEMBER,
        ("Partners",),
        IntegrationKind.OTHER,
    )
    assert owner.groups() == ["Partners"]  # London lost its last member
    assert {m.email for m in owner.members()} == {"ada@firm.com", workspace.me().email}
    assert seen == [TEAM_CHANGED, TEAM_CHANGED]


@pytest.mark.parametrize(
    ("email", "name", "message"),
    [
        ("not-an-email", "Ada", "not an email address"),
        ("ada@firm.com", "   ", "needs a name"),
    ],
)
def test_bad_input_is_refused(owner: TeamFacade, email: str, name: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        owner.add(name, email)


def test_emails_are_unique_case_insensitively(owner: TeamFacade) -> None:
    owner.add("Ada", "ada@firm.com")
    with pytest.raises(InputError, match="already on the team"):
        owner.add("Ada again", "ADA@firm.com")
    with pytest.raises(NotFoundError):
        owner.update("nobody@firm.com", role=Role.MEMBER)


def test_members_see_the_team_read_only(workspace: Workspace, owner: TeamFacade) -> None:
    owner.add("Ben", "ben@firm.com")
    member = team_of(acting_as(workspace, "ben@firm.com"))
    assert len(member.members()) == 2
    allowed, why = member.can_manage()
    assert not allowed
    assert "Only Owners and Managers" in why
    for attempt in (
        lambda: member.add("Cy", "cy@firm.com"),
        lambda: member.update("ben@firm.com", groups=["Partners"]),
        lambda: member.remove(workspace.me().email),
    ):
        with pytest.raises(PermissionDenied, match="Members see it read-only"):
            attempt()
    assert {m.email for m in owner.members()} == {"ben@firm.com", workspace.me().email}


def test_managers_manage_everyone_but_owners(workspace: Workspace, owner: TeamFacade) -> None:
    owner.add("Mia", "mia@firm.com", role=Role.MANAGER)
    manager = team_of(acting_as(workspace, "mia@firm.com"))
    manager.add("Ben", "ben@firm.com", integration=CW)
    manager.update("ben@firm.com", role=Role.MANAGER, groups=["London"])
    manager.remove("ben@firm.com")
    me = workspace.me().email
    for attempt in (
        lambda: manager.add("Oz", "oz@firm.com", role=Role.OWNER),
        lambda: manager.update(me, groups=["London"]),
        lambda: manager.update("mia@firm.com", role=Role.OWNER),
        lambda: manager.remove(me),
    ):
        with pytest.raises(PermissionDenied, match="Only an Owner"):
            attempt()


def test_the_team_always_keeps_an_owner(workspace: Workspace, owner: TeamFacade) -> None:
    me = workspace.me().email
    with pytest.raises(InputError, match="only Owner"):
        owner.update(me, role=Role.MANAGER)
    owner.add("Oz", "oz@firm.com", role=Role.OWNER)
    with pytest.raises(PermissionDenied, match="cannot remove yourself"):
        owner.remove(me)
    owner.update(me, role=Role.MANAGER)
    second = team_of(acting_as(workspace, "oz@firm.com"))
    with pytest.raises(InputError, match="only Owner"):
        second.update("oz@firm.com", role=Role.MEMBER)


def test_a_role_changed_meanwhile_counts_at_once(workspace: Workspace, owner: TeamFacade) -> None:
    owner.add("Mia", "mia@firm.com", role=Role.MANAGER)
    manager = team_of(acting_as(workspace, "mia@firm.com"))
    assert manager.can_manage()[0]
    owner.update("mia@firm.com", role=Role.MEMBER)
    assert not manager.can_manage()[0]
    with pytest.raises(PermissionDenied):
        manager.add("Cy", "cy@firm.com")


def test_removing_a_teammate_drops_their_settings(workspace: Workspace, owner: TeamFacade) -> None:
    owner.add("Ben", "ben@firm.com", groups=["Partners"], integration=CW)
    ben = acting_as(workspace, "ben@firm.com")
    ben.update_clockwork_settings(dedup=False)
    owner.remove("ben@firm.com")
    with workspace.store.read() as session:
        assert session.get(ClockworkSettings, ben.user_id) is None
    assert owner.groups() == []
    with pytest.raises(NotFoundError):
        owner.member("ben@firm.com")


def test_the_first_user_can_take_their_real_name_and_email(
    workspace: Workspace, owner: TeamFacade
) -> None:
    me = workspace.me().email
    owner.add("Ben", "ben@firm.com", integration=CW)
    with pytest.raises(InputError, match="already on the team"):
        owner.update(me, new_email="BEN@firm.com")
    ada = owner.update(me, name="Ada Owner", new_email="Ada@Firm.com")
    assert (ada.name, ada.email, ada.role) == ("Ada Owner", "ada@firm.com", Role.OWNER)
    assert workspace.me().email == "ada@firm.com"


def test_a_connected_teammate_keeps_their_email(workspace: Workspace, owner: TeamFacade) -> None:
    owner.add("Ben", "ben@firm.com", integration=CW)
    connect_firm(acting_as(workspace, "ben@firm.com"), "acme")
    with pytest.raises(InputError, match="Disconnect Ben from Clockwork"):
        owner.update("ben@firm.com", new_email="benjamin@firm.com")
