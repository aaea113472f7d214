"""Cloning Clockwork settings to teammates: who, what, the preview, and who may."""

from __future__ import annotations

import pytest

from app.clockwork.credentials import Credentials
from app.domain import Role, SyncMode
from app.errors import NotFoundError, PermissionDenied
from app.secrets import SecretStore
from app.store.models import ClockworkSettings
from app.team import CloneableSettings, ClonePlan, SettingChange, SkipReason, TeamFacade
from app.workspace import Workspace
from tests.conftest import connect_firm
from tests.team.conftest import acting_as, team_of

pytestmark = pytest.mark.both_databases

MIA = CloneableSettings(SyncMode.ON_ADD, False, "p-42", True, 2.5)


def reasons(plan: ClonePlan) -> dict[str, SkipReason]:
    return {s.email: s.reason for s in plan.skipped}


def settings_of(ws: Workspace, email: str) -> CloneableSettings:
    return team_of(ws).member(email).settings


def test_preview_lists_changes_and_skips_and_writes_nothing(
    workspace: Workspace, firm: Workspace
) -> None:
    plan = team_of(firm).preview_clone()
    assert not plan.applied
    assert plan.source == MIA
    changes = {t.email: t.changes for t in plan.targets}
    me = workspace.me().email
    assert set(changes) == {me, "ben@firm.com", "lou@firm.com"}
    assert changes["ben@firm.com"] == (
        SettingChange("sync_mode", SyncMode.OFF, SyncMode.ON_ADD),
        SettingChange("dedup", True, False),
        SettingChange("default_project_id", None, "p-42"),
        SettingChange("activity_tracking", False, True),
        SettingChange("rate_limit", 5.0, 2.5),
    )
    assert str(changes["ben@firm.com"][1]) == "dedup: on → off"
    assert reasons(plan) == {
        "mia@firm.com": SkipReason.YOURSELF,
        "olga@firm.com": SkipReason.OTHER_INTEGRATION,
        "nell@firm.com": SkipReason.NO_INTEGRATION,
    }
    assert settings_of(firm, "ben@firm.com").sync_mode == SyncMode.OFF
    with workspace.store.read() as session:
        assert session.get(ClockworkSettings, team_of(firm).member("lou@firm.com").id) is None


def test_clone_copies_every_setting_to_clockwork_teammates_only(
    workspace: Workspace, firm: Workspace
) -> None:
    olga_before = settings_of(firm, "olga@firm.com")
    plan = team_of(firm).clone_settings()
    assert plan.applied
    assert len(plan.targets) == 3
    for email in (workspace.me().email, "ben@firm.com", "lou@firm.com"):
        assert settings_of(firm, email) == MIA
    assert settings_of(firm, "olga@firm.com") == olga_before
    again = team_of(firm).preview_clone()
    assert again.targets == ()
    assert reasons(again)["ben@firm.com"] == SkipReason.IDENTICAL


def test_clone_never_copies_the_firm_or_the_keys(workspace: Workspace, firm: Workspace) -> None:
    connect_firm(firm, "acme")
    ben = acting_as(workspace, "ben@firm.com")
    connect_firm(ben, "globex")
    keys = Credentials("globex", "ben-api-key", "ben-secret-key", "ben-firm-key")
    SecretStore().put(keys, "ben@firm.com")
    team_of(firm).clone_settings()
    assert ben.clockwork_settings().firm == "globex"
    assert ben.clockwork_settings().sync_mode == SyncMode.ON_ADD
    assert SecretStore().get("globex", "ben@firm.com") == keys
    assert SecretStore().get("acme", "ben@firm.com") is None


def test_a_group_limits_the_clone_to_its_members(firm: Workspace) -> None:
    plan = team_of(firm).preview_clone("partners")
    assert plan.group == "Partners"
    assert [t.email for t in plan.targets] == ["ben@firm.com"]
    skipped = reasons(plan)
    assert skipped["lou@firm.com"] == SkipReason.NOT_IN_GROUP
    assert skipped["olga@firm.com"] == SkipReason.OTHER_INTEGRATION
    assert skipped["nell@firm.com"] == SkipReason.NO_INTEGRATION
    team_of(firm).clone_settings("Partners")
    assert settings_of(firm, "ben@firm.com") == MIA
    assert settings_of(firm, "lou@firm.com").sync_mode == SyncMode.OFF
    with pytest.raises(NotFoundError, match="No group"):
        team_of(firm).preview_clone("Nowhere")


def test_members_cannot_clone(workspace: Workspace, firm: Workspace) -> None:
    ben = team_of(acting_as(workspace, "ben@firm.com"))
    allowed, why = ben.can_clone()
    assert not allowed
    assert "Only Owners and Managers can clone" in why
    for attempt in (ben.preview_clone, ben.clone_settings):
        with pytest.raises(PermissionDenied, match="Only Owners and Managers can clone"):
            attempt()
    assert settings_of(firm, "lou@firm.com").sync_mode == SyncMode.OFF


def test_owners_and_managers_on_clockwork_can_clone(
    workspace: Workspace, owner: TeamFacade, firm: Workspace
) -> None:
    assert team_of(firm).can_clone() == (True, "")
    assert owner.can_clone() == (True, "")
    owner.update("olga@firm.com", role=Role.MANAGER)
    olga = team_of(acting_as(workspace, "olga@firm.com"))
    allowed, why = olga.can_clone()
    assert not allowed
    assert "not connected to Clockwork" in why
    with pytest.raises(PermissionDenied, match="not connected to Clockwork"):
        olga.clone_settings()
