"""The one place where Workspace events become Qt signals: one typed signal per topic.

The bus calls its handlers on the publisher's thread (the sync worker may run anywhere), so
each event is turned into its topic's frozen value (`app.api.payload`) and re-emitted through
a queued connection; it reaches widgets on the GUI thread. Refresh signals are batched: a sync
run that changes 500 contacts in a second causes a handful of refreshes, not 500. Panes connect
to the signal they need; none matches topic names.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from app.api import (
    ClockworkReachability,
    ConnectionChanged,
    ContactsChanged,
    Event,
    EventBus,
    MailAccountChanged,
    MailFailed,
    MailRun,
    Payload,
    SequencesChanged,
    SettingsChanged,
    SyncProgress,
    SyncStateChanged,
    TeamChanged,
    payload,
)

BATCH_MS = 150


class _Batch(QObject):
    """Emits at most once per interval, carrying the latest value it was given."""

    fired = Signal(object)

    def __init__(self, interval_ms: int, parent: QObject) -> None:
        super().__init__(parent)
        self._value: object = None
        self._timer = QTimer(self, singleShot=True, interval=interval_ms)
        self._timer.timeout.connect(lambda: self.fired.emit(self._value))

    def poke(self, value: object) -> None:
        self._value = value
        # Start, never restart: a steady stream of events still refreshes every interval.
        if not self._timer.isActive():
            self._timer.start()


class EventBridge(QObject):
    # `object` carries the frozen value untouched (no QVariant copy); its type is in the comment.
    #: Every event's value as it arrives (for diagnostics and tests).
    eventArrived = Signal(object)  # a Payload
    # Batched refreshes: "read again", no payload.
    contactsChanged = Signal()
    sequencesChanged = Signal()
    settingsChanged = Signal()
    connectionChanged = Signal()
    teamChanged = Signal()
    syncProgress = Signal(object)  # the latest SyncProgress
    # As they happen.
    reachabilityChanged = Signal(object)  # ClockworkReachability
    mailRun = Signal(object)  # MailRun
    mailFailed = Signal(object)  # MailFailed
    mailAccountChanged = Signal(object)  # MailAccountChanged

    _arrived = Signal(object)

    def __init__(self, bus: EventBus, parent: QObject | None = None, batch_ms: int = BATCH_MS):
        super().__init__(parent)
        self._arrived.connect(self._dispatch, Qt.ConnectionType.QueuedConnection)
        self._routes = self._make_routes(batch_ms)
        self._unsubscribe: Callable[[], None] | None = bus.subscribe("*", self._from_bus)

    def _make_routes(self, ms: int) -> dict[type, Callable[[object], None]]:
        """Where each kind of value goes; kinds that mean the same refresh share a batch."""
        contacts = self._batch(ms, lambda _v: self.contactsChanged.emit())
        return {
            ContactsChanged: contacts.poke,
            # A contact's sync state is a column of the contacts table.
            SyncStateChanged: contacts.poke,
            SequencesChanged: self._batch(ms, lambda _v: self.sequencesChanged.emit()).poke,
            SettingsChanged: self._batch(ms, lambda _v: self.settingsChanged.emit()).poke,
            ConnectionChanged: self._batch(ms, lambda _v: self.connectionChanged.emit()).poke,
            TeamChanged: self._batch(ms, lambda _v: self.teamChanged.emit()).poke,
            SyncProgress: self._batch(ms, self.syncProgress.emit).poke,
            ClockworkReachability: self.reachabilityChanged.emit,
            MailRun: self.mailRun.emit,
            MailFailed: self.mailFailed.emit,
            MailAccountChanged: self.mailAccountChanged.emit,
        }

    def _batch(self, ms: int, emit: Callable[[object], object]) -> _Batch:
        batch = _Batch(ms, self)
        batch.fired.connect(emit)
        return batch

    def _from_bus(self, event: Event) -> None:
        """Runs on the publisher's thread: hand over to the GUI thread and return at once."""
        value = payload(event)
        if value is None:  # a topic with no declared value has no reader in the GUI
            return
        # After the bridge is deleted a late publisher gets RuntimeError; the event has no reader.
        with contextlib.suppress(RuntimeError):
            self._arrived.emit(value)

    def _dispatch(self, value: Payload) -> None:
        self.eventArrived.emit(value)
        self._routes[type(value)](value)

    def detach(self) -> None:
        """Stop listening to the bus; call before the Workspace closes."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
