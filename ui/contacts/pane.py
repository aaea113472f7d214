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

from app.api import ContactFilter, ContactSyncState, ResyncScope, SequenceInfo
from app.workspace import MAX_SEARCH, Workspace
from ui.contacts.candidate_filter import CandidateStatusFilter
from ui.contacts.menu import ContactsMenu
from ui.contacts.model import ContactsTableModel
from ui.contacts.suppression_list import SuppressionListDialog
from ui.contacts.view import ContactsTableView
from ui.resync.controller import SyncActions
from ui.runtime.bridge import EventBridge
from ui.runtime.task_runner import TaskRunner
from ui.widgets.accessible import described
from ui.widgets.basic import DialogSlot, button, field, label
from ui.widgets.elided_combo import ElidedComboBox
from ui.widgets.elided_label import ElidedLabel
from ui.widgets.wording import count

SEARCH_DELAY_MS = 250
#: Shorter searches cannot use the trigram index: they scan, so the count takes a moment.
SHORT_SEARCH = 3


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
        self._sequence_reads = self._sequences_shown = 0
        self.sync_actions = actions or SyncActions(workspace, bridge, self)
        self.model = ContactsTableModel(workspace, parent=self)
        self.table = ContactsTableView(self.model, columns_key="contacts/columns")
        self.menu = ContactsMenu(self.table, workspace, self.sync_actions)
        # Typing "maria" runs one count query when the typing pauses, not five.
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_filter)
        self._build()
        self.model.totalChanged.connect(self._show_total)
        self.model.problem.connect(self._show_problem)
        self.candidate_filter.changed.connect(self._apply_filter)
        self.candidate_filter.said.connect(self._show_said)
        self.candidate_filter.refreshed.connect(self.model.refresh)
        self._dialogs = DialogSlot()
        bridge.contactsChanged.connect(self.model.refresh)
        bridge.sequencesChanged.connect(self.reload_sequences)
        self.reload_sequences()

    def _build(self) -> None:
        self.sequence_combo = ElidedComboBox()
        described(self.sequence_combo, "Sequence", "Show the contacts of one sequence")
        self.sequence_combo.setMinimumWidth(200)
        self.sequence_combo.currentIndexChanged.connect(self._apply_filter)
        self.search_edit = QLineEdit(
            placeholderText="Search name, email, company or title", clearButtonEnabled=True
        )
        described(self.search_edit, "Search contacts")
        self.search_edit.setMinimumWidth(280)
        self.search_edit.setMaxLength(MAX_SEARCH)
        self.search_error = label("", "errorLabel", wrap=True)
        self.search_error.hide()
        self.search_edit.textChanged.connect(lambda _t: self._search_timer.start())
        self.state_combo = QComboBox()
        described(self.state_combo, "Sync state", "Show contacts in one sync state")
        self.state_combo.setMinimumWidth(170)
        self.state_combo.addItem("All states", None)
        for state in ContactSyncState:
            self.state_combo.addItem(state.label, state.value)
        self.state_combo.currentIndexChanged.connect(self._apply_filter)
        self.candidate_filter = CandidateStatusFilter(self._ws, self)
        # Texts that change as the user works shorten or wrap rather than widen the window.
        # Room for a million, so only "at least …" in a narrow window is ever shortened.
        self.count_label = ElidedLabel("", "countLabel", room_for=count(1_000_000, "contact"))
        self.status_note = label("", "subtle", wrap=True)
        self.status_note.hide()  # until it has something to say
        self.optouts_button = button("Opt-out list…", on_click=self.open_suppression_list)
        self.retry_button = button("Retry all errors", on_click=self.retry_all_errors)
        self.retry_button.setToolTip("Send every contact whose sync failed again.")
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
        layout.addLayout(self._results_line())
        layout.addWidget(self.body, 1)

    def _header(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(label("Contacts", "paneTitle"))
        row.addStretch(1)
        row.addWidget(self.optouts_button)
        row.addWidget(self.log_button)
        row.addWidget(self.retry_button)
        row.addWidget(self.candidate_filter.refresh_button)
        row.addWidget(self.resync_button)
        row.addWidget(self.import_button)
        return row

    def _toolbar(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(10)
        row.addWidget(self.sequence_combo, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(field(self.search_edit, "", self.search_error), 1)
        row.addWidget(self.state_combo, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.candidate_filter.combo, 0, Qt.AlignmentFlag.AlignTop)
        return row

    def _results_line(self) -> QHBoxLayout:
        """Under the filters, what they found, and what the last action said."""
        row = QHBoxLayout()
        row.setSpacing(16)
        row.addWidget(self.count_label, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.status_note, 1, Qt.AlignmentFlag.AlignTop)
        return row

    def reload_sequences(self) -> None:
        """Read the sequences off the GUI thread, then refill the selector."""
        self._sequence_reads += 1
        token = self._sequence_reads
        self._runner.submit(self._ws.sequences, lambda found: self._show_sequences(token, found))

    @property
    def sequences_loaded(self) -> bool:
        """The selector lists the newest read of the sequences."""
        return self._sequences_shown == self._sequence_reads

    def _show_sequences(self, token: int, found: list[SequenceInfo]) -> None:
        """Refill the sequence selector, keeping the current choice if it still exists."""
        if token != self._sequence_reads:
            return
        self._sequences_shown = token
        keep = self.sequence_combo.currentData()
        self.sequence_combo.blockSignals(True)
        self.sequence_combo.clear()
        self.sequence_combo.addItem("All contacts", None)
        for info in found:
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
            candidate_statuses=self.candidate_filter.statuses(),
        )

    def current_sequence_id(self) -> int | None:
        data = self.sequence_combo.currentData()
        return None if data is None else int(data)

    def _apply_filter(self) -> None:
        self._search_timer.stop()
        flt = self.current_filter()
        if flt != self.model.contact_filter and 0 < len(flt.search) < SHORT_SEARCH:
            self.count_label.setText("Searching…")
        self.model.set_filter(flt)

    def _show_total(self, total: int) -> None:
        text = count(total, "contact")
        self.count_label.setText(text if self.model.exact else f"at least {text}")
        self.empty_label.setText(_empty_text(self.model.contact_filter))
        self.body.setCurrentWidget(self.table if total else self.empty_label)

    def _show_problem(self, message: str) -> None:
        self.search_error.setText(message)
        self.search_error.setVisible(bool(message))

    def _show_said(self, message: str) -> None:
        self.status_note.setText(message)
        self.status_note.setVisible(bool(message))

    def open_suppression_list(self) -> SuppressionListDialog:
        dialog = SuppressionListDialog(self._ws, self)
        self._dialogs.open(dialog)
        return dialog

    def retry_all_errors(self) -> None:
        """Retry every contact in Error, read a keyset page at a time off the GUI thread."""
        if self._runner.busy:
            return
        errors = ContactFilter(states=frozenset({ContactSyncState.ERROR}))

        def ids() -> list[int]:
            found: list[int] = []
            after: int | None = None
            while page := self._ws.contacts_after(errors, after, 1000):
                found += [row.id for row in page]
                after = page[-1].id
            return found

        def retry(found: list[int]) -> None:
            if found:
                self.sync_actions.retry(found)

        self._runner.submit(ids, retry)

    def import_csv(self) -> None:
        from ui.contacts.import_dialog import open_import_dialog  # start-up: on first use

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
