"""Status on reply: a contact's reply moves their candidacy to the user's chosen status.

Never over someone else's change: the candidacy is read just before the write, and when its
status is no longer the one Escapement last wrote or read, a recruiter moved it in Clockwork
and it stays. The write goes through the outbox like every other; setting a status twice is
harmless, and a retry after a crash finds the status already set and stops there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import ContactSyncState, OutboxKind
from app.store.models import Candidacy, ClockworkSettings, Sequence, SyncRecord
from app.sync import rules
from app.sync.candidate_status import record_status, status_name
from app.sync.errors import PermanentStepError
from app.users import settings_for

if TYPE_CHECKING:
    from app.clockwork.client import ClockworkClient
    from app.sync.writes import ItemRun

_WAITING = (ContactSyncState.QUEUED.value, ContactSyncState.SYNCED.value)


def queue_on_reply(
    session: Session,
    settings: ClockworkSettings,
    sequence: Sequence,
    contact_id: int,
    sync_enabled_at_add: bool,
) -> bool:
    """Queued after the contact's own sync (the outbox runs one contact's items in order)."""
    project = rules.project_for(settings, sequence)
    if not (settings.firm and settings.reply_status and sync_enabled_at_add and project):
        return False
    state = session.scalar(select(SyncRecord.state).where(SyncRecord.contact_id == contact_id))
    if state not in _WAITING:
        return False
    rules.queue_one(
        session, OutboxKind.SET_STATUS, contact_id, settings.user_id, project_id=project
    )
    return True


async def find_status_id(client: ClockworkClient, name: str) -> str:
    statuses = await client.list_statuses()
    for status in statuses if isinstance(statuses, list) else []:
        if str(status.get("name", "")).casefold() == name.casefold():
            return str(status.get("id"))
    raise PermanentStepError(f"Clockwork has no candidate status “{name}”.")


def _local(session: Session, contact_id: int, project_id: str) -> tuple[str, str | None] | None:
    found = session.execute(
        select(Candidacy.clockwork_candidacy_id, Candidacy.status).where(
            Candidacy.contact_id == contact_id, Candidacy.project_id == project_id
        )
    ).first()
    return (found[0], found[1]) if found else None


async def move_on_reply(run: ItemRun, project_id: str | None) -> None:
    cid, user_id = run.snap.contact_id, run.item.user_id
    target = await run.db(lambda s: settings_for(s, user_id).reply_status if user_id else None)
    if not target or not project_id:
        await run.step_done("status", "no reply status set")
        return
    local = await run.db(lambda s: _local(s, cid, project_id))
    if local is None or not local[0]:
        raise PermanentStepError(f"The contact is not in project {project_id} in Clockwork.")
    candidacy_id, last_seen = local
    current = status_name(await run.client.get_candidacy(project_id, candidacy_id))
    if current == target:
        await _seen(run, project_id, target, f"status already {target}")
        return
    if current != last_seen:
        # Changed in Clockwork since we last wrote or read it: a recruiter's decision wins.
        await _seen(run, project_id, current, f"kept “{current}”, changed in Clockwork")
        return
    status_id = await find_status_id(run.client, target)
    await run.attempt("status")
    answer: dict[str, Any] = await run.client.update_candidacy_status(
        project_id, candidacy_id, status_id
    )
    await _seen(run, project_id, status_name(answer) or target, f"status moved to {target}")


async def _seen(run: ItemRun, project_id: str, status: str | None, message: str) -> None:
    cid = run.snap.contact_id
    if status is not None:
        await run.db(lambda s: record_status(s, cid, project_id, status))
    await run.step_done("status", message)
