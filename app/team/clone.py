"""Cloning one's Clockwork settings to teammates: the plan (pure) and carrying it out.

As the integration guide says, a clone copies every setting, to the teammates connected to
Clockwork (all of them, or those in one group); teammates on another integration or on none
are left alone. Keys and firm are never copied: they belong to each teammate.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from app.domain import IntegrationKind
from app.team.values import (
    CLONED_SETTINGS,
    ClonePlan,
    CloneSkip,
    CloneTarget,
    SkipReason,
    Teammate,
    plain,
)
from app.users import settings_for

_INTEGRATION_SKIPS = {
    IntegrationKind.OTHER: SkipReason.OTHER_INTEGRATION,
    IntegrationKind.NONE: SkipReason.NO_INTEGRATION,
}


def plan(source: Teammate, team: Sequence[Teammate], group: str | None) -> ClonePlan:
    """Who would change and how, and who is skipped and why, if `source` cloned now."""
    targets: list[CloneTarget] = []
    skipped: list[CloneSkip] = []
    for mate in team:
        reason = skip_reason(source, mate, group)
        if reason is None:
            changes = mate.settings.changes_to(source.settings)
            targets.append(CloneTarget(mate.id, mate.name, mate.email, changes))
        else:
            skipped.append(CloneSkip(mate.id, mate.name, mate.email, reason))
    return ClonePlan(source.settings, group, tuple(targets), tuple(skipped))


def skip_reason(source: Teammate, mate: Teammate, group: str | None) -> SkipReason | None:
    if mate.id == source.id:
        return SkipReason.YOURSELF
    if group is not None and group.casefold() not in {g.casefold() for g in mate.groups}:
        return SkipReason.NOT_IN_GROUP
    if mate.integration in _INTEGRATION_SKIPS:
        return _INTEGRATION_SKIPS[mate.integration]
    if not mate.settings.changes_to(source.settings):
        return SkipReason.IDENTICAL
    return None


def apply(session: Session, clone: ClonePlan) -> None:
    """Writes the source's settings over each target's, in the caller's transaction."""
    values = {name: plain(getattr(clone.source, name)) for name in CLONED_SETTINGS}
    for target in clone.targets:
        row = settings_for(session, target.id)
        for name, value in values.items():
            setattr(row, name, value)
