"""The sync part of the Workspace façade: resync, retry, progress, the log, and the worker."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app import events
from app.domain import ContactSyncState, OutboxKind, OutboxStatus
from app.errors import InputError
from app.events import EventBus
from app.front_end import connect_here
from app.store import Store
from app.store.contacts import chunked
from app.store.models import (
    Candidacy,
    Contact,
    Enrollment,
    OutboxItem,
    Project,
    Sequence,
    SyncLogEntry,
    SyncRecord,
)
from app.sync import log_words, outbox, resync, rules
from app.sync.clockwork_facade import with_duration
from app.sync.resync import JobProgress, ResyncPreview, ResyncScope
from app.sync.worker import DrainResult, SyncWorker
from app.users import settings_for

if TYPE_CHECKING:
    from app.clockwork.client import ClockworkClient
    from app.sync.service import SyncService

ClientProvider = Callable[[], "ClockworkClient | None"]


@dataclass(frozen=True, slots=True)
class SyncLogRow:
    id: int
    at: datetime
    contact_id: int
    email: str
    step: str
    outcome: str
    message: str


class SyncFacade:
    def __init__(self, store: Store, bus: EventBus, user_id: int, client: ClientProvider) -> None:
        self.store = store
        self.bus = bus
        self.user_id = user_id
        self._client = client
        self.backoff = outbox.Backoff()
        self.max_attempts = outbox.MAX_ATTEMPTS
        self._service: SyncService | None = None  # while run_forever() runs

    def client(self) -> ClockworkClient:
        client = self._client()
        if client is None:
            raise InputError(not_connected(), title="Not connected")
        return client

    # --- resync -----------------------------------------------------------------------------

    async def preview(self, scope: ResyncScope) -> ResyncPreview:
        # The keyring and the store block: off the event loop's thread (the GUI's, under qasync).
        inputs = await asyncio.to_thread(self._preview_inputs, scope)
        found = await resync.preview(*inputs)
        return await asyncio.to_thread(with_duration, self.store, self.user_id, found)

    def _preview_inputs(
        self, scope: ResyncScope
    ) -> tuple[
        ClockworkClient,
        dict[int, ContactSyncState],
        dict[int, str],
        dict[int, str],
        bool,
        dict[int, str],
    ]:
        client = self.client()
        with self.store.read() as session:
            settings = settings_for(session, self.user_id)
            states = resync.selected_states(session, scope)
            ids = resync.eligible(states)
            projects = resync.projects_for(session, settings, ids, scope)
            names = _project_names(session, set(projects.values()))
            emails = _emails(session, ids)
            linkedin = resync.linkedin_urls(session, ids)
            dedup = settings.dedup
        labels = {cid: names.get(p, p) if p else "(no project)" for cid, p in projects.items()}
        return client, states, emails, labels, dedup, linkedin

    def resync(self, scope: ResyncScope) -> tuple[str, int]:
        """Queues the scope's unsynced contacts as one job; returns (job id, how many)."""
        with self.store.write() as session:
            settings = settings_for(session, self.user_id)
            if not settings.firm:
                raise InputError(not_connected(), title="Not connected")
            job = resync.enqueue_job(session, settings, scope)
        self.bus.publish(events.CONTACTS_CHANGED)
        return job

    def progress(self, job_id: str) -> JobProgress:
        with self.store.read() as session:
            return resync.job_progress(session, job_id)

    def cancel(self, job_id: str) -> int:
        with self.store.write() as session:
            dropped = resync.cancel_job(session, job_id)
        self.bus.publish(events.CONTACTS_CHANGED)
        return dropped

    def retry(self, contact_ids: list[int]) -> tuple[str, int]:
        """Retry contacts in Error, and any failed activity notes of theirs."""
        with self.store.write() as session:
            for part in chunked(contact_ids):
                session.execute(
                    update(OutboxItem)
                    .where(
                        OutboxItem.contact_id.in_(part),
                        OutboxItem.status == OutboxStatus.FAILED.value,
                        OutboxItem.kind != OutboxKind.SYNC_CONTACT.value,
                    )
                    .values(status=OutboxStatus.PENDING.value, attempts=0)
                )
        return self.resync(ResyncScope(contact_ids=tuple(contact_ids)))

    def resolve(self, contact_ids: list[int], *, link_existing: bool) -> int:
        """For "Exists in Clockwork" or "Possible duplicate": link to the person found, or
        create a second record anyway (the article's behaviour for a different email)."""
        flags = {"link_existing": True} if link_existing else {"allow_duplicate": True}
        waiting = (
            ContactSyncState.EXISTS_IN_CLOCKWORK.value,
            ContactSyncState.POSSIBLE_DUPLICATE.value,
        )
        with self.store.write() as session:
            settings = settings_for(session, self.user_id)
            ids = list(
                session.scalars(
                    select(SyncRecord.contact_id).where(
                        SyncRecord.contact_id.in_(contact_ids), SyncRecord.state.in_(waiting)
                    )
                )
            )
            session.execute(
                update(SyncRecord)
                .where(SyncRecord.contact_id.in_(ids))
                .values(state=ContactSyncState.NOT_SYNCED.value)
            )
            projects = resync.projects_for(
                session, settings, ids, ResyncScope(contact_ids=tuple(ids))
            )
            count = sum(
                rules.enqueue(
                    session,
                    settings,
                    OutboxKind.SYNC_CONTACT,
                    [cid],
                    project,
                    checkpoint=json.dumps(flags),
                )
                for cid, project in projects.items()
            )
        self.bus.publish(events.CONTACTS_CHANGED)
        return count

    def apply_project(self, sequence_id: int) -> int:
        """After a sequence's project changes: add its already-synced contacts to that project
        too (Interseller could not)."""
        with self.store.write() as session:
            seq = session.get_one(Sequence, sequence_id)
            settings = settings_for(session, self.user_id)
            project = rules.project_for(settings, seq)
            if project is None:
                return 0
            ids = _synced_without_project(session, sequence_id, project)
            for cid in ids:
                rules.queue_one(
                    session, OutboxKind.ADD_TO_PROJECT, cid, self.user_id, project_id=project
                )
        self.bus.publish(events.CONTACTS_CHANGED)
        return len(ids)

    def synced_outside_project(self, sequence_id: int) -> int:
        """How many of the sequence's synced contacts are not yet in its current project."""
        with self.store.read() as session:
            seq = session.get_one(Sequence, sequence_id)
            project = rules.project_for(settings_for(session, self.user_id), seq)
            return len(_synced_without_project(session, sequence_id, project)) if project else 0

    # --- the log and the worker -------------------------------------------------------------

    def log(self, contact_id: int | None = None, limit: int = 500) -> list[SyncLogRow]:
        query = (
            select(SyncLogEntry, Contact.email)
            .join(Contact)
            .order_by(SyncLogEntry.id.desc())
            .limit(limit)
        )
        if contact_id is not None:
            query = query.where(SyncLogEntry.contact_id == contact_id)
        with self.store.read() as session:
            return [
                SyncLogRow(e.id, e.at, e.contact_id, email, e.step, e.outcome, e.message)
                for e, email in session.execute(query)
            ]

    def log_in_words(self, contact_id: int | None = None, limit: int = 500) -> list[SyncLogRow]:
        """The log as the GUI shows it: step names and messages a recruiter understands."""
        rows = self.log(contact_id, limit)
        with self.store.read() as session:
            return log_words.in_words(session, rows)

    def worker(
        self, concurrency: int = 4, on_outcome: Callable[[str, DrainResult], None] | None = None
    ) -> SyncWorker:
        return SyncWorker(
            self.store,
            self.bus,
            self.client(),
            self.user_id,
            concurrency=concurrency,
            backoff=self.backoff,
            max_attempts=self.max_attempts,
            on_outcome=on_outcome,
        )

    async def run(
        self,
        *,
        max_wait: float | None = 120.0,
        concurrency: int = 4,
        time_limit: float | None = None,
        on_outcome: Callable[[str, DrainResult], None] | None = None,
    ) -> DrainResult:
        """Drain the queue; `time_limit` is an overall deadline in seconds (see SyncWorker)."""
        # The client comes from the keyring and the store: off the loop's (the GUI's) thread.
        worker = await asyncio.to_thread(self.worker, concurrency, on_outcome)
        return await worker.drain(max_wait=max_wait, time_limit=time_limit)

    # --- the background loop ------------------------------------------------------------------

    async def run_forever(self, idle_seconds: float = 5.0, concurrency: int = 4) -> None:
        """The app's background sync: drain, sleep, drain again (woken by changes) until
        cancelled. Owned here like the mail loop (`ws.mail.run_forever()`): the GUI only
        starts it as a task and cancels it on quit."""
        from app.sync.service import SyncService  # the service drives this façade

        service = SyncService(self, idle_seconds=idle_seconds, concurrency=concurrency)
        self._service = service
        service.start()
        try:
            await asyncio.Event().wait()  # until cancelled
        finally:
            self._service = None
            await service.close()

    @property
    def running(self) -> bool:
        """The background loop is draining or waiting for work."""
        return self._service is not None and self._service.running

    @property
    def last_drain(self) -> DrainResult | None:
        """The background loop's latest finished drain: a new one means the loop has been
        through the whole queue since (None before its first, or when it is not running)."""
        return self._service.last if self._service is not None else None

    async def cancel_job(self, job_id: str) -> int:
        """Stop the job now (its in-flight requests included), drop its remaining items; the
        background loop, if it runs, carries on with everything else. Returns how many were
        dropped."""
        if self._service is not None:
            return await self._service.cancel_job(job_id)
        return await asyncio.to_thread(self.cancel, job_id)


def _synced_without_project(session: Session, sequence_id: int, project: str) -> list[int]:
    in_project = select(Candidacy.contact_id).where(Candidacy.project_id == project)
    query = (
        select(SyncRecord.contact_id)
        .join(Enrollment, Enrollment.contact_id == SyncRecord.contact_id)
        .where(
            Enrollment.sequence_id == sequence_id,
            SyncRecord.state == ContactSyncState.SYNCED.value,
            SyncRecord.contact_id.not_in(in_project),
        )
    )
    return list(session.scalars(query))


def _emails(session: Session, ids: list[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for part in chunked(ids):
        found.update(
            {
                cid: email
                for cid, email in session.execute(
                    select(Contact.id, Contact.email).where(Contact.id.in_(part))
                )
            }
        )
    return found


def _project_names(session: Session, ids: set[str | None]) -> dict[str, str]:
    wanted = [p for p in ids if p]
    return {
        pid: name
        for pid, name in session.execute(
            select(Project.id, Project.name).where(Project.id.in_(wanted))
        )
    }


def not_connected() -> str:
    return f"Connect to Clockwork first: {connect_here()}."
