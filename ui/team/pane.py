"""Team: who is on the team, their role, groups and integration, and cloning settings to them.

Everyone sees the table. Owners and Managers add, edit and remove teammates and clone their
Clockwork settings; for anyone else the buttons are disabled, with the reason as a tooltip and
in a note above the table. The façade checks again on every call, so a role changed meanwhile
gives an inline refusal, not a crash.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.api import EscapementError, IntegrationKind, SyncMode, Teammate
from app.workspace import Workspace
from ui.runtime.bridge import BATCH_MS, EventBridge
from ui.runtime.task_runner import TaskRunner
from ui.team.dialogs import INTEGRATION_TEXT, ROLE_TEXT, CloneDialog, TeammateDialog
from ui.widgets.accessible import described
from ui.widgets.basic import DialogSlot, button, destructive_confirm, label

COLUMNS = ("Name", "Email", "Role", "Groups", "Integration", "Sync mode", "Dedup")
SYNC_MODE_SHORT = {
    SyncMode.OFF: "Off",
    SyncMode.ON_ADD: "When added",
    SyncMode.ON_REPLY: "On reply",
}
NOT_APPLICABLE = "—"


@dataclass(frozen=True, slots=True)
class _Snapshot:
    members: list[Teammate]
    groups: list[str]
    me: str
    manage: tuple[bool, str]
    clone: tuple[bool, str]


class TeamPane(QWidget):
    def __init__(
        self, workspace: Workspace, bridge: EventBridge, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._runner = TaskRunner(self)
        self._writer = TaskRunner(self)
        self.snapshot: _Snapshot | None = None
        self._dialogs = DialogSlot(closed=self.reload)
        self._build()
        # Team events arrive in bursts (a clone changes many rows): refresh once per batch.
        self._refresh = QTimer(self, singleShot=True, interval=BATCH_MS)
        self._refresh.timeout.connect(self.reload)
        bridge.teamChanged.connect(self._poke)
        bridge.settingsChanged.connect(self._poke)  # my own sync mode and dedup are columns
        self.reload()

    def _build(self) -> None:
        self.note = label("", "subtle", wrap=True)
        self.note.hide()
        self.table = described(QTableWidget(0, len(COLUMNS)), "Teammates")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(34)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self.edit_teammate())
        self.add_button = button("Add teammate…", on_click=self.add_teammate)
        self.edit_button = button("Edit…", on_click=self.edit_teammate)
        self.remove_button = button("Remove…", "dangerButton", on_click=self.remove_teammate)
        self.clone_button = button("Clone my Clockwork settings…", on_click=self.clone)
        self.error_label = label("", "errorLabel", wrap=True)
        self.error_label.hide()
        buttons = QHBoxLayout()
        for each in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(each)
        buttons.addStretch(1)
        buttons.addWidget(self.clone_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(label("Team", "paneTitle"))
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)

    # --- reading ---------------------------------------------------------------------------

    def _poke(self) -> None:
        if not self._refresh.isActive():
            self._refresh.start()

    def reload(self) -> None:
        """Read the team and what I may do with it, off the GUI thread."""
        team = self._ws.team

        def read() -> _Snapshot:
            me = self._ws.me().email
            return _Snapshot(team.members(), team.groups(), me, team.can_manage(), team.can_clone())

        self._runner.submit(read, self._show)

    def _show(self, snap: _Snapshot) -> None:
        keep = self.selected()
        self.snapshot = snap
        self.table.setRowCount(len(snap.members))
        for row, mate in enumerate(snap.members):
            for col, text in enumerate(_cells(mate)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if text == NOT_APPLICABLE:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(row, col, item)
            if keep is not None and mate.email == keep.email:
                self.table.selectRow(row)
        allowed, why = snap.manage
        self.note.setText(why)
        self.note.setVisible(not allowed)
        self._update_buttons()

    def selected(self) -> Teammate | None:
        rows = self.table.selectionModel().selectedRows()
        if self.snapshot is None or not rows or rows[0].row() >= len(self.snapshot.members):
            return None
        return self.snapshot.members[rows[0].row()]

    def _update_buttons(self) -> None:
        snap, mate = self.snapshot, self.selected()
        manage, why = snap.manage if snap else (False, "")
        clone, clone_why = snap.clone if snap else (False, "")
        busy = self._writer.busy
        _enable(self.add_button, manage, why)
        _enable(self.edit_button, manage and mate is not None, why or "Choose a teammate first.")
        if manage and mate is not None and snap is not None and mate.email == snap.me:
            _enable(self.remove_button, False, "You cannot remove yourself.")
        else:
            pick = why or "Choose a teammate first."
            _enable(self.remove_button, manage and mate is not None and not busy, pick)
        _enable(self.clone_button, clone, clone_why)

    # --- changing --------------------------------------------------------------------------

    def add_teammate(self) -> None:
        if self.dialog is None and self.snapshot is not None:
            team = self._ws.team

            def submit(v: dict[str, object]) -> object:
                return team.add(
                    str(v["name"]),
                    str(v["email"]),
                    role=v["role"],  # type: ignore[arg-type]
                    groups=v["groups"],  # type: ignore[arg-type]
                    integration=v["integration"],  # type: ignore[arg-type]
                )

            self._track(TeammateDialog(self.snapshot.groups, submit, parent=self))

    def edit_teammate(self) -> None:
        mate = self.selected()
        if self.dialog is not None or mate is None or self.snapshot is None:
            return
        if not self.snapshot.manage[0]:
            return  # a double click by a Member: the table is read-only for them
        team = self._ws.team

        def submit(v: dict[str, object]) -> object:
            email = str(v["email"])
            return team.update(
                mate.email,
                name=str(v["name"]),
                new_email=None if email.casefold() == mate.email.casefold() else email,
                role=None if v["role"] == mate.role else v["role"],  # type: ignore[arg-type]
                groups=v["groups"],  # type: ignore[arg-type]
                integration=v["integration"],  # type: ignore[arg-type]
            )

        self._track(TeammateDialog(self.snapshot.groups, submit, mate, parent=self))

    def remove_teammate(self) -> None:
        mate = self.selected()
        if mate is None or self.dialog is not None or self._writer.busy:
            return
        box = destructive_confirm(
            self,
            "Remove teammate",
            f"Remove {mate.name}?",
            f"{mate.name}'s sequences and settings are removed from the team. "
            "Their contacts stay in Contacts, and anything already synced stays in Clockwork.",
            "Remove teammate",
            lambda: self._remove(mate),
        )
        self._track(box)

    def _remove(self, mate: Teammate) -> None:
        self.remove_button.setEnabled(False)
        self.error_label.hide()
        team = self._ws.team
        self._writer.submit(lambda: team.remove(mate.email), self._changed, self._failed)

    def clone(self) -> None:
        if self.dialog is None and self.snapshot is not None and self.snapshot.clone[0]:
            self._track(CloneDialog(self._ws, self.snapshot.groups, parent=self))

    def _changed(self, _result: object) -> None:
        self.reload()

    def _failed(self, exc: Exception) -> None:
        if not isinstance(exc, EscapementError):
            raise exc
        self.error_label.setText(exc.message)
        self.error_label.show()
        self.reload()

    def _track(self, dialog: QDialog) -> None:
        self.error_label.hide()
        self._dialogs.open(dialog)

    @property
    def dialog(self) -> QDialog | None:
        """The open dialog or confirmation, if any."""
        return self._dialogs.dialog


def _enable(widget: QPushButton, enabled: bool, reason: str) -> None:
    widget.setEnabled(enabled)
    widget.setToolTip("" if enabled else reason)


def _cells(mate: Teammate) -> tuple[str, ...]:
    on_clockwork = mate.integration == IntegrationKind.CLOCKWORK
    sync = SYNC_MODE_SHORT[mate.settings.sync_mode] if on_clockwork else NOT_APPLICABLE
    dedup = ("On" if mate.settings.dedup else "Off") if on_clockwork else NOT_APPLICABLE
    return (
        mate.name,
        mate.email,
        ROLE_TEXT[mate.role],
        ", ".join(mate.groups) or NOT_APPLICABLE,
        INTEGRATION_TEXT[mate.integration],
        sync,
        dedup,
    )
