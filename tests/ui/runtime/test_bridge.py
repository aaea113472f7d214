"""The event bridge: events from any thread arrive on the GUI thread, in batches."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app import events
from app.events import EventBus
from ui.runtime.bridge import EventBridge


def test_events_from_a_worker_thread_reach_the_gui_thread(qtbot: QtBot) -> None:
    bus = EventBus()
    bridge = EventBridge(bus)
    seen: list[tuple[str, dict[str, object], bool]] = []
    gui = QApplication.instance().thread()  # type: ignore[union-attr]
    bridge.busEvent.connect(lambda t, d: seen.append((t, d, QThread.currentThread() is gui)))
    worker = threading.Thread(target=lambda: bus.publish("sync.state", contact_id=7, n={1: 2}))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(seen) == 1)
    assert seen == [("sync.state", {"contact_id": 7, "n": {1: 2}}, True)]
    bridge.detach()


def test_a_burst_of_changes_refreshes_once(qtbot: QtBot) -> None:
    bus = EventBus()
    bridge = EventBridge(bus, batch_ms=50)
    refreshes: list[None] = []
    bridge.contactsChanged.connect(lambda: refreshes.append(None))
    with qtbot.waitSignal(bridge.contactsChanged):
        for _ in range(50):
            bus.publish(events.CONTACTS_CHANGED)
        bus.publish(events.SYNC_STATE, contact_id=1)
    qtbot.wait(120)
    assert len(refreshes) == 1
    bridge.detach()


def test_progress_carries_the_latest_figures(qtbot: QtBot) -> None:
    bus = EventBus()
    bridge = EventBridge(bus, batch_ms=30)
    with qtbot.waitSignal(bridge.syncProgress) as progress:
        for done in range(1, 11):
            bus.publish(events.SYNC_PROGRESS, done=done, total=10)
    assert progress.args == [{"done": 10, "total": 10}]
    bridge.detach()


def test_each_topic_has_its_signal(qtbot: QtBot) -> None:
    bus = EventBus()
    bridge = EventBridge(bus, batch_ms=1)
    for topic, signal in (
        (events.SEQUENCES_CHANGED, bridge.sequencesChanged),
        (events.SETTINGS_CHANGED, bridge.settingsChanged),
        (events.CONNECTION_CHANGED, bridge.connectionChanged),
    ):
        with qtbot.waitSignal(signal):
            bus.publish(topic)
    bridge.detach()


def test_detached_bridge_hears_nothing(qtbot: QtBot) -> None:
    bus = EventBus()
    bridge = EventBridge(bus, batch_ms=1)
    bridge.detach()
    with qtbot.assertNotEmitted(bridge.busEvent, wait=50):
        bus.publish(events.CONTACTS_CHANGED)
