"""Integration: connecting to Clockwork, and how this user's contacts sync to it.

Two cards in a scroll area: the connection (connect form, or the connected firm with Test and
Disconnect) and the sync settings, which apply as soon as they change and are disabled, with
the reason, until Clockwork is connected.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.workspace import Workspace
from ui.integration.connection_card import ConnectionCard
from ui.integration.sync_settings_card import SyncSettingsCard
from ui.runtime.bridge import EventBridge
from ui.widgets.card_column import card_scroll


class IntegrationPane(QWidget):
    def __init__(self, workspace: Workspace, bridge: EventBridge, parent: QWidget | None = None):
        super().__init__(parent)
        self._ws = workspace
        self.connection = ConnectionCard(workspace)
        self.settings = SyncSettingsCard(workspace)
        self.connection.form.connected.connect(lambda _firm: self.reload())
        self._build()
        bridge.settingsChanged.connect(self.reload)
        bridge.connectionChanged.connect(self.reload)
        self.reload()

    def _build(self) -> None:
        card_scroll(self, "Clockwork", (self.connection, self.settings))

    @property
    def state_label(self) -> QWidget:
        return self.connection.state_label

    def reload(self) -> None:
        self.connection.reload()
        self.settings.reload()
