"""Small pure rules about Clockwork data, kept in one place."""

from __future__ import annotations

import re
from typing import Any

from app.clockwork.domain_input import FIRM_PATTERN, InvalidDomain
from app.clockwork.endpoints import PERSON_WEB_URL, encode_segment

# Project statuses are configured per firm, so we cannot list the open ones. Instead a
# project is offered unless its status reads as finished; "Pitch" and "On Hold" stay in.
_FINISHED_WORDS = frozenset(
    {
        "archived",
        "cancelled",
        "canceled",
        "closed",
        "complete",
        "completed",
        "dead",
        "filled",
        "inactive",
        "lost",
        "placed",
    }
)


def project_status(project: dict[str, Any]) -> str:
    """The status label of a project, whether Clockwork sends a string or an object."""
    status = project.get("status")
    if isinstance(status, dict):
        status = status.get("name") or status.get("label")
    return str(status or "").strip()


def is_syncable_project(project: dict[str, Any]) -> bool:
    """True for projects a user may sync contacts into: active, "Pitch" or "On Hold"."""
    words = set(re.findall(r"[a-z]+", project_status(project).casefold()))
    return not words & _FINISHED_WORDS


def person_url(firm: str, person_id: str) -> str:
    """The web page of a person in Clockwork (the URL shape is a guess, see endpoints)."""
    if not FIRM_PATTERN.fullmatch(firm):
        raise InvalidDomain("The Clockwork Domain must be a firm name such as acme.")
    return PERSON_WEB_URL.format(firm=firm, person_id=encode_segment(str(person_id)))
