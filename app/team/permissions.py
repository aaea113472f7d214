"""Who may change the team and clone settings. A refusal is PermissionDenied saying why."""

from __future__ import annotations

from app.domain import IntegrationKind, Role
from app.errors import PermissionDenied
from app.front_end import connect_here

MANAGING_ROLES = frozenset({Role.OWNER, Role.MANAGER})
#: (allowed, why not): the GUI shows the reason beside a disabled button.
Verdict = tuple[bool, str]

NOT_A_MANAGER = "Only Owners and Managers can change the team; Members see it read-only."
CLONE_NOT_A_MANAGER = "Only Owners and Managers can clone Clockwork settings to teammates."
OWNERS_ONLY = "Only an Owner can add, change or remove an Owner, or make someone an Owner."


def may_manage(role: Role) -> Verdict:
    return (True, "") if role in MANAGING_ROLES else (False, NOT_A_MANAGER)


def may_clone(role: Role, integration: IntegrationKind) -> Verdict:
    if role not in MANAGING_ROLES:
        return False, CLONE_NOT_A_MANAGER
    if integration != IntegrationKind.CLOCKWORK:
        return False, clone_not_connected()
    return True, ""


def require(verdict: Verdict) -> None:
    allowed, reason = verdict
    if not allowed:
        raise PermissionDenied(reason)


def check_change(actor: Role, before: Role | None, after: Role | None) -> None:
    """May `actor` turn a teammate of role `before` (None: new) into `after` (None: removed)?"""
    require(may_manage(actor))
    if actor != Role.OWNER and Role.OWNER in (before, after):
        raise PermissionDenied(OWNERS_ONLY)


def clone_not_connected() -> str:
    return (
        "You are not connected to Clockwork, so you have no Clockwork settings to clone. "
        f"Connect first: {connect_here()}."
    )
