"""The right-hand side of the Sequences pane: one sequence's heading and its tabs.

The Steps and Syncing tabs are built the first time they are shown (ui/runtime/lazy_pane.py):
the pane opens on the Contacts tab, and building them with the window (about 0.1 s, most of
it the style sheet matched against their widgets) delayed its first paint. Built late, a tab
is shown the sequence chosen by then, as it would have been all along.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.api import SequenceInfo
from ui.contacts.view import ContactsTableView
from ui.runtime.lazy_pane import LazyPane
from ui.widgets.basic import button, label
from ui.widgets.elided_label import ElidedLabel
from ui.widgets.wording import count

#: In place of an empty table: how people get into a sequence.
NO_CONTACTS = (
    "No one is in this sequence yet.\nImport a CSV file, or choose people in the Contacts pane"
    " and add them with “Add to sequence…” in the right-click menu."
)

if TYPE_CHECKING:
    from ui.sequences.clockwork_tab import SyncingTab
    from ui.sequences.steps.tab import StepsTab


class SequenceDetails(QWidget):
    """Heading, summary and a tab per topic: the sequence's Contacts, Steps and Syncing."""

    def __init__(
        self,
        table: ContactsTableView,
        syncing: Callable[[], SyncingTab],
        steps: Callable[[], StepsTab],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.table = table
        self._info: SequenceInfo | None = None  # the sequence shown, for a tab built later
        self._steps = LazyPane(lambda: self._showing(steps()))
        self._syncing = LazyPane(lambda: self._showing(syncing()))
        self.title = ElidedLabel("", "paneTitle")  # a name of up to 200 characters
        self.summary = ElidedLabel("", "subtle")
        self.import_button = button("Import CSV…", "primaryButton")
        self.tabs = QTabWidget(documentMode=True)
        self.tabs.addTab(self._contacts_tab(), "Contacts")
        self.tabs.addTab(self._steps, "Steps")
        self.tabs.addTab(_padded(self._syncing), "Syncing")
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
        empty = label(NO_CONTACTS, "emptyState", wrap=True)
        empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.contacts_body = body = QStackedWidget()
        body.addWidget(self.table)
        body.addWidget(empty)
        self.table.contacts_model().totalChanged.connect(
            lambda total: body.setCurrentIndex(0 if total else 1)
        )
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.addWidget(body)
        return tab

    @property
    def steps(self) -> StepsTab:
        """The Steps tab, built now if it was not yet."""
        return self._steps.pane

    @property
    def syncing(self) -> SyncingTab:
        """The Syncing tab, built now if it was not yet."""
        return self._syncing.pane

    def unsaved_steps(self) -> int:
        """Step drafts not saved yet; none when the Steps tab was never opened."""
        return self._steps.pane.drafts.count() if self._steps.built else 0

    def _showing[T: (StepsTab, SyncingTab)](self, tab: T) -> T:
        if self._info is not None:
            tab.show_sequence(self._info)
        return tab

    def show_sequence(self, info: SequenceInfo) -> None:
        self._info = info
        self.title.setText(info.name)
        syncing = "on" if info.sync_to_clockwork else "off"
        self.summary.setText(
            f"{count(info.contact_count, 'contact')}  ·  Sync to Clockwork is {syncing}"
        )
        if self._syncing.built:
            self.syncing.show_sequence(info)
        if self._steps.built:
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
