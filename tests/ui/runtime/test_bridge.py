"""The event bridge: events from any thread arrive on the GUI thread, in batches."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app import events
from app.event_types import (
    TYPES,
    ClockworkReachability,
    MailAccountChanged,
    MailFailed,
    MailRun,
    SyncProgress,
    SyncStateChanged,
)
from app.events import EventBus
from ui.runtime.bridge import EventBridge


def test_events_from_a_worker_thread_reach_the_gui_thread(qtbot: QtBot) -> None:
    bus = EventBus()
    bridge = EventBridge(bus)
    seen: list[tuple[object, bool]] = []
    gui = QApplication.instance().thread()  # type: ignore[union-attr]
    bridge.eventArrived.connect(lambda v: seen.append((v, QThread.currentThread() is gui)))
    worker = threading.Thread(target=lambda: bus.publish("sync.state", contact_id=7, n={1: 2}))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(seen) == 1)
    assert seen == [(SyncStateChanged(contact_id=7), True)]
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
    assert progress.args == [SyncProgress(done=10, total=10)]
    bridge.detach()


def test_each_topic_has_its_signal(qtbot: QtBot) -> None:
    bus = EventBus()
    bridge = EventBridge(bus, batch_ms=1)
    for topic, signal in (
        (events.SEQUENCES_CHANGED, bridge.sequencesChanged),
        (events.SETTINGS_CHANGED, bridge.settingsChanged),
        (events.CONNECTION_CHANGED, bridge.connectionChanged),
        (events.TEAM_CHANGED, bridge.teamChanged),
    ):
        with qtbot.waitSignal(signal):
            bus.publish(topic)
    bridge.detach()


def test_mail_topics_arrive_as_typed_values(qtbot: QtBot) -> None:
    bus = EventBus()
    bridge = EventBridge(bus, batch_ms=1)
    with qtbot.waitSignal(bridge.mailRun) as ran:
        bus.publish(events.MAIL_RUN, sent=3, errors=["Login refused"], later_field=1)
    assert ran.args == [MailRun(sent=3, errors=("Login refused",))]
    with qtbot.waitSignal(bridge.mailFailed) as failed:
        bus.publish(events.MAIL_FAILED, title="No keyring", message="Unlock it.")
    assert failed.args == [MailFailed("No keyring", "Unlock it.")]
    with qtbot.waitSignal(bridge.mailAccountChanged) as account:
        bus.publish(events.MAIL_ACCOUNT, auth="oauth", provider="google", account="a@b", state="ok")
    assert account.args == [MailAccountChanged("oauth", "google", "a@b", "ok")]
    with qtbot.waitSignal(bridge.reachabilityChanged) as reach:
        bus.publish(events.CLOCKWORK_REACHABILITY, reachable=False, message="offline")
    assert reach.args == [ClockworkReachability(reachable=False, message="offline")]
    bridge.detach()


def test_every_topic_has_a_typed_value() -> None:
    topics = {v for k, v in vars(events).items() if k.isupper() and isinstance(v, str)}
    assert topics == set(TYPES)


def test_detached_bridge_hears_nothing(qtbot: QtBot) -> None:
    bus = EventBus()
    bridge = EventBridge(bus, batch_ms=1)
    bridge.detach()
    with qtbot.assertNotEmitted(bridge.eventArrived, wait=50):
        bus.publish(events.CONTACTS_CHANGED)
