"""Sequences: the list on the left (name, contact count), the chosen sequence on the right.

The right side is a QTabWidget: the sequence's Contacts, its Steps (the emails, with a
preview) and its Syncing (sync toggle, project). Errors a user can act on show inline; none
of them reach the excepthook.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QSplitter,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.api import ContactFilter, EscapementError, SequenceInfo
from app.workspace import Workspace
from ui.contacts.menu import ContactsMenu
from ui.contacts.model import EMAIL, ContactsTableModel
from ui.contacts.view import ContactsTableView
from ui.resync.controller import SyncActions
from ui.runtime.bridge import EventBridge
from ui.runtime.task_runner import TaskRunner
from ui.sequences.details import SequenceDetails
from ui.widgets.accessible import described
from ui.widgets.basic import DialogSlot, button, destructive_confirm, label, named
from ui.widgets.name_dialog import NameDialog
from ui.widgets.wording import count

if TYPE_CHECKING:
    from ui.sequences.clockwork_tab import SyncingTab
    from ui.sequences.steps.tab import StepsTab

ID_ROLE = Qt.ItemDataRole.UserRole
LIST_WIDTH = 300
COUNT_COLOR = "#667085"


class SequencesPane(QWidget):
    undoable = Signal(str)  # a destructive action happened; the window offers Undo

    def __init__(
        self,
        workspace: Workspace,
        bridge: EventBridge,
        actions: SyncActions | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._ws = workspace
        self.sync_actions = actions or SyncActions(workspace, bridge, self)
        self._runner = TaskRunner(self)
        self._reads = self._shown = 0
        self._sequences: dict[int, SequenceInfo] = {}
        self._dialogs = DialogSlot()  # the open name/confirm dialog, if any
        # No sequence has id -1: the table stays empty until one is chosen.
        self.contacts_model = ContactsTableModel(workspace, ContactFilter(sequence_id=-1), self)
        # Beside the list there is no room for five columns; the email shows as a tooltip.
        self.table = table = ContactsTableView(self.contacts_model, hidden=(EMAIL,))
        self.menu = ContactsMenu(table, workspace, self.sync_actions)
        self.details = SequenceDetails(
            table,
            partial(_syncing_tab, workspace, self.sync_actions),
            partial(_steps_tab, workspace, bridge),
        )
        self.details.import_button.clicked.connect(self.import_csv)
        self._build()
        bridge.sequencesChanged.connect(self.reload)
        # The Syncing tab names the default project and lists the projects.
        bridge.settingsChanged.connect(self._show_current)
        bridge.contactsChanged.connect(self.contacts_model.refresh)
        self.reload()

    def _build(self) -> None:
        self.list = described(named(QTreeWidget(), "sequenceList"), "Sequences")
        self.list.setRootIsDecorated(False)
        self.list.setHeaderHidden(True)
        self.list.setColumnCount(2)
        self.list.setUniformRowHeights(True)
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.list.currentItemChanged.connect(lambda *_: self._show_current())
        self.new_button = button("New…", on_click=self.new_sequence)
        self.rename_button = button("Rename…", on_click=self.rename_sequence)
        self.delete_button = button("Delete…", "dangerButton")
        self.delete_button.clicked.connect(self.delete_sequence)
        self.error_label = label("", "errorLabel", wrap=True)
        self.error_label.hide()
        self.right = QStackedWidget()
        self.right.addWidget(_empty_state())
        self.right.addWidget(self.details)
        self.splitter = QSplitter(childrenCollapsible=False, handleWidth=1)
        self.splitter.addWidget(self._left_column())
        self.splitter.addWidget(self.right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([LIST_WIDTH, 10_000])
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

    def _left_column(self) -> QWidget:
        column = named(QWidget(), "listColumn")
        # Its minimum width is what the three buttons need (see below).
        buttons = QHBoxLayout()
        for each in (self.new_button, self.rename_button, self.delete_button):
            # The style sheet's padding is not in a button's minimum size: without this the
            # splitter could squeeze the labels to "ename" and "elete".
            each.setMinimumWidth(each.sizeHint().width())
            buttons.addWidget(each)
        layout = QVBoxLayout(column)
        layout.setContentsMargins(20, 20, 16, 20)
        layout.addWidget(label("Sequences", "paneTitle"))
        layout.addWidget(self.list, 1)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)
        return column

    # --- reading ---------------------------------------------------------------------------
    @property
    def dialog(self) -> QDialog | None:
        """The open dialog or confirmation, if any."""
        return self._dialogs.dialog

    # --- what tests and the main window may use ---------------------------------------------

    @property
    def tab_names(self) -> list[str]:
        tabs = self.details.tabs
        return [tabs.tabText(i) for i in range(tabs.count())]

    @property
    def title_text(self) -> str:
        return self.details.title.text()

    @property
    def summary_text(self) -> str:
        return self.details.summary.text()

    def select_sequence(self, sequence_id: int) -> bool:
        """Choose the sequence in the list; False when it is not listed (yet)."""
        for i in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(i)
            if item is not None and item.data(0, ID_ROLE) == sequence_id:
                self.list.setCurrentItem(item)
                return True
        return False

    def open_steps(self) -> StepsTab:
        """Bring the Steps tab of the chosen sequence to the front."""
        self._bring_forward(self.details.steps)
        return self.details.steps

    def open_syncing(self) -> SyncingTab:
        """Bring the Syncing tab of the chosen sequence to the front."""
        self._bring_forward(self.details.syncing)
        return self.details.syncing

    def _bring_forward(self, tab: QWidget) -> None:
        tabs = self.details.tabs
        for i in range(tabs.count()):
            page = tabs.widget(i)
            if page is not None and (page is tab or page.isAncestorOf(tab)):  # may be padded
                tabs.setCurrentIndex(i)

    def current_sequence_id(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(0, ID_ROLE))

    def reload(self, select_id: int | None = None) -> None:
        """Read the sequences off the GUI thread, then rebuild the list, keeping (or moving
        to) the chosen sequence. The newest read wins."""
        keep = select_id if select_id is not None else self.current_sequence_id()
        self._reads += 1
        token = self._reads
        self._runner.submit(self._ws.sequences, lambda found: self._show_list(token, keep, found))

    @property
    def loaded(self) -> bool:
        """The list shows the newest read of the sequences."""
        return self._shown == self._reads

    def _show_list(self, token: int, keep: int | None, found: list[SequenceInfo]) -> None:
        if token != self._reads:
            return
        self._shown = token
        self._sequences = {info.id: info for info in found}
        self.list.blockSignals(True)
        self.list.clear()
        for info in self._sequences.values():
            item = QTreeWidgetItem([info.name, f"{info.contact_count:,}"])
            item.setData(0, ID_ROLE, info.id)
            item.setToolTip(0, info.name)  # long names are elided in the list
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setForeground(1, QBrush(QColor(COUNT_COLOR)))
            item.setToolTip(1, count(info.contact_count, "contact"))
            self.list.addTopLevelItem(item)
            if info.id == keep:
                self.list.setCurrentItem(item)
        first = self.list.topLevelItem(0)
        if self.list.currentItem() is None and first is not None:
            self.list.setCurrentItem(first)
        self.list.blockSignals(False)
        self._show_current()

    def _show_current(self) -> None:
        info = self._sequences.get(self.current_sequence_id() or -1)
        self.rename_button.setEnabled(info is not None)
        self.delete_button.setEnabled(info is not None and not self._runner.busy)
        self.right.setCurrentIndex(0 if info is None else 1)
        if info is not None:
            self.details.show_sequence(info)
            self.contacts_model.set_filter(ContactFilter(sequence_id=info.id))

    # --- changing --------------------------------------------------------------------------

    def new_sequence(self) -> None:
        self._ask_name("New sequence", "Name of the new sequence:", "", self._ws.create_sequence)

    def rename_sequence(self) -> None:
        info = self._sequences.get(self.current_sequence_id() or -1)
        if info is not None:
            self._ask_name(
                "Rename sequence",
                "New name:",
                info.name,
                partial(self._ws.rename_sequence, info.id),
            )

    def _ask_name(
        self, title: str, prompt: str, initial: str, submit: Callable[[str], object]
    ) -> None:
        if self.dialog is not None:
            return  # already asking; a second click must not open a second dialog
        ok_text = "Rename" if initial else "Create"
        dialog = NameDialog(title, prompt, submit, initial=initial, ok_text=ok_text, parent=self)
        # create_sequence returns the new SequenceInfo: select it; a rename keeps the selection.
        dialog.accepted.connect(
            lambda: self.reload(dialog.value.id if isinstance(dialog.value, SequenceInfo) else None)
        )
        self._dialogs.open(dialog)

    def delete_sequence(self) -> None:
        info = self._sequences.get(self.current_sequence_id() or -1)
        if info is None or self.dialog is not None or self._runner.busy:
            return
        box = destructive_confirm(
            self,
            "Delete sequence",
            f'Delete "{info.name}"?',
            _delete_consequence(info),
            "Delete sequence",
            lambda: self._confirmed(info),
        )
        self._dialogs.open(box)

    def _confirmed(self, info: SequenceInfo) -> None:
        self.delete_button.setEnabled(False)
        self.error_label.hide()
        self._runner.submit(
            lambda: self._ws.delete_sequence(info.id), self._deleted, self._delete_failed
        )

    def _deleted(self, _result: object) -> None:
        self.reload()
        self.undoable.emit("Sequence deleted.")

    def _delete_failed(self, exc: Exception) -> None:
        if not isinstance(exc, EscapementError):
            raise exc
        self.error_label.setText(exc.message)
        self.error_label.show()
        self.reload()

    def import_csv(self) -> None:
        from ui.contacts.import_dialog import open_import_dialog  # start-up: on first use

        open_import_dialog(self._ws, self, self.current_sequence_id())


def _delete_consequence(info: SequenceInfo) -> str:
    n = info.contact_count
    if n == 0:
        return "The sequence has no contacts."
    them, they = ("it", "it stays") if n == 1 else ("them", "they stay")
    return (
        f"It has {count(n, 'contact')}. Deleting the sequence does not delete {them}: "
        f"{they} in Contacts, and anything already synced stays in Clockwork."
    )


# The tabs' modules are imported when a tab is first opened: start-up does not need them.


def _syncing_tab(workspace: Workspace, actions: SyncActions) -> SyncingTab:
    from ui.sequences.clockwork_tab import SyncingTab

    return SyncingTab(workspace, actions)


def _steps_tab(workspace: Workspace, bridge: EventBridge) -> StepsTab:
    from ui.sequences.steps.tab import StepsTab

    return StepsTab(workspace, bridge)


def _empty_state() -> QWidget:
    empty = label(
        "No sequences yet.\nCreate one with New…, then import contacts into it.", "emptyState"
    )
    empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return empty
