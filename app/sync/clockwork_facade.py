"""`ws.clockwork`: the compatibility check, candidate statuses both ways, the request meter.

The GUI's Integration pane, Contacts pane and status bar call only this (and the CLI's
`clockwork check|refresh`, `settings set stop-statuses|reply-status`, `status --json`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from app import events
from app.clockwork.compat import CompatReport, check
from app.clockwork.errors import ClockworkError
from app.clockwork.meter import WINDOW_SECONDS, MeterReading
from app.errors import InputError
from app.events import EventBus
from app.store import Store
from app.sync import candidate_status as cs
from app.sync.person_create import forget_refusal
from app.sync.resync import ResyncPreview
from app.sync.worker import SHAPE_PAUSE
from app.users import settings_for, to_info

if TYPE_CHECKING:
    from app.clockwork.client import ClockworkClient

log = logging.getLogger(__name__)
ClientProvider = Callable[[], "ClockworkClient | None"]
#: How often the candidate statuses are read while the app runs.
REFRESH_SECONDS = 15 * 60
#: Requests per contact, the issue's bounds: created (inline details not honoured), linked
#: to an existing person, or only looked up.
COST_CREATE_BARE, COST_LINK, COST_LOOKUP = 8, 3, 1


class ClockworkFacade:
    def __init__(self, store: Store, bus: EventBus, user_id: int, client: ClientProvider) -> None:
        self.store = store
        self.bus = bus
        self.user_id = user_id
        self._client = client
        self.last_refresh: cs.RefreshResult | None = None

    def client(self) -> ClockworkClient:
        client = self._client()
        if client is None:
            raise InputError(
                "Connect to Clockwork first, on the Integration pane.", title="Not connected"
            )
        return client

    # --- compatibility ----------------------------------------------------------------------

    async def check(self) -> CompatReport:
        """Reads every readable endpoint; when all fit, lifts a pause for a drifted answer and
        lets the next writes be checked strictly again."""
        client = await asyncio.to_thread(self.client)
        report = await check(client, await asyncio.to_thread(self._own_email))
        if report.compatible:
            client.write_gate.reset()
            await asyncio.to_thread(self._lift_shape_pause)
        return report

    def _own_email(self) -> str:
        with self.store.read() as session:
            return to_info(session, self.user_id).email

    def shape_pause(self) -> str | None:
        """The pause for an answer in an unknown shape, if the queue is paused for one."""
        with self.store.read() as session:
            reason = settings_for(session, self.user_id).paused_reason
        return reason if (reason or "").startswith(SHAPE_PAUSE) else None

    def _lift_shape_pause(self) -> None:
        with self.store.write() as session:
            settings = settings_for(session, self.user_id)
            lifted = (settings.paused_reason or "").startswith(SHAPE_PAUSE)
            if lifted:
                settings.paused_reason = None
                if settings.firm:
                    forget_refusal(session, settings.firm)
        if lifted:
            self.bus.publish(events.CONNECTION_CHANGED, paused=None)

    # --- candidate statuses, read back ------------------------------------------------------

    async def refresh_statuses(self) -> cs.RefreshResult:
        """Reads the candidacies of every project in use and stops sequences by status."""
        client = await asyncio.to_thread(self.client)
        projects = await asyncio.to_thread(self._projects_in_use)
        found, pages = await cs.read_statuses(client, projects)
        updated, stopped = await asyncio.to_thread(self._apply, found)
        self.last_refresh = cs.RefreshResult(len(projects), pages, updated, stopped)
        if updated or stopped:
            self.bus.publish(events.CONTACTS_CHANGED)
        return self.last_refresh

    def _projects_in_use(self) -> list[str]:
        with self.store.read() as session:
            return cs.projects_in_use(session)

    def _apply(self, found: dict[str, dict[str, str]]) -> tuple[int, int]:
        with self.store.write() as session:
            updated = cs.apply_statuses(session, found)
            stopped = cs.stop_by_status(session, settings_for(session, self.user_id))
        return updated, len(stopped)

    async def run_status_schedule(self, every: float = REFRESH_SECONDS) -> None:
        """For the GUI: refresh now and every `every` seconds until cancelled."""
        while True:
            try:
                await self.refresh_statuses()
            except (ClockworkError, InputError) as error:
                log.info("candidate status refresh skipped: %s", error.message)
            await asyncio.sleep(every)

    def stop_reasons(self, contact_ids: list[int]) -> dict[int, str]:
        """Why these contacts' sequences were stopped by their candidate status, if they were."""
        with self.store.read() as session:
            return cs.stop_reasons(session, contact_ids)

    async def statuses(self) -> list[str]:
        """The firm's candidate statuses (GET statuses), for the reply-status picker."""
        found = await (await asyncio.to_thread(self.client)).list_statuses()
        records = found if isinstance(found, list) else []
        return [str(r["name"]) for r in records if r.get("name")]

    def stop_statuses(self) -> tuple[str, ...]:
        with self.store.read() as session:
            return cs.stop_set(settings_for(session, self.user_id))

    def set_stop_statuses(self, text: str) -> tuple[str, ...]:
        """`default`, or comma-separated candidate statuses that stop a sequence."""
        stored = cs.parse_stop_statuses(text)
        with self.store.write() as session:
            settings_for(session, self.user_id).stop_statuses = stored
        self.bus.publish(events.SETTINGS_CHANGED)
        return self.stop_statuses()

    def reply_status(self) -> str | None:
        with self.store.read() as session:
            return settings_for(session, self.user_id).reply_status

    def set_reply_status(self, name: str | None) -> None:
        """The status a reply moves the candidacy to; None leaves candidacies alone."""
        name = " ".join(name.split()) if name else None
        if name is not None and len(name) > cs.MAX_STATUS:
            raise InputError(f"A candidate status has at most {cs.MAX_STATUS} characters.")
        with self.store.write() as session:
            settings_for(session, self.user_id).reply_status = name or None
        self.bus.publish(events.SETTINGS_CHANGED)

    # --- the request meter ------------------------------------------------------------------

    def meter(self) -> MeterReading:
        """Requests and 429s of the last hour in this process, against the cap per hour."""
        client = self._client()
        if client is not None:
            return client.meter()
        with self.store.read() as session:
            rate = settings_for(session, self.user_id).rate_limit
        return MeterReading(0, 0, round(rate * WINDOW_SECONDS))


def with_duration(store: Store, user_id: int, preview: ResyncPreview) -> ResyncPreview:
    """The preview with the requests it implies and how long they take at the cap: an upper
    bound, as whether the firm honours inline details is not known before the first create."""
    with store.read() as session:
        rate = settings_for(session, user_id).rate_limit
    requests = (
        preview.will_create * COST_CREATE_BARE
        + preview.will_link * COST_LINK
        + preview.will_flag_existing * COST_LOOKUP
    )
    return replace(
        preview, estimated_requests=requests, estimated_seconds=round(requests / rate, 1)
    )
