"""The suppression list as the Workspace exposes it (`ws.suppression`): plain data in and out,
for the GUI, the CLI and tests."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from app import events
from app.csvimport import normalise_email
from app.errors import InputError, NotFoundError
from app.events import EventBus
from app.optout import csv_io, suppression
from app.optout.types import Source, SuppressionInfo, SuppressReport
from app.store import Store
from app.store.models import utcnow


class SuppressionFacade:
    def __init__(
        self, store: Store, bus: EventBus, user_id: int, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.store, self.bus, self.user_id, self.clock = store, bus, user_id, clock

    def listing(self, *, include_lifted: bool = False) -> list[SuppressionInfo]:
        """Everyone on the list, A to Z; with include_lifted, the undone ones too."""
        with self.store.read() as session:
            return suppression.rows(session, include_lifted=include_lifted)

    def get(self, email: str) -> SuppressionInfo | None:
        """The entry of one address, active or undone: what the contact's details show
        (how they opted out, the words that triggered it, who undid it and why)."""
        with self.store.read() as session:
            return suppression.one(session, email)

    def is_suppressed(self, emails: Iterable[str]) -> set[str]:
        """Which of these addresses (lower-cased) may not be emailed."""
        with self.store.read() as session:
            return suppression.suppressed_keys(session, emails)

    def add(self, emails: Iterable[str], note: str = "") -> SuppressReport:
        """Suppresses by hand: every sequence of anyone ends for these people."""
        wanted: list[tuple[str, str]] = []
        rejected: list[tuple[int, str]] = []
        for position, raw in enumerate(emails, start=1):
            address = normalise_email(raw)
            if address is None:
                rejected.append((position, f'"{raw.strip()}" is not an email address'))
            else:
                wanted.append((address, note.strip()))
        if rejected and not wanted:
            raise InputError(rejected[0][1] + ".")
        return self._add(wanted, Source.MANUAL, rejected)

    def remove(self, emails: Iterable[str], reason: str) -> list[str]:
        """Undoes suppressions, with the user's reason (kept, with who and when). Returns the
        addresses that were on the list."""
        if not reason.strip():
            raise InputError("Say why the address may be emailed again (a reason is required).")
        lifted: list[str] = []
        with self.store.write() as session:
            for email in emails:
                if suppression.lift(session, email, reason.strip(), self.user_id, self.clock()):
                    lifted.append(email.strip().lower())
        if not lifted:
            raise NotFoundError("None of those addresses is on the suppression list.")
        self._changed()
        return lifted

    def import_csv(self, path: Path) -> SuppressReport:
        read = csv_io.read(path)
        return self._add(read.addresses, Source.IMPORT, read.rejected)

    def export_csv(self, path: Path) -> int:
        """Writes the active entries; returns how many."""
        return csv_io.write(self.listing(), path)

    def _add(
        self, wanted: list[tuple[str, str]], source: Source, rejected: list[tuple[int, str]]
    ) -> SuppressReport:
        report = SuppressReport(rejected=rejected)
        now = self.clock()
        ended = 0
        with self.store.write() as session:
            for address, note in wanted:
                added = suppression.add(session, address, source, note, self.user_id, now)
                (report.added if added.new else report.already).append(address.lower())
                ended += added.ended
        self._changed()
        return SuppressReport(report.added, report.already, rejected, ended)

    def _changed(self) -> None:
        self.bus.publish(events.CONTACTS_CHANGED)
        self.bus.publish(events.SEQUENCES_CHANGED)
