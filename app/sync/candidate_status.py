"""Candidate statuses read back from Clockwork, and sequences stopped by them.

In executive search the candidate status in a project (Research, Pursuing, Placed, …) is the
workflow: a contact the team placed or turned down must not get the next email. So the
candidacies of every project in use are read, page by page (the cost is the number of pages,
not the number of contacts), and a contact whose status is in the user's stop set has their
active sequences stopped, with the reason shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.domain import EnrollmentStatus
from app.errors import InputError
from app.store.models import Candidacy, ClockworkSettings, Enrollment, Sequence, SyncRecord, utcnow
from app.sync import rules

if TYPE_CHECKING:
    from app.clockwork.client import ClockworkClient

DEFAULT_STOP_STATUSES: tuple[str, ...] = (
    "Placed",
    "Offer Extended",
    "Turned Off",
    "Not Interested",
    "Disqualified",
    "DQ by Client",
    "Withdrew",
    "Remove from Project",
)
MAX_STATUS = 100


@dataclass(frozen=True, slots=True)
class RefreshResult:
    projects: int
    #: Requests spent: one per page of candidacies.
    pages: int
    updated: int
    stopped: int

    def as_dict(self) -> dict[str, int]:
        return {
            "projects": self.projects,
            "pages": self.pages,
            "updated": self.updated,
            "stopped": self.stopped,
        }


def stop_set(settings: ClockworkSettings) -> tuple[str, ...]:
    if settings.stop_statuses is None:
        return DEFAULT_STOP_STATUSES
    return tuple(s for s in settings.stop_statuses.split(",") if s)


def parse_stop_statuses(text: str) -> str | None:
    """`default`, or comma-separated names; the stored form (None for the default)."""
    if text.strip().lower() == "default":
        return None
    names = list(dict.fromkeys(" ".join(part.split()) for part in text.split(",")))
    names = [n for n in names if n]
    if not names:
        raise InputError('Name at least one candidate status, or say "default".')
    too_long = [n for n in names if len(n) > MAX_STATUS]
    if too_long:
        raise InputError(f"A candidate status has at most {MAX_STATUS} characters.")
    return ",".join(names)


def status_name(candidacy: dict[str, Any]) -> str | None:
    """The status label of a candidacy; Clockwork may send a name or an object with one."""
    status = candidacy.get("status")
    if isinstance(status, dict):
        status = status.get("name")
    return status if isinstance(status, str) and status else None


def projects_in_use(session: Session) -> list[str]:
    query = select(Candidacy.project_id).distinct().order_by(Candidacy.project_id)
    return list(session.scalars(query))


async def read_statuses(
    client: ClockworkClient, projects: list[str]
) -> tuple[dict[str, dict[str, str]], int]:
    """Per project, {candidacy id or "person:ID": status}, and the pages it took."""
    found: dict[str, dict[str, str]] = {}
    pages = 0
    for project_id in projects:
        candidacies, spent = await client.candidacy_pages(project_id)
        pages += spent
        statuses: dict[str, str] = {}
        for candidacy in candidacies:
            name = status_name(candidacy)
            if name is not None:
                statuses[str(candidacy.get("id"))] = name
                statuses[f"person:{candidacy.get('personId')}"] = name
        found[project_id] = statuses
    return found, pages


def apply_statuses(session: Session, found: dict[str, dict[str, str]]) -> int:
    """Saves what was read; returns how many candidacies changed status."""
    now, changed = utcnow(), 0
    query = (
        select(Candidacy, SyncRecord.clockwork_person_id)
        .join(SyncRecord, SyncRecord.contact_id == Candidacy.contact_id)
        .where(Candidacy.project_id.in_(list(found)))
    )
    for candidacy, person_id in session.execute(query):
        statuses = found[candidacy.project_id]
        status = statuses.get(candidacy.clockwork_candidacy_id) or statuses.get(
            f"person:{person_id}"
        )
        if status is None:
            continue
        changed += status != candidacy.status
        candidacy.status, candidacy.status_seen_at = status, now
    return changed


def stop_by_status(session: Session, settings: ClockworkSettings) -> list[int]:
    """Stops active enrollments whose candidate status (in the project their sequence syncs
    to) is in the stop set; returns the contacts stopped."""
    stops = set(stop_set(settings))
    query = (
        select(Enrollment, Sequence)
        .join(Sequence, Sequence.id == Enrollment.sequence_id)
        .where(Enrollment.status == EnrollmentStatus.ACTIVE.value)
    )
    statuses = {
        (c.contact_id, c.project_id): c.status
        for c in session.scalars(select(Candidacy).where(Candidacy.status.in_(sorted(stops))))
    }
    stopped: list[int] = []
    for enrollment, sequence in session.execute(query):
        project = rules.project_for(settings, sequence)
        status = statuses.get((enrollment.contact_id, project or ""))
        if status is None:
            continue
        enrollment.status = EnrollmentStatus.STOPPED.value
        enrollment.next_due_at = None
        enrollment.stop_reason = f"Candidate status in Clockwork is “{status}”."
        stopped.append(enrollment.contact_id)
    return stopped


def candidate_status_by_contact(session: Session) -> dict[int, str | None]:
    """For `status --contacts`: the status in the project the contact synced to."""
    query = select(SyncRecord.contact_id, Candidacy.status).join(
        Candidacy,
        (Candidacy.contact_id == SyncRecord.contact_id)
        & (Candidacy.project_id == SyncRecord.project_id),
    )
    return {cid: status for cid, status in session.execute(query)}


def record_status(session: Session, contact_id: int, project_id: str, status: str) -> None:
    """After our own write: this is now the status we last saw."""
    session.execute(
        update(Candidacy)
        .where(Candidacy.contact_id == contact_id, Candidacy.project_id == project_id)
        .values(status=status, status_seen_at=utcnow())
    )


def stop_reasons(session: Session, contact_ids: list[int] | None = None) -> dict[int, str]:
    """Why each stopped contact's sequence stopped, for the Contacts pane and `status`."""
    query = select(Enrollment.contact_id, Enrollment.stop_reason).where(
        Enrollment.stop_reason.is_not(None)
    )
    if contact_ids is not None:
        query = query.where(Enrollment.contact_id.in_(contact_ids))
    return {cid: reason for cid, reason in session.execute(query) if reason}
