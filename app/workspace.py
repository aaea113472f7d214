"""The façade: every action a user can take, answered in plain data.

The GUI and the CLI call only this. Each method is one transaction; the sync rules it implies
are written in that same transaction, and events are published after it commits.
"""

from __future__ import annotations

from collections.abc import Collection
from collections.abc import Sequence as Seq
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import csv_layouts, events
from app.activity import mark_replied
from app.connection import Connection, ConnectionState
from app.contacts_listing import contacts_listing
from app.csvimport import ParsedCsv, parse_csv_file
from app.domain import (
    AddToSequenceReport,
    ClockworkSettingsView,
    ContactCount,
    ContactFilter,
    ContactInput,
    ContactProgress,
    ContactRow,
    ContactSort,
    EmailSettingsView,
    ImportReport,
    SequenceInfo,
    SyncMode,
    UserInfo,
)
from app.errors import InputError, NotFoundError
from app.events import EventBus
from app.mail.addresses import one_mailbox
from app.mail.facade import MailFacade
from app.optout.facade import SuppressionFacade
from app.projects import ProjectInfo, list_projects
from app.secrets import SecretStore
from app.sequence_joins import join, stored_emails
from app.store import (
    Store,
    contact_pages,
    contact_progress,
    open_store,
    queries,
    removals,
    restore_latest_backup,
    search_backlog,
    search_index,
)
from app.store.contact_pages import ContactKey
from app.store.contacts import upsert_contacts
from app.store.models import Contact, Enrollment, Sequence
from app.store.progress import Progress, silent
from app.store.search import MAX_SEARCH as MAX_SEARCH  # the search box's limit, for ui/
from app.sync.clockwork_facade import ClockworkFacade
from app.sync.facade import SyncFacade
from app.team import TeamFacade
from app.users import current_user, email_settings_for, settings_for, to_info

if TYPE_CHECKING:
    import httpx

    from app.clockwork.client import ClockworkClient

MAX_NAME = 200

#: Where a page ending with this row ends, for the next contacts_after (ui/ may not import
#: app.store).
contact_key = contact_pages.key_of


class Workspace:
    def __init__(
        self,
        store: Store,
        bus: EventBus | None = None,
        *,
        user_email: str | None = None,
        clockwork_origin: str | None = None,
        secrets: SecretStore | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.store = store
        self.bus = bus or EventBus()
        with store.write() as session:
            user = current_user(session, user_email)
            self._user_id, email = user.id, user.email
        secrets = secrets or SecretStore()
        self.connection = Connection(
            store,
            self.bus,
            self._user_id,
            email,
            origin=clockwork_origin,
            secrets=secrets,
            transport=transport,
        )
        self.mail = MailFacade(store, self.bus, self._user_id, secrets=secrets)
        self._client: ClockworkClient | None = None
        self.sync = SyncFacade(store, self.bus, self._user_id, self._sync_client)
        self.team = TeamFacade(store, self.bus, self._user_id)
        self.suppression = SuppressionFacade(store, self.bus, self._user_id)
        self.clockwork = ClockworkFacade(store, self.bus, self._user_id, self._sync_client)
        self._last_removal: removals.Removal | None = None  # what Undo puts back

    @classmethod
    def open(
        cls,
        database_url: str,
        *,
        user_email: str | None = None,
        bus: EventBus | None = None,
        clockwork_origin: str | None = None,
        secrets: SecretStore | None = None,
        progress: Progress = silent,
    ) -> Workspace:
        """`progress` hears of a migration's backup and long steps, for a progress bar."""
        store = open_store(database_url, progress)
        try:
            return cls(
                store,
                bus,
                user_email=user_email,
                clockwork_origin=clockwork_origin,
                secrets=secrets,
            )
        except BaseException:
            store.dispose()
            raise

    @staticmethod
    def restore_latest_backup(database_url: str, backup: Path | None = None) -> Path:
        """After `open` refused a damaged SQLite file (`DamagedStore`): put `backup` (default:
        the newest good one) in its place. Returns where the old file was set aside; no
        Workspace may be open on it."""
        return restore_latest_backup(database_url, backup)

    def close(self) -> None:
        self.store.dispose()

    async def aclose(self) -> None:
        """Closes the Clockwork client; call before the event loop ends."""
        await self.connection.aclose()

    # --- Clockwork connection --------------------------------------------------------------

    async def connect_clockwork(
        self,
        domain: str,
        api_key: str,
        secret_key: str,
        firm_service_key: str,
        *,
        remember: bool = True,
    ) -> str:
        """Checks the keys with one request; only then saves them and links the firm."""
        return await self.connection.connect(
            domain, api_key, secret_key, firm_service_key, remember=remember
        )

    def disconnect_clockwork(self) -> str | None:
        """Unlinks the firm; returns why its keys could not be deleted from the keyring."""
        return self.connection.disconnect()

    async def check_connection(self) -> ConnectionState:
        return await self.connection.check()

    def connection_state(self) -> ConnectionState:
        return self.connection.state

    async def refresh_projects(self) -> int:
        return await self.connection.refresh_projects()

    def projects(self, *, syncable_only: bool = False) -> list[ProjectInfo]:
        return list_projects(self.store, syncable_only=syncable_only)

    def _sync_client(self) -> ClockworkClient | None:
        return self._client or self.connection.client()

    def attach_client(self, client: ClockworkClient | None) -> None:
        """Makes the sync engine use this client instead of the connection's (tests, tools)."""
        self._client = client

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- who is acting ---------------------------------------------------------------------

    @property
    def user_id(self) -> int:
        return self._user_id

    def me(self) -> UserInfo:
        with self.store.read() as session:
            return to_info(session, self._user_id)

    def clockwork_settings(self) -> ClockworkSettingsView:
        with self.store.read() as session:
            s = settings_for(session, self._user_id)
            return ClockworkSettingsView(
                firm=s.firm,
                sync_mode=SyncMode(s.sync_mode),
                dedup=s.dedup,
                default_project_id=s.default_project_id,
                activity_tracking=s.activity_tracking,
                rate_limit=s.rate_limit,
            )

    def update_clockwork_settings(
        self,
        *,
        sync_mode: SyncMode | None = None,
        dedup: bool | None = None,
        activity_tracking: bool | None = None,
        rate_limit: float | None = None,
    ) -> ClockworkSettingsView:
        """Change any of the user's Clockwork settings; arguments left out stay as they are."""
        if rate_limit is not None and not 0.1 <= rate_limit <= 100:
            raise InputError("The request rate must be between 0.1 and 100 requests per second.")
        with self.store.write() as session:
            s = settings_for(session, self._user_id)
            if sync_mode is not None:
                s.sync_mode = sync_mode.value
            if dedup is not None:
                s.dedup = dedup
            if activity_tracking is not None:
                s.activity_tracking = activity_tracking
            if rate_limit is not None:
                s.rate_limit = rate_limit
        self.bus.publish(events.SETTINGS_CHANGED)
        return self.clockwork_settings()

    def set_default_project(self, project_id: str | None) -> None:
        self._check_project(project_id)
        with self.store.write() as session:
            settings_for(session, self._user_id).default_project_id = project_id
        self.bus.publish(events.SETTINGS_CHANGED)

    def _check_project(self, project_id: str | None) -> None:
        """Only projects Clockwork listed as open, Pitch or On Hold may be chosen."""
        if project_id is None:
            return
        known = {p.id: p for p in self.projects()}
        if not known:
            return  # not fetched yet (offline): the sync reports a missing project itself
        project = known.get(project_id)
        if project is None:
            raise InputError(f"Clockwork has no project {project_id}. Refresh the projects list.")
        if not project.syncable:
            raise InputError(
                f'"{project.name}" is {project.status}: contacts cannot be synced to it.'
            )

    def email_settings(self) -> EmailSettingsView:
        with self.store.read() as session:
            s = email_settings_for(session, self._user_id)
            return EmailSettingsView(
                from_name=s.from_name, from_address=s.from_address, bcc_address=s.bcc_address
            )

    def set_bcc_address(self, address: str | None) -> None:
        """The BCC added to every sequence email, e.g. the firm's Pendulum address."""
        clean = None
        if address is not None and address.strip():
            clean = one_mailbox(address, "The BCC address", "is not an email address.").address
        with self.store.write() as session:
            email_settings_for(session, self._user_id).bcc_address = clean
        self.bus.publish(events.SETTINGS_CHANGED)

    def double_recording_warning(self) -> str | None:
        """Pendulum files a BCC'd email as a note, and so does activity tracking: say so."""
        if self.clockwork_settings().activity_tracking and self.email_settings().bcc_address:
            return (
                "Activity tracking is on and sequence emails are BCC'd to "
                f"{self.email_settings().bcc_address}. If that is your Pendulum address, "
                "Clockwork will record each email twice: turn one of them off."
            )
        return None

    # --- sequences -------------------------------------------------------------------------

    def sequences(self) -> list[SequenceInfo]:
        counts = (
            select(Enrollment.sequence_id, func.count().label("n"))
            .group_by(Enrollment.sequence_id)
            .subquery()
        )
        query = (
            select(Sequence, func.coalesce(counts.c.n, 0))
            .outerjoin(counts, counts.c.sequence_id == Sequence.id)
            .where(Sequence.owner_id == self._user_id)
            .order_by(func.lower(Sequence.name))
        )
        with self.store.read() as session:
            return [_sequence_info(seq, n) for seq, n in session.execute(query)]

    def sequence_by_name(self, name: str) -> SequenceInfo:
        for info in self.sequences():
            if info.name.casefold() == name.strip().casefold():
                return info
        raise NotFoundError(f'No sequence named "{name}".')

    def create_sequence(self, name: str) -> SequenceInfo:
        clean = self._valid_name(name)
        with self.store.write() as session:
            seq = Sequence(owner_id=self._user_id, name=clean, sync_to_clockwork=True)
            session.add(seq)
            session.flush()
            info = _sequence_info(seq, 0)
        self.bus.publish(events.SEQUENCES_CHANGED)
        return info

    def rename_sequence(self, sequence_id: int, name: str) -> None:
        clean = self._valid_name(name, ignore_id=sequence_id)
        with self.store.write() as session:
            self._sequence(session, sequence_id).name = clean
        self.bus.publish(events.SEQUENCES_CHANGED)

    def set_sequence_sync(self, sequence_id: int, sync: bool) -> None:
        """The Syncing tab's "Sync to Clockwork" toggle; contacts already added keep their fate."""
        with self.store.write() as session:
            self._sequence(session, sequence_id).sync_to_clockwork = sync
        self.bus.publish(events.SEQUENCES_CHANGED)

    def set_sequence_project(self, sequence_id: int, project_id: str | None) -> None:
        """The Syncing tab's project override; None falls back to the account's default."""
        self._check_project(project_id)
        with self.store.write() as session:
            self._sequence(session, sequence_id).project_id = project_id
        self.bus.publish(events.SEQUENCES_CHANGED)

    def delete_sequence(self, sequence_id: int) -> None:
        """Deletes the sequence and its enrollments; the contacts themselves stay. Undo:
        `undo_removal`."""
        with self.store.write() as session:
            seq = self._sequence(session, sequence_id)
            removal = removals.snapshot_sequence(session, seq, f"Sequence “{seq.name}” deleted")
            session.delete(seq)
        self._last_removal = removal
        self.bus.publish(events.SEQUENCES_CHANGED)
        self.bus.publish(events.CONTACTS_CHANGED)

    def remove_from_sequence(self, sequence_id: int, contact_ids: Seq[int]) -> int:
        """Takes contacts out of a sequence (they stay in others); how many. Undo:
        `undo_removal`."""
        with self.store.write() as session:
            seq = self._sequence(session, sequence_id)
            removal = removals.remove_enrollments(session, seq, contact_ids, seq.name)
            n = len(removal.tables[0][1])
            what = f"{n:,} contact{'' if n == 1 else 's'} removed from “{seq.name}”"
        self._last_removal = removals.Removal(what, removal.tables)
        self.bus.publish(events.SEQUENCES_CHANGED)
        self.bus.publish(events.CONTACTS_CHANGED)
        return n

    def undo_removal(self) -> str:
        """Puts back what the last destructive action removed; says what was put back."""
        removal = self._last_removal
        if removal is None:
            raise InputError("There is nothing to undo.", title="Nothing to undo")
        with self.store.write() as session:
            removals.restore(session, removal)
        self._last_removal = None
        self.bus.publish(events.SEQUENCES_CHANGED)
        self.bus.publish(events.CONTACTS_CHANGED)
        return f"Undone: {removal.what}."

    def _valid_name(self, name: str, ignore_id: int | None = None) -> str:
        clean = " ".join(name.split())
        if not clean:
            raise InputError("A sequence needs a name.")
        if len(clean) > MAX_NAME:
            raise InputError(f"A sequence name can be at most {MAX_NAME} characters.")
        for info in self.sequences():
            if info.name.casefold() == clean.casefold() and info.id != ignore_id:
                raise InputError(f'A sequence named "{info.name}" already exists.')
        return clean

    def _sequence(self, session: Session, sequence_id: int) -> Sequence:
        seq = session.get(Sequence, sequence_id)
        if seq is None or seq.owner_id != self._user_id:
            raise NotFoundError("That sequence no longer exists.")
        return seq

    # --- contacts --------------------------------------------------------------------------

    def add_contacts(self, sequence_id: int, contacts: Seq[ContactInput]) -> ImportReport:
        """Upsert the contacts and add them to the sequence, applying the sync rules."""
        with self.store.write() as session:
            report = self._add(session, sequence_id, contacts)
        self.bus.publish(events.CONTACTS_CHANGED)
        self.bus.publish(events.SEQUENCES_CHANGED)
        return report

    def _add(self, session: Session, sequence_id: int, contacts: Seq[ContactInput]) -> ImportReport:
        seq = self._sequence(session, sequence_id)
        done = upsert_contacts(session, contacts)
        emails = (c.email for c in contacts)
        joined = join(session, self._user_id, seq, done.ids, emails, created=done.added)
        return ImportReport(
            added=len(done.added), updated=done.updated, suppressed=sorted(joined.suppressed)
        )

    def add_to_sequence(self, sequence_id: int, contact_ids: Seq[int]) -> AddToSequenceReport:
        """Adds stored contacts to a sequence as importing them there would: the sync rules
        apply (with sync on add, they are queued to Clockwork), and people on the suppression
        list stay out. Contacts deleted meanwhile are skipped."""
        with self.store.write() as session:
            seq = self._sequence(session, sequence_id)
            wanted = list(dict.fromkeys(contact_ids))
            emails = stored_emails(session, wanted)
            ids = [cid for cid in wanted if cid in emails]
            joined = join(session, self._user_id, seq, ids, emails.values())
        self.bus.publish(events.CONTACTS_CHANGED)
        self.bus.publish(events.SEQUENCES_CHANGED)
        return AddToSequenceReport(
            added=len(joined.fresh),
            already=joined.allowed - len(joined.fresh),
            suppressed=sorted(joined.suppressed),
        )

    def index_search_backlog(self, limit: int = search_backlog.CHUNK) -> int:
        """Index up to `limit` of the contacts a bulk add left for the search index (searches
        are exact meanwhile, only slower); how many still wait. A write of about 0.2 s per
        10,000: off the GUI thread, in a loop until it says 0."""
        with self.store.read() as session:
            if search_backlog.span(session.connection()) is None:
                return 0  # the usual answer, without waiting for the write lock
        with self.store.write() as session:
            return search_backlog.catch_up(session.connection(), limit)

    def finish_search_backlog(self, progress: Progress = silent) -> None:
        """Index every contact waiting for the search index (the CLI, before it exits),
        telling `progress` how far it got when any wait."""
        with self.store.read() as session:
            waiting = search_backlog.waiting(session.connection())
        left = waiting
        while left:
            progress(search_index.STEP, 1 - left / waiting)
            left = self.index_search_backlog()
        if waiting:
            progress(search_index.STEP, 1.0)

    def preview_csv(self, path: Path, columns: dict[str, int] | None = None) -> ParsedCsv:
        """`columns` (field -> column index) replaces the mapping read from the header."""
        return parse_csv_file(path, columns)

    def csv_columns(self, layout_key: str) -> dict[str, int] | None:
        """The column mapping this user last chose for a file layout (ParsedCsv.layout_key)."""
        with self.store.read() as session:
            return csv_layouts.remembered_columns(session, self._user_id, layout_key)

    def remember_csv_columns(self, layout_key: str, columns: dict[str, int]) -> None:
        with self.store.write() as session:
            csv_layouts.remember_columns(session, self._user_id, layout_key, columns)

    def import_csv(
        self, path: Path, sequence_id: int, columns: dict[str, int] | None = None
    ) -> ImportReport:
        """One transaction: a fatal error leaves the store as it was."""
        parsed = parse_csv_file(path, columns)
        report = self.add_contacts(sequence_id, parsed.contacts)
        return ImportReport(
            added=report.added,
            updated=report.updated,
            rejected=list(parsed.rejected),
            merged=parsed.merged_duplicates,
            warnings=list(parsed.warnings),
            suppressed=report.suppressed,
        )

    def count_contacts(self, flt: ContactFilter) -> int:
        with self.store.read() as session:
            return queries.count_contacts(session, flt)

    def contacts_page(self, flt: ContactFilter, offset: int, limit: int) -> list[ContactRow]:
        with self.store.read() as session:
            return queries.contact_page(session, flt, offset, limit)

    def contact_count(self, flt: ContactFilter) -> ContactCount:
        """A count that never scans: exact without a search, else exact up to a cap."""
        with self.store.read() as session:
            return contact_pages.quick_count(session, flt)

    def contacts_after(
        self,
        flt: ContactFilter,
        after: ContactKey | None,
        limit: int,
        sort: ContactSort = ContactSort.ID,
    ) -> list[ContactRow]:
        """The `limit` rows after key `after` (None: the first page); see contact_pages.key_of."""
        with self.store.read() as session:
            return contact_pages.page_after(session, flt, after, limit, sort)

    def contact_anchors(
        self, flt: ContactFilter, every: int, sort: ContactSort = ContactSort.ID
    ) -> list[ContactKey]:
        """The key of every `every`-th row, to jump anywhere; slow at 1M: off the GUI thread."""
        with self.store.read() as session:
            return contact_pages.anchors(session, flt, every, sort)

    def contact_progress(
        self, contact_ids: Collection[int], sequence_id: int | None = None
    ) -> dict[int, ContactProgress]:
        """Step, last reply or bounce and last email of a page of contacts (indexed lookups)."""
        with self.store.read() as session:
            return contact_progress.progress(session, contact_ids, sequence_id)

    def contact_id(self, email: str) -> int:
        with self.store.read() as session:
            found = session.scalar(
                select(Contact.id).where(Contact.email_key == email.strip().lower())
            )
        if found is None:
            raise NotFoundError(f"No contact with the email {email}.")
        return found

    def record_reply(self, email: str, sequence_name: str) -> None:
        seq_info = self.sequence_by_name(sequence_name)
        with self.store.write() as session:
            enrollment = self._enrollment(session, email, seq_info.id)
            self._mark_replied(session, enrollment)
        self.bus.publish(events.CONTACTS_CHANGED)

    def _enrollment(self, session: Session, email: str, sequence_id: int) -> Enrollment:
        query = (
            select(Enrollment)
            .join(Contact)
            .where(
                Contact.email_key == email.strip().lower(), Enrollment.sequence_id == sequence_id
            )
        )
        enrollment = session.scalars(query).first()
        if enrollment is None:
            raise NotFoundError(f"{email} is not in that sequence.")
        return enrollment

    def _mark_replied(self, session: Session, enrollment: Enrollment) -> None:
        seq = self._sequence(session, enrollment.sequence_id)
        settings = settings_for(session, self._user_id)
        mark_replied(session, settings, enrollment, subject=f"Re: {seq.name}")

    # --- status ----------------------------------------------------------------------------

    def status(self, *, with_contacts: bool = False) -> dict[str, object]:
        with self.store.read() as session:
            result: dict[str, object] = {
                "contacts_by_state": queries.counts_by_state(session),
                "outbox_pending": queries.outbox_pending(session),
            }
            if with_contacts:
                result["contacts"] = contacts_listing(session)
        result["mail"] = self.mail.account().as_status()
        result["clockwork"] = self.clockwork.meter().as_dict()
        return result

    def queue_status(self) -> dict[str, object]:
        """The part of `status` the status bar shows: the outbox's length and how mail logs
        in. Without the counts by state, a scan of every contact's sync record (at 100,000
        contacts it ran on the pool beside the window's first paint)."""
        with self.store.read() as session:
            pending = queries.outbox_pending(session)
        return {"outbox_pending": pending, "mail": self.mail.account().as_status()}


def _sequence_info(seq: Sequence, count: int) -> SequenceInfo:
    return SequenceInfo(
        id=seq.id,
        name=seq.name,
        sync_to_clockwork=seq.sync_to_clockwork,
        project_id=seq.project_id,
        contact_count=count,
    )
