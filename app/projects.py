"""The Clockwork projects a user can sync contacts into, as last fetched into the local store.

The projects table is a cache of Clockwork: a refresh replaces it whole, so a project
deleted or closed in Clockwork stops being offered.
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.clockwork.rules import is_syncable_project, project_status
from app.store import Store
from app.store.models import Project, utcnow

# Column widths of the projects table: PostgreSQL enforces them, SQLite does not.
_ID_MAX, _NAME_MAX, _STATUS_MAX, _COMPANY_MAX = 64, 300, 64, 300


class ProjectSource(Protocol):
    """What a refresh needs from the Clockwork client."""

    async def list_projects(self) -> list[dict[str, Any]]: ...


@dataclass(frozen=True, slots=True)
class ProjectInfo:
    id: str
    name: str
    status: str
    company: str
    #: Active, "Pitch" and "On Hold" projects can receive contacts; closed ones cannot.
    syncable: bool

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


async def refresh_projects(store: Store, client: ProjectSource) -> int:
    """Replace the cached projects with Clockwork's list; returns how many there are now."""
    fetched = {info.id: info for info in map(_from_api, await client.list_projects()) if info}
    # A write may wait for the sync worker: off the event loop's thread (the GUI's, under qasync).
    await asyncio.to_thread(_save, store, fetched)
    return len(fetched)


def _save(store: Store, fetched: dict[str, ProjectInfo]) -> None:
    with store.write() as session:
        _replace(session, fetched)


def list_projects(store: Store, *, syncable_only: bool = False) -> list[ProjectInfo]:
    query = select(Project).order_by(func.lower(Project.name), Project.id)
    if syncable_only:
        query = query.where(Project.syncable.is_(True))
    with store.read() as session:
        return [_to_info(p) for p in session.scalars(query)]


def _from_api(project: dict[str, Any]) -> ProjectInfo | None:
    project_id = str(project.get("id") or "")
    if not project_id or len(project_id) > _ID_MAX:
        return None  # nothing a contact could later be added to
    return ProjectInfo(
        id=project_id,
        name=str(project.get("name") or "")[:_NAME_MAX],
        status=project_status(project)[:_STATUS_MAX],
        company=_company(project)[:_COMPANY_MAX],
        syncable=is_syncable_project(project),
    )


def _company(project: dict[str, Any]) -> str:
    # The field name is a guess (see clockwork-api.md); accept the nested shape too.
    company = project.get("companyName") or project.get("company") or ""
    if isinstance(company, dict):
        company = company.get("name") or ""
    return str(company).strip()


def _replace(session: Session, fetched: dict[str, ProjectInfo]) -> None:
    now = utcnow()
    existing = {p.id: p for p in session.scalars(select(Project))}
    for project_id, row in existing.items():
        if project_id not in fetched:
            session.delete(row)
    for info in fetched.values():
        row = existing.get(info.id) or Project(id=info.id)
        row.name, row.status, row.company = info.name, info.status, info.company
        row.syncable, row.refreshed_at = info.syncable, now
        session.add(row)


def _to_info(project: Project) -> ProjectInfo:
    return ProjectInfo(
        id=project.id,
        name=project.name,
        status=project.status,
        company=project.company,
        syncable=project.syncable,
    )
