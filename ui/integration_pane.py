"""Integration: whether Clockwork is connected, and how this user's contacts sync to it.

Shows the real saved settings only. The connect form (domain, API key, secret key, firm
service key) goes in as its own section; `self.form` already holds the settings rows.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QVBoxLayout, QWidget

from app.domain import ClockworkSettingsView
from app.workspace import Workspace
from ui.bridge import EventBridge
from ui.text import SYNC_MODE_TEXT
from ui.widgets import label, named

EXPLANATION = (
    "Our integration with Clockwork lets you automatically sync contacts into Clockwork "
    "whenever they're added to a sequence, or only once they reply. Escapement looks each "
    "person up by email first, so someone already in Clockwork is linked rather than "
    "created twice, and it can add them to a Clockwork project and log their email activity "
    "as notes."
)
CREDENTIALS = (
    "To connect you need your firm's Clockwork domain and an API key with its secret key, "
    "created under your Profile › API Keys in Clockwork, plus the Firm Service Key."
)


class IntegrationPane(QWidget):
    def __init__(self, workspace: Workspace, bridge: EventBridge, parent: QWidget | None = None):
        super().__init__(parent)
        self._ws = workspace
        self.state_label = label("", "connectionState")
        self.form = QFormLayout()
        self.form.setHorizontalSpacing(24)
        self.form.setVerticalSpacing(10)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self._values: dict[str, QLabel] = {}
        for key, caption in (
            ("sync_mode", "Sync"),
            ("dedup", "Deduplication"),
            ("project", "Default project"),
            ("activity", "Activity tracking"),
        ):
            self._values[key] = QLabel(wordWrap=True)
            self.form.addRow(caption, self._values[key])
        self._build()
        bridge.settingsChanged.connect(self.reload)
        bridge.connectionChanged.connect(self.reload)
        self.reload()

    def _build(self) -> None:
        card = named(QFrame(), "card")
        card.setMaximumWidth(760)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(24, 20, 24, 24)
        inner.setSpacing(12)
        inner.addWidget(self.state_label)
        inner.addWidget(_paragraph(EXPLANATION))
        inner.addWidget(_paragraph(CREDENTIALS, subtle=True))
        inner.addSpacing(8)
        inner.addWidget(label("Sync settings", "sectionTitle"))
        inner.addLayout(self.form)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(16)
        layout.addWidget(label("Clockwork", "paneTitle"))
        layout.addWidget(card)
        layout.addStretch(1)

    def reload(self) -> None:
        settings = self._ws.clockwork_settings()
        self.state_label.setText(
            f"Connected to {settings.firm}" if settings.connected else "Not connected"
        )
        self.state_label.setProperty("connected", settings.connected)
        self.state_label.style().unpolish(self.state_label)
        self.state_label.style().polish(self.state_label)
        self._show_settings(settings)

    def _show_settings(self, settings: ClockworkSettingsView) -> None:
        self._values["sync_mode"].setText(SYNC_MODE_TEXT[settings.sync_mode])
        self._values["dedup"].setText(
            "On: warn when a contact's email already exists in Clockwork"
            if settings.dedup
            else "Off"
        )
        self._values["project"].setText(settings.default_project_id or "None")
        self._values["activity"].setText(
            "On: email activity is posted as notes" if settings.activity_tracking else "Off"
        )


def _paragraph(text: str, *, subtle: bool = False) -> QLabel:
    label = QLabel(text, wordWrap=True)
    if subtle:
        label.setObjectName("subtle")
    return label
