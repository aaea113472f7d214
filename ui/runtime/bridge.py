"""The one place where Workspace events become Qt signals.

The bus calls its handlers on the publisher's thread (the sync worker may run anywhere), so
each event is re-emitted through a queued connection and reaches widgets on the GUI thread.
Views listen to the batched signals: a sync run that changes 500 contacts in a second causes a
handful of refreshes, not 500.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from app import events
from app.events import Event, EventBus

BATCH_MS = 150


class _Batch(QObject):
    """Emits at most once per interval, carrying the latest data it was given."""

    fired = Signal(object)

    def __init__(self, interval_ms: int, parent: QObject) -> None:
        super().__init__(parent)
        self._data: dict[str, Any] = {}
        self._timer = QTimer(self, singleShot=True, interval=interval_ms)
        self._timer.timeout.connect(lambda: self.fired.emit(self._data))

    def poke(self, data: dict[str, Any]) -> None:
        self._data = data
        # Start, never restart: a steady stream of events still refreshes every interval.
        if not self._timer.isActive():
            self._timer.start()


class EventBridge(QObject):
    # Every event as it arrives. Named busEvent because QObject.event() is Qt's own dispatcher;
    # `object`, not `dict`: PySide would copy a dict into a QVariantMap and drop non-str keys.
    busEvent = Signal(str, object)
    contactsChanged = Signal()
    sequencesChanged = Signal()
    settingsChanged = Signal()
    connectionChanged = Signal()
    syncProgress = Signal(object)  # the latest sync.progress data (a dict)

    _arrived = Signal(str, object)

    def __init__(self, bus: EventBus, parent: QObject | None = None, batch_ms: int = BATCH_MS):
        super().__init__(parent)
        self._arrived.connect(self._dispatch, Qt.ConnectionType.QueuedConnection)
        self._batches = self._make_batches(batch_ms)
        self._unsubscribe: Any = bus.subscribe("*", self._from_bus)

    def _make_batches(self, ms: int) -> dict[str, _Batch]:
        """One batch per signal; topics that mean the same refresh share it."""
        contacts = self._batch(ms, lambda _d: self.contactsChanged.emit())
        return {
            events.CONTACTS_CHANGED: contacts,
            # A contact's sync state is a column of the contacts table.
            events.SYNC_STATE: contacts,
            events.SEQUENCES_CHANGED: self._batch(ms, lambda _d: self.sequencesChanged.emit()),
            events.SETTINGS_CHANGED: self._batch(ms, lambda _d: self.settingsChanged.emit()),
            events.CONNECTION_CHANGED: self._batch(ms, lambda _d: self.connectionChanged.emit()),
            events.SYNC_PROGRESS: self._batch(ms, self.syncProgress.emit),
        }

    def _batch(self, ms: int, emit: Callable[[dict[str, Any]], None]) -> _Batch:
        batch = _Batch(ms, self)
        batch.fired.connect(emit)
        return batch

    def _from_bus(self, event: Event) -> None:
        """Runs on the publisher's thread: hand over to the GUI thread and return at once."""
        # After the bridge is deleted a late publisher gets RuntimeError; the event has no reader.
        with contextlib.suppress(RuntimeError):
            self._arrived.emit(event.topic, dict(event.data))

    def _dispatch(self, topic: str, data: dict[str, Any]) -> None:
        self.busEvent.emit(topic, data)
        batch = self._batches.get(topic)
        if batch is not None:
            batch.poke(data)

    def detach(self) -> None:
        """Stop listening to the bus; call before the Workspace closes."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
