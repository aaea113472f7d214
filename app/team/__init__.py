"""The team: teammates with roles, groups and integrations, and cloning Clockwork settings."""

from __future__ import annotations

from app.team.facade import TEAM_CHANGED, TeamFacade
from app.team.values import (
    CLONED_SETTINGS,
    CloneableSettings,
    ClonePlan,
    CloneSkip,
    CloneTarget,
    SettingChange,
    SkipReason,
    Teammate,
)

__all__ = [
    "CLONED_SETTINGS",
    "TEAM_CHANGED",
    "ClonePlan",
    "CloneSkip",
    "CloneTarget",
    "CloneableSettings",
    "SettingChange",
    "SkipReason",
    "TeamFacade",
    "Teammate",
]
