"""Integration: connecting to Clockwork, and how this user's contacts sync to it.

Two cards in a scroll area: the connection (connect form, or the connected firm with Test and
Disconnect) and the sync settings, which apply as soon as they change and are disabled, with
the reason, until Clockwork is connected.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

from app.workspace import Workspace
from ui.bridge import EventBridge
from ui.connection_card import ConnectionCard
from ui.sync_settings import SyncSettingsCard
from ui.widgets import label, named

MAX_WIDTH = 900


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
        content = named(QWidget(), "paneContent")
        column = QVBoxLayout(content)
        column.setContentsMargins(24, 20, 24, 24)
        column.setSpacing(16)
        column.addWidget(label("Clockwork", "paneTitle"))
        for card in (self.connection, self.settings):
            card.setMaximumWidth(MAX_WIDTH)
            column.addWidget(card)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    @property
    def state_label(self) -> QWidget:
        return self.connection.state_label

    def reload(self) -> None:
        self.connection.reload()
        self.settings.reload()
