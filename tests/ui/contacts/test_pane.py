"""The Contacts pane: sequence, search and state filters over the paged table."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.domain import ContactSyncState
from app.workspace import Workspace
from tests.ui.conftest import calls, people, two_sequences
from ui.contacts.model import EMAIL
from ui.contacts.pane import ContactsPane
from ui.main_window import MainWindow


@pytest.fixture
def pane(window: MainWindow, workspace: Workspace, qtbot: QtBot) -> ContactsPane:
    two_sequences(workspace, 12, 5)
    window.show_pane("Contacts")
    pane = window.contacts_pane
    qtbot.waitUntil(lambda: pane.count_label.text() == "17 contacts")
    return pane


def emails(pane: ContactsPane) -> list[str]:
    model = pane.model
    return [
        model.data(model.index(r, EMAIL), Qt.ItemDataRole.DisplayRole)
        for r in range(model.rowCount())
    ]


def test_table_is_set_up_for_many_rows(pane: ContactsPane) -> None:
    table = pane.table
    assert table.alternatingRowColors()
    assert not table.isSortingEnabled()
    assert table.horizontalHeader().stretchLastSection()
    assert table.selectionBehavior() == table.SelectionBehavior.SelectRows
    assert table.selectionMode() == table.SelectionMode.ExtendedSelection
    assert table.verticalHeader().sectionResizeMode(0) == table.verticalHeader().ResizeMode.Fixed


def test_sequence_selector_lists_all_and_each_sequence(pane: ContactsPane, qtbot: QtBot) -> None:
    combo = pane.sequence_combo
    items = [combo.itemText(i) for i in range(combo.count())]
    assert items == ["All contacts", "Engineering leaders", "Finance leaders"]
    combo.setCurrentIndex(1)
    qtbot.waitUntil(lambda: pane.count_label.text() == "5 contacts")


def test_search_waits_for_typing_to_pause(
    pane: ContactsPane, workspace: Workspace, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    counts = calls(workspace, "contact_count", monkeypatch)
    qtbot.keyClicks(pane.search_edit, "globex")
    assert counts == []  # six keystrokes, no query yet
    qtbot.waitUntil(lambda: pane.count_label.text() == "5 contacts")
    assert len(counts) == 1
    qtbot.waitUntil(lambda: all(e and e.endswith("@globex.com") for e in emails(pane)))


def test_state_filter(pane: ContactsPane, qtbot: QtBot) -> None:
    combo = pane.state_combo
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert labels == ["All states", *(s.label for s in ContactSyncState)]
    combo.setCurrentIndex(labels.index("Synced"))
    qtbot.waitUntil(lambda: pane.count_label.text() == "0 contacts")
    combo.setCurrentIndex(labels.index("Not synced"))
    qtbot.waitUntil(lambda: pane.count_label.text() == "17 contacts")


def test_follows_changes_made_elsewhere(
    pane: ContactsPane, workspace: Workspace, qtbot: QtBot
) -> None:
    added = workspace.create_sequence("Board")
    qtbot.waitUntil(lambda: pane.sequence_combo.findText("Board") > 0)
    workspace.add_contacts(added.id, people(3, domain="board.org"))
    qtbot.waitUntil(lambda: pane.count_label.text() == "20 contacts")
    pane.sequence_combo.setCurrentIndex(pane.sequence_combo.findText("Board"))
    qtbot.waitUntil(lambda: pane.count_label.text() == "3 contacts")
    workspace.delete_sequence(added.id)
    qtbot.waitUntil(lambda: pane.sequence_combo.currentText() == "All contacts")
    qtbot.waitUntil(lambda: pane.count_label.text() == "20 contacts")


def test_an_empty_table_says_why(pane: ContactsPane, qtbot: QtBot) -> None:
    assert pane.body.currentWidget() is pane.table
    qtbot.keyClicks(pane.search_edit, "nobody-has-this")
    qtbot.waitUntil(lambda: pane.body.currentWidget() is pane.empty_label)
    assert pane.empty_label.text() == "No contacts match these filters."
    assert pane.count_label.text() == "0 contacts"
