"""Integration: connecting to Clockwork, and how this user's contacts sync to it.

Cards in a scroll area: the connection (connect form, or the connected firm with Test and
Disconnect), the compatibility check (run after every connect), the sync settings, and the
candidate status both ways; the settings apply as soon as they change and are disabled, with
the reason, until Clockwork is connected.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.api import ConnectionStatus
from app.workspace import Workspace
from ui.integration.candidate_status_card import CandidateStatusCard
from ui.integration.compat_card import CompatibilityCard
from ui.integration.connection_card import ConnectionCard
from ui.integration.sync_settings_card import SyncSettingsCard
from ui.runtime.bridge import EventBridge
from ui.widgets.card_column import card_scroll


class IntegrationPane(QWidget):
    def __init__(self, workspace: Workspace, bridge: EventBridge, parent: QWidget | None = None):
        super().__init__(parent)
        self._ws = workspace
        self.connection = ConnectionCard(workspace)
        self.compat = CompatibilityCard(workspace)
        self.settings = SyncSettingsCard(workspace)
        self.statuses = CandidateStatusCard(workspace)
        self.connection.form.connected.connect(self._connected)
        self._build()
        self.connection.keysRequested.connect(
            lambda: self.scroll_area.ensureWidgetVisible(self.connection.form)
        )
        bridge.settingsChanged.connect(self.reload)
        bridge.connectionChanged.connect(self.reload)
        self.reload()

    def _build(self) -> None:
        cards = (self.connection, self.compat, self.settings, self.statuses)
        self.scroll_area = card_scroll(self, "Clockwork", cards)

    @property
    def loaded(self) -> bool:
        """The newest reads of the saved settings and candidate statuses are on screen."""
        return self.settings.loaded and self.statuses.loaded

    @property
    def state_label(self) -> QWidget:
        return self.connection.state_label

    def open_connect_form(self) -> None:
        """For "Enter new keys…" elsewhere (the status bar): the form, ready for new keys."""
        self.connection.open_connect_form()

    def _connected(self, _firm: str) -> None:
        self.reload()
        self.statuses.fetch_statuses()  # a new firm has its own statuses
        self.compat.check()

    def reload(self) -> None:
        self.connection.reload()
        self.settings.reload()
        linked = self._ws.connection_state().status is not ConnectionStatus.NOT_CONNECTED
        self.compat.reload(linked)
        self.statuses.reload(linked)
