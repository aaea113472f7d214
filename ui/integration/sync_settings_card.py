"""The sync settings card: how this user's contacts sync, applied as soon as they change.

Each change is written on the thread pool, one after another in the order made (a busy sync
worker may hold the database for a moment; the window must not wait). The card re-reads the
saved settings when the workspace says they changed, so it never shows an unsaved value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.api import ClockworkSettingsView, ConnectionStatus, EscapementError, ProjectInfo, SyncMode
from app.workspace import Workspace
from ui.integration import text as words
from ui.runtime.async_action import AsyncAction
from ui.runtime.task_runner import SerialRunner, TaskRunner
from ui.widgets.accessible import described
from ui.widgets.basic import button, field, label
from ui.widgets.project_combo import ProjectCombo
from ui.widgets.wording import SYNC_MODE_TEXT, count

RATE_RANGE = (0.1, 100.0)


@dataclass(frozen=True, slots=True)
class _Saved:
    """What the card shows, read in one go off the GUI thread."""

    settings: ClockworkSettingsView
    projects: list[ProjectInfo]
    bcc: str
    warning: str | None


class SyncSettingsCard(QFrame):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self._ws = workspace
        self._saver = SerialRunner(self)
        self._reader = TaskRunner(self)
        self._reads = self._shown = self._edits = 0
        self.saved: _Saved | None = None
        self.refresh_action = AsyncAction(self)
        self.refresh_action.busyChanged.connect(self._show_refreshing)
        self._fetched = ""  # what the last Refresh found, kept in the projects line
        self._make_controls()
        self._build()

    def _make_controls(self) -> None:
        self.mode_group = QButtonGroup(self)
        self.mode_buttons: dict[SyncMode, QRadioButton] = {}
        for mode in SyncMode:
            self.mode_buttons[mode] = radio = QRadioButton(SYNC_MODE_TEXT[mode])
            self.mode_group.addButton(radio)
        self.mode_group.buttonClicked.connect(self._mode_clicked)
        self.dedup_box = QCheckBox("Warn me instead of syncing when a contact exists")
        self.dedup_box.clicked.connect(lambda on: self._save(dedup=on))
        self.project_combo = ProjectCombo("None")
        self.project_combo.chosen.connect(self._project_chosen)
        self.refresh_button = button("Refresh projects", on_click=self.refresh_projects)
        self.projects_label = label("", "subtle")
        self.activity_box = QCheckBox("Post email activity to Clockwork as notes")
        self.activity_box.clicked.connect(lambda on: self._save(activity_tracking=on))
        self.rate_spin = QDoubleSpinBox(decimals=1, singleStep=0.5, suffix=" requests/s")
        described(self.rate_spin, "Request rate")
        self.rate_spin.setRange(*RATE_RANGE)
        self.rate_spin.setFixedWidth(170)
        self.rate_spin.editingFinished.connect(self._rate_edited)
        self.bcc_edit = QLineEdit(placeholderText="e.g. pendulum@yourfirm.example.com")
        described(self.bcc_edit, "Pendulum BCC")
        self.bcc_edit.setClearButtonEnabled(True)
        self.bcc_edit.setMinimumWidth(380)
        self.bcc_edit.editingFinished.connect(self._bcc_edited)
        self.warning_label = label("", "warningLabel", wrap=True)
        self.warning_label.hide()
        self.error_label = label("", "errorLabel", wrap=True)
        self.error_label.setTextFormat(Qt.TextFormat.RichText)
        self.error_label.hide()
        self.reason_label = label(words.NOT_CONNECTED_REASON, "subtle", wrap=True)

    def _build(self) -> None:
        self.form = QFormLayout()
        self.form.setHorizontalSpacing(24)
        self.form.setVerticalSpacing(16)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        modes = QVBoxLayout()
        modes.setSpacing(6)
        for radio in self.mode_buttons.values():
            modes.addWidget(radio)
        project_row = QHBoxLayout()
        project_row.addWidget(self.project_combo, 1)
        project_row.addWidget(self.refresh_button)
        self.form.addRow("Sync", field(modes, left=True))
        self.form.addRow("Deduplication", field(self.dedup_box, words.DEDUP_HINT, left=True))
        self.form.addRow(
            "Default project",
            field(project_row, words.PROJECT_HINT, self.projects_label, left=True),
        )
        self.form.addRow(
            "Activity tracking", field(self.activity_box, words.ACTIVITY_HINT, left=True)
        )
        self.form.addRow("Request rate", field(self.rate_spin, words.RATE_HINT, left=True))
        self.form.addRow("Pendulum BCC", field(self.bcc_edit, words.BCC_HINT, left=True))
        self.body = QWidget()
        self.body.setLayout(self.form)
        self.form.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 24)
        layout.setSpacing(12)
        layout.addWidget(label("Sync settings", "sectionTitle"))
        layout.addWidget(self.reason_label)
        layout.addWidget(self.body)
        layout.addWidget(self.warning_label)
        layout.addWidget(self.error_label)

    # --- showing the saved settings --------------------------------------------------------

    def reload(self) -> None:
        """Read the saved settings off the GUI thread; the newest read is shown."""
        ws = self._ws
        self._reads += 1
        token, edits = self._reads, self._edits

        def read() -> _Saved:
            projects = ws.projects(syncable_only=True)
            bcc = ws.email_settings().bcc_address or ""
            return _Saved(ws.clockwork_settings(), projects, bcc, ws.double_recording_warning())

        self._reader.submit(read, lambda saved: self._show(token, edits, saved))

    @property
    def loaded(self) -> bool:
        """The saved settings are on screen and no newer read is under way."""
        return self._shown == self._reads

    def _show(self, token: int, edits: int, saved: _Saved) -> None:
        # A read that started before the user's latest change would undo it on screen; the
        # change's own event brings a fresh read.
        if token != self._reads or edits != self._edits:
            return
        self._shown = token
        self.saved = saved
        settings = saved.settings
        linked = self._ws.connection_state().status is not ConnectionStatus.NOT_CONNECTED
        self.body.setEnabled(linked)
        self.reason_label.setVisible(not linked)
        self.mode_buttons[settings.sync_mode].setChecked(True)
        self.dedup_box.setChecked(settings.dedup)
        self.activity_box.setChecked(settings.activity_tracking)
        if not self.rate_spin.hasFocus():
            self.rate_spin.setValue(settings.rate_limit)
        self.project_combo.set_projects(saved.projects, settings.default_project_id)
        offered = f"{count(len(saved.projects), 'project')} can receive contacts."
        self.projects_label.setText(f"{self._fetched}{offered}")
        if not (self.bcc_edit.hasFocus() and self.bcc_edit.isModified()):
            self.bcc_edit.setText(saved.bcc)
        self.warning_label.setText(saved.warning or "")
        self.warning_label.setVisible(bool(saved.warning))

    # --- saving ---------------------------------------------------------------------------

    def _save(self, **changes: Any) -> None:
        self._call(lambda: self._ws.update_clockwork_settings(**changes))

    def _call(self, fn: Callable[[], object], on_error: Callable[[], None] | None = None) -> None:
        self.error_label.hide()
        self._edits += 1

        def failed(exc: Exception) -> None:
            if not isinstance(exc, EscapementError):
                raise exc
            self._show_error(exc)
            if on_error is not None:
                on_error()
            self.reload()

        self._saver.submit(fn, lambda _r: None, failed)

    def _mode_clicked(self, radio: QAbstractButton) -> None:
        mode = next(m for m, r in self.mode_buttons.items() if r is radio)
        self._save(sync_mode=mode)

    def _project_chosen(self, project_id: str | None) -> None:
        self._call(lambda: self._ws.set_default_project(project_id), self.project_combo.revert)

    def _rate_edited(self) -> None:
        value = round(self.rate_spin.value(), 1)
        if self.saved is None or value != round(self.saved.settings.rate_limit, 1):
            self._save(rate_limit=value)

    def _bcc_edited(self) -> None:
        if not self.bcc_edit.isModified():
            return
        self.bcc_edit.setModified(False)
        address = self.bcc_edit.text().strip() or None
        self._call(lambda: self._ws.set_bcc_address(address))

    def _show_error(self, exc: EscapementError) -> None:
        self.error_label.setText(f"<b>{escape(exc.title)}</b><br>{escape(exc.message)}")
        self.error_label.show()

    # --- projects -------------------------------------------------------------------------

    def refresh_projects(self) -> None:
        self.error_label.hide()
        self.refresh_action.start(self._ws.refresh_projects, self._refreshed, self._show_error)

    def _refreshed(self, n: int) -> None:
        self._fetched = f"Fetched {count(n, 'project')} from Clockwork; "
        self.reload()

    def _show_refreshing(self, busy: bool) -> None:
        self.refresh_button.setEnabled(not busy)
        self.refresh_button.setText("Refreshing…" if busy else "Refresh projects")
