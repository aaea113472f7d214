"""Right-click actions on the selected contacts, and double-click to open a synced person.

The menu is built from the rows already loaded (to enable what applies); an action on a
selection that reaches rows not loaded yet reads those rows on the thread pool first, so it
acts on exactly what was selected.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QObject, QPoint, Qt
from PySide6.QtWidgets import QMenu

from app.api import ContactRow, ContactSyncState, ResyncScope
from app.workspace import Workspace
from ui.contacts.cells import FLAGGED, STATE, is_linked
from ui.contacts.optout_details import OptOutDetails
from ui.contacts.view import ContactsTableView
from ui.resync.controller import SyncActions
from ui.runtime.task_runner import TaskRunner
from ui.widgets.basic import DialogSlot
from ui.widgets.wording import count

Rows = list[ContactRow]
RESYNCABLE = (ContactSyncState.NOT_SYNCED, ContactSyncState.ERROR)


class ContactsMenu(QObject):
    def __init__(self, view: ContactsTableView, workspace: Workspace, actions: SyncActions):
        super().__init__(view)
        self._view, self._ws, self._actions = view, workspace, actions
        self._runner = TaskRunner(self)
        self.menu: QMenu | None = None
        self._details = DialogSlot()
        self.remove: Callable[[], None] | None = None  # "Remove from sequence…", if offered
        self.add_to: Callable[[], None] | None = None  # "Add to sequence…", if offered
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._requested)
        view.doubleClicked.connect(self._double_clicked)

    # --- the selection --------------------------------------------------------------------

    def selected_ranges(self) -> list[tuple[int, int]]:
        """(first row, row count) of each selected block, top to bottom."""
        selection = self._view.selectionModel().selection()
        ranges = (selection.at(i) for i in range(selection.count()))
        return sorted({(r.top(), r.bottom() - r.top() + 1) for r in ranges})

    def loaded_rows(self) -> tuple[Rows, bool]:
        """The selected rows already loaded, and whether that is all of them."""
        model = self._view.contacts_model()
        rows: Rows = []
        complete = True
        for first, n in self.selected_ranges():
            for r in range(first, first + n):
                row = model.row_at(model.index(r, 0))
                if row is None:
                    complete = False
                else:
                    rows.append(row)
        return rows, complete

    def with_selection(self, use: Callable[[Rows], None]) -> None:
        """Call `use` with every selected row, reading unloaded ones off the GUI thread."""
        rows, complete = self.loaded_rows()
        if complete:
            use(rows)
            return
        flt, spans = self._view.contacts_model().shown_filter, self.selected_ranges()

        def read() -> Rows:
            return [row for first, n in spans for row in self._ws.contacts_page(flt, first, n)]

        self._runner.submit(read, use)

    # --- the menu -------------------------------------------------------------------------

    def _requested(self, pos: QPoint) -> None:
        index = self._view.indexAt(pos)
        if not index.isValid():
            return
        if not self._view.selectionModel().isRowSelected(index.row(), QModelIndex()):
            self._view.selectRow(index.row())
        self.menu = self.build(index.row())
        self.menu.popup(self._view.viewport().mapToGlobal(pos))

    def build(self, clicked_row: int) -> QMenu:
        """The menu for the current selection; `clicked_row` is the row under the pointer."""
        model = self._view.contacts_model()
        clicked = model.row_at(model.index(clicked_row, 0))
        rows, complete = self.loaded_rows()
        states = {row.state for row in rows}
        unknown = not complete
        menu = QMenu(self._view)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def add(text: str, enabled: bool, slot: Callable[[], object]) -> None:
            action = menu.addAction(text)
            action.setEnabled(enabled)
            action.triggered.connect(slot)

        add("Resync to Clockwork", unknown or bool(states & set(RESYNCABLE)), self.resync)
        add("Retry", unknown or ContactSyncState.ERROR in states, self.retry)
        add(
            "Open in Clockwork",
            clicked is not None and is_linked(clicked),
            lambda: clicked is not None and self._actions.open_in_clockwork(clicked),
        )
        menu.addSeparator()
        flagged = unknown or bool(states & set(FLAGGED))
        # Only a LinkedIn match may be a different person: the same email never gets a second
        # record (the article's rule), so "Exists in Clockwork" can only be linked.
        maybe = unknown or ContactSyncState.POSSIBLE_DUPLICATE in states
        add("Link to existing Clockwork person", flagged, lambda: self.resolve(True))
        add("Create a second record anyway", maybe, lambda: self.resolve(False))
        menu.addSeparator()
        add("Show sync log", True, lambda: self.show_log(clicked))
        opted = model.is_suppressed_at(model.index(clicked_row, 0))
        add(
            "Opt-out details…", opted, lambda: clicked is not None and self.opt_out_details(clicked)
        )
        if self.add_to is not None or self.remove is not None:
            menu.addSeparator()
        if self.add_to is not None:
            add("Add to sequence…", True, self.add_to)
        if self.remove is not None:
            in_sequence = model.shown_filter.sequence_id is not None
            add("Remove from sequence…", in_sequence, self.remove)
        return menu

    # --- the actions ----------------------------------------------------------------------

    def resync(self) -> None:
        def go(rows: Rows) -> None:
            ids = tuple(row.id for row in rows)
            what = rows[0].email if len(rows) == 1 else f"{count(len(rows), 'selected contact')}"
            if ids:
                self._actions.resync(ResyncScope(contact_ids=ids), what)

        self.with_selection(go)

    def retry(self) -> None:
        def go(rows: Rows) -> None:
            ids = [row.id for row in rows if row.state is ContactSyncState.ERROR]
            if ids:
                self._actions.retry(ids)

        self.with_selection(go)

    def resolve(self, link_existing: bool) -> None:
        def go(rows: Rows) -> None:
            wanted = FLAGGED if link_existing else (ContactSyncState.POSSIBLE_DUPLICATE,)
            ids = [row.id for row in rows if row.state in wanted]
            if ids:
                self._actions.resolve(ids, link_existing=link_existing)

        self.with_selection(go)

    def show_log(self, row: ContactRow | None) -> None:
        rows, _ = self.loaded_rows()
        single = row if row is not None and len(rows) <= 1 else None
        if single is None:
            self._actions.show_log()
        else:
            self._actions.show_log(single.id, single.email)

    def opt_out_details(self, row: ContactRow) -> OptOutDetails:
        dialog = OptOutDetails(self._ws, row.email, self._view)
        dialog.undone.connect(lambda _email: self._view.contacts_model().refresh())
        self._details.open(dialog)
        return dialog

    def _double_clicked(self, index: QModelIndex) -> None:
        row = self._view.contacts_model().row_at(index)
        if index.column() == STATE and row is not None and is_linked(row):
            self._actions.open_in_clockwork(row)
