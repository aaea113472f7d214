"""The right-hand side of the Sequences pane: one sequence's heading and its tabs."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.api import SequenceInfo
from ui.contacts.view import ContactsTableView
from ui.sequences.clockwork_tab import SyncingTab
from ui.sequences.steps.tab import StepsTab
from ui.widgets.basic import button, label
from ui.widgets.wording import count


class SequenceDetails(QWidget):
    """Heading, summary and a tab per topic: the sequence's Contacts, Steps and Syncing."""

    def __init__(
        self,
        table: ContactsTableView,
        syncing: SyncingTab,
        steps: StepsTab,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.table = table
        self.syncing = syncing
        self.steps = steps
        self.title = label("", "paneTitle")
        self.summary = label("", "subtle")
        self.import_button = button("Import CSV…", "primaryButton")
        self.tabs = QTabWidget(documentMode=True)
        self.tabs.addTab(self._contacts_tab(), "Contacts")
        self.tabs.addTab(steps, "Steps")
        self.tabs.addTab(_padded(syncing), "Syncing")
        heading = QVBoxLayout()
        heading.setSpacing(2)
        heading.addWidget(self.title)
        heading.addWidget(self.summary)
        top = QHBoxLayout()
        top.addLayout(heading, 1)
        top.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(16)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)

    def _contacts_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.addWidget(self.table)
        return tab

    def show_sequence(self, info: SequenceInfo) -> None:
        self.title.setText(info.name)
        syncing = "on" if info.sync_to_clockwork else "off"
        self.summary.setText(
            f"{count(info.contact_count, 'contact')}  ·  Sync to Clockwork is {syncing}"
        )
        self.syncing.show_sequence(info)
        self.steps.show_sequence(info)


def _padded(tab: QWidget) -> QWidget:
    """The Syncing tab's controls keep to a readable width instead of the pane's."""
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    tab.setMaximumWidth(760)
    row.addWidget(tab, 1)
    row.addStretch(0)
    return holder
