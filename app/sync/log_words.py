"""The sync log in a recruiter's words: "Email note (step 2 sent)", "Added to project CFO –
Northwind", instead of the engine's step keys (`note:46`, `candidacy`, "added to project 1").

The log table keeps the engine's keys (the CLI prints them, and retries match on them); the
words are made when the log is read, from the activity and project rows they name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.store.models import ActivityEvent, Project

if TYPE_CHECKING:
    from app.sync.facade import SyncLogRow

#: What each step key means; keys not listed are shown capitalised, underscores as spaces.
STEP_WORDS = {
    "lookup": "Looked up in Clockwork",
    "link": "Linked to a Clockwork person",
    "create": "Created in Clockwork",
    "email": "Email address added",
    "linkedin": "LinkedIn profile added",
    "phone": "Phone number added",
    "position": "Job title added",
    "candidacy": "Added to project",
    "dedup_check": "Duplicate check",
    "sync_contact": "Contact sync",
    "add_to_project": "Added to project",
    "post_activity": "Email note",
}
ACTIVITY_WORDS = {
    "sent": "sent",
    "opened": "opened",
    "clicked": "clicked",
    "replied": "reply",
    "bounced": "bounce",
}
_NOTE = re.compile(r"note:(\d+)")
_PROJECT = re.compile(r"added to project (\S+)")
_PERSON = re.compile(r"Clockwork person (\S+)")


def note_words(kind: str, step_index: int | None) -> str:
    what = ACTIVITY_WORDS.get(kind, kind)
    if step_index is None:
        return f"Email note ({what})"
    return f"Email note (step {step_index + 1} {what})"


def step_words(
    step: str,
    message: str,
    notes: dict[int, tuple[str, int | None]],
    projects: dict[str, str],
) -> tuple[str, str]:
    """(step, message) as shown; `notes` maps activity id → (kind, step index), `projects`
    maps project id → name."""
    if match := _NOTE.fullmatch(step):
        known = notes.get(int(match.group(1)))
        return (note_words(*known) if known else "Email note"), ""
    if match := _PROJECT.fullmatch(message):
        name = projects.get(match.group(1), f"project {match.group(1)}")
        return f"Added to project {name}", ""
    if match := _PERSON.fullmatch(message):
        return STEP_WORDS.get(step, step), f"Clockwork person id {match.group(1)}"
    words = STEP_WORDS.get(step) or step.replace("_", " ").capitalize()
    return words, message


def in_words(session: Session, rows: Iterable[SyncLogRow]) -> list[SyncLogRow]:
    """The rows with `step` and `message` in words (one query each for notes and projects)."""
    rows = list(rows)
    note_ids = {int(m.group(1)) for r in rows if (m := _NOTE.fullmatch(r.step))}
    notes: dict[int, tuple[str, int | None]] = {}
    if note_ids:
        query = select(ActivityEvent.id, ActivityEvent.kind, ActivityEvent.step_index)
        for aid, kind, index in session.execute(query.where(ActivityEvent.id.in_(note_ids))):
            notes[aid] = (kind, index)
    projects = {pid: name for pid, name in session.execute(select(Project.id, Project.name))}
    out = []
    for row in rows:
        step, message = step_words(row.step, row.message, notes, projects)
        out.append(replace(row, step=step, message=message))
    return out
