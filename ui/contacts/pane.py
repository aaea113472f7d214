"""Contacts: every contact, narrowed by sequence, a search and a Clockwork state; resync,
retry and resolve them, and read the sync log."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain import ContactFilter, ContactSyncState
from app.sync.resync import ResyncScope
from app.workspace import Workspace
from ui.contacts.import_dialog import open_import_dialog
from ui.contacts.menu import ContactsMenu
from ui.contacts.model import ContactsTableModel
from ui.contacts.view import ContactsTableView
from ui.resync.controller import SyncActions
from ui.runtime.bridge import EventBridge
from ui.runtime.task_runner import TaskRunner
from ui.widgets.accessible import described
from ui.widgets.basic import button, label
from ui.widgets.wording import count

SEARCH_DELAY_MS = 250


class ContactsPane(QWidget):
    def __init__(
        self,
        workspace: Workspace,
        bridge: EventBridge,
        actions: SyncActions | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._ws = workspace
        self._runner = TaskRunner(self)
        self.sync_actions = actions or SyncActions(workspace, bridge, None, self)
        self.model = ContactsTableModel(workspace, parent=self)
        self.table = ContactsTableView(self.model)
        self.menu = ContactsMenu(self.table, workspace, self.sync_actions)
        # Typing "maria" runs one count query when the typing pauses, not five.
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_filter)
        self._build()
        self.model.totalChanged.connect(self._show_total)
        bridge.contactsChanged.connect(self.model.refresh)
        bridge.sequencesChanged.connect(self.reload_sequences)
        self.reload_sequences()

    def _build(self) -> None:
        self.sequence_combo = QComboBox()
        described(self.sequence_combo, "Sequence", "Show the contacts of one sequence")
        self.sequence_combo.setMinimumWidth(200)
        self.sequence_combo.currentIndexChanged.connect(self._apply_filter)
        self.search_edit = QLineEdit(
            placeholderText="Search name, email, company or title", clearButtonEnabled=True
        )
        described(self.search_edit, "Search contacts")
        self.search_edit.setMinimumWidth(280)
        self.search_edit.textChanged.connect(lambda _t: self._search_timer.start())
        self.state_combo = QComboBox()
        described(self.state_combo, "Sync state", "Show contacts in one sync state")
        self.state_combo.setMinimumWidth(170)
        self.state_combo.addItem("All states", None)
        for state in ContactSyncState:
            self.state_combo.addItem(state.label, state.value)
        self.state_combo.currentIndexChanged.connect(self._apply_filter)
        self.count_label = label("", "countLabel")
        self.import_button = button("Import CSV…", "primaryButton")
        self.import_button.clicked.connect(self.import_csv)
        self.resync_button = button("Resync to Clockwork…", on_click=self.resync)
        self.resync_button.setToolTip(
            "Send contacts that have not synced yet: the selected ones, or else all shown."
        )
        self.log_button = button("Sync log", on_click=lambda: self.sync_actions.show_log())
        # An empty table says nothing; the message in its place says why it is empty.
        self.empty_label = label("", "emptyState", wrap=True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = QStackedWidget()
        self.body.addWidget(self.table)
        self.body.addWidget(self.empty_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(14)
        layout.addLayout(self._header())
        layout.addLayout(self._toolbar())
        layout.addWidget(self.body, 1)

    def _header(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(label("Contacts", "paneTitle"))
        row.addStretch(1)
        row.addWidget(self.log_button)
        row.addWidget(self.resync_button)
        row.addWidget(self.import_button)
        return row

    def _toolbar(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(10)
        row.addWidget(self.sequence_combo)
        row.addWidget(self.search_edit, 1)
        row.addWidget(self.state_combo)
        row.addSpacing(12)
        row.addWidget(self.count_label)
        return row

    def reload_sequences(self) -> None:
        """Refill the sequence selector, keeping the current choice if it still exists."""
        keep = self.sequence_combo.currentData()
        self.sequence_combo.blockSignals(True)
        self.sequence_combo.clear()
        self.sequence_combo.addItem("All contacts", None)
        for info in self._ws.sequences():
            self.sequence_combo.addItem(info.name, info.id)
        index = self.sequence_combo.findData(keep) if keep is not None else 0
        self.sequence_combo.setCurrentIndex(max(index, 0))
        self.sequence_combo.blockSignals(False)
        self._apply_filter()

    def current_filter(self) -> ContactFilter:
        state = self.state_combo.currentData()
        return ContactFilter(
            sequence_id=self.sequence_combo.currentData(),
            search=self.search_edit.text().strip(),
            states=frozenset({ContactSyncState(state)}) if state else frozenset(),
        )

    def current_sequence_id(self) -> int | None:
        data = self.sequence_combo.currentData()
        return None if data is None else int(data)

    def _apply_filter(self) -> None:
        self._search_timer.stop()
        self.model.set_filter(self.current_filter())

    def _show_total(self, total: int) -> None:
        self.count_label.setText(count(total, "contact"))
        self.empty_label.setText(_empty_text(self.model.contact_filter))
        self.body.setCurrentWidget(self.table if total else self.empty_label)

    def import_csv(self) -> None:
        open_import_dialog(self._ws, self, self.current_sequence_id())

    def resync(self) -> None:
        """Resync the selection; without one, what the filters show (all of a sequence)."""
        if self.menu.selected_ranges():
            self.menu.resync()
            return
        flt = self.model.shown_filter
        if flt.search or flt.states:
            if self._runner.busy:
                return  # still reading the filter's contacts for the first click
            total = self.model.total

            def ids() -> tuple[int, ...]:
                return tuple(row.id for row in self._ws.contacts_page(flt, 0, total))

            def go(found: tuple[int, ...]) -> None:
                what = f"{count(len(found), 'contact')} matching the filters"
                self.sync_actions.resync(ResyncScope(contact_ids=found), what)

            self._runner.submit(ids, go)
        elif flt.sequence_id is not None:
            what = f"the sequence “{self.sequence_combo.currentText()}”"
            self.sync_actions.resync(ResyncScope(sequence_id=flt.sequence_id), what)
        else:
            self.sync_actions.resync(ResyncScope(everything=True), "all contacts")


def _empty_text(flt: ContactFilter) -> str:
    if flt.search or flt.states:
        return "No contacts match these filters."
    if flt.sequence_id is not None:
        return "This sequence has no contacts yet.\nImport a CSV file to add some."
    return "No contacts yet.\nImport a CSV file to add contacts to a sequence."
