"""The Integration pane shows the saved Clockwork state, nothing made up."""

from __future__ import annotations

from typing import Any, cast

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.domain import ClockworkSettingsView, SyncMode
from app.events import EventBus
from app.workspace import Workspace
from ui.bridge import EventBridge
from ui.integration_pane import IntegrationPane
from ui.text import SYNC_MODE_TEXT


def texts(pane: IntegrationPane) -> list[str]:
    return [label.text() for label in pane.findChildren(QLabel)]


def test_not_connected_by_default(workspace: Workspace, bridge: EventBridge, qtbot: QtBot) -> None:
    pane = IntegrationPane(workspace, bridge)
    qtbot.addWidget(pane)
    assert pane.state_label.text() == "Not connected"
    assert any("sync contacts into Clockwork whenever" in t for t in texts(pane))
    assert pane.form.rowCount() == 4
    assert SYNC_MODE_TEXT[SyncMode.OFF] in texts(pane)


def test_follows_settings_changes(workspace: Workspace, bridge: EventBridge, qtbot: QtBot) -> None:
    pane = IntegrationPane(workspace, bridge)
    qtbot.addWidget(pane)
    workspace.update_clockwork_settings(sync_mode=SyncMode.ON_REPLY, activity_tracking=True)
    qtbot.waitUntil(lambda: SYNC_MODE_TEXT[SyncMode.ON_REPLY] in texts(pane))
    assert any(t.startswith("On: email activity") for t in texts(pane))


class ConnectedWorkspace:
    """Just enough Workspace for the pane, connected to a firm."""

    bus = EventBus()

    def clockwork_settings(self) -> ClockworkSettingsView:
        return ClockworkSettingsView(
            firm="hartwell-search",
            sync_mode=SyncMode.ON_ADD,
            dedup=False,
            default_project_id="P-1042",
            activity_tracking=False,
            rate_limit=5.0,
        )


def test_shows_the_firm_when_connected(qtbot: QtBot) -> None:
    fake = cast(Any, ConnectedWorkspace())
    bridge = EventBridge(fake.bus)
    pane = IntegrationPane(fake, bridge)
    qtbot.addWidget(pane)
    assert pane.state_label.text() == "Connected to hartwell-search"
    assert pane.state_label.property("connected") is True
    assert {"P-1042", "Off", SYNC_MODE_TEXT[SyncMode.ON_ADD]} <= set(texts(pane))
    bridge.detach()
