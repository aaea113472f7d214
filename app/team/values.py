"""Plain answers of the team façade: teammates, their cloneable settings, and a clone plan."""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import StrEnum

from app.domain import IntegrationKind, Role, SyncMode


@dataclass(frozen=True, slots=True)
class CloneableSettings:
    """Every Clockwork setting a clone copies. Never the keys, never the firm."""

    sync_mode: SyncMode
    dedup: bool
    default_project_id: str | None
    activity_tracking: bool
    rate_limit: float

    def as_dict(self) -> dict[str, object]:
        return {name: plain(getattr(self, name)) for name in CLONED_SETTINGS}

    def changes_to(self, new: CloneableSettings) -> tuple[SettingChange, ...]:
        """What would change if these settings became `new`, setting by setting."""
        return tuple(
            SettingChange(name, getattr(self, name), getattr(new, name))
            for name in CLONED_SETTINGS
            if getattr(self, name) != getattr(new, name)
        )


#: The settings a clone copies, in the order they are shown.
CLONED_SETTINGS = tuple(f.name for f in fields(CloneableSettings))


@dataclass(frozen=True, slots=True)
class SettingChange:
    setting: str
    old: object
    new: object

    def __str__(self) -> str:
        return f"{self.setting}: {shown(self.old)} → {shown(self.new)}"

    def as_dict(self) -> dict[str, object]:
        return {"setting": self.setting, "old": plain(self.old), "new": plain(self.new)}


@dataclass(frozen=True, slots=True)
class Teammate:
    id: int
    name: str
    email: str
    role: Role
    groups: tuple[str, ...]
    integration: IntegrationKind
    settings: CloneableSettings

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "email": self.email,
            "role": self.role.value,
            "groups": list(self.groups),
            "integration": self.integration.value,
            "clockwork_settings": self.settings.as_dict(),
        }


class SkipReason(StrEnum):
    YOURSELF = "yourself"
    NOT_IN_GROUP = "not_in_group"
    OTHER_INTEGRATION = "other_integration"
    NO_INTEGRATION = "no_integration"
    IDENTICAL = "identical"

    @property
    def label(self) -> str:
        return _SKIP_LABELS[self]


_SKIP_LABELS = {
    SkipReason.YOURSELF: "that's you",
    SkipReason.NOT_IN_GROUP: "not in the group",
    SkipReason.OTHER_INTEGRATION: "uses another integration",
    SkipReason.NO_INTEGRATION: "has no integration set up",
    SkipReason.IDENTICAL: "already has the same settings",
}


@dataclass(frozen=True, slots=True)
class CloneTarget:
    """A teammate whose settings the clone changes, and how."""

    id: int
    name: str
    email: str
    changes: tuple[SettingChange, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "email": self.email,
            "changes": [c.as_dict() for c in self.changes],
        }


@dataclass(frozen=True, slots=True)
class CloneSkip:
    id: int
    name: str
    email: str
    reason: SkipReason

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "email": self.email,
            "reason": self.reason.value,
            "label": self.reason.label,
        }


@dataclass(frozen=True, slots=True)
class ClonePlan:
    """Who a clone changes and who it skips; `applied` once it was carried out."""

    source: CloneableSettings
    group: str | None
    targets: tuple[CloneTarget, ...]
    skipped: tuple[CloneSkip, ...]
    applied: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "applied": self.applied,
            "group": self.group,
            "source": self.source.as_dict(),
            "changed": [t.as_dict() for t in self.targets],
            "skipped": [s.as_dict() for s in self.skipped],
        }


def plain(value: object) -> object:
    return value.value if isinstance(value, StrEnum) else value


def shown(value: object) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(plain(value))
