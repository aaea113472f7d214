"""A new filter shows its rows from the first one; the same filter refreshed keeps the place.

Before, the table kept its scroll offset across a filter change, clamped to the new rows: a
recruiter who had scrolled down and then searched saw the matches from somewhere in their
middle (at a million, from about the thousandth, where the quick count first stops)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.workspace import Workspace
from tests.ui.conftest import people, two_sequences
from ui.contacts.view import ContactsTableView
from ui.main_window import MainWindow


def scrolled(table: ContactsTableView) -> int:
    return table.verticalScrollBar().value()


def test_a_search_after_scrolling_down_starts_at_its_first_match(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    two_sequences(workspace, 300, 300)
    window.show_pane("Contacts")
    pane = window.contacts_pane
    qtbot.waitUntil(lambda: pane.count_label.text() == "600 contacts")
    pane.table.scrollToBottom()
    assert scrolled(pane.table) > 0
    qtbot.keyClicks(pane.search_edit, "globex")
    qtbot.waitUntil(lambda: pane.count_label.text() == "300 contacts")
    assert scrolled(pane.table) == 0
    assert pane.table.rowAt(0) == 0


def test_another_sequence_starts_at_its_first_contact(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    one, two = two_sequences(workspace, 300, 200)
    pane = window.sequences_pane
    qtbot.waitUntil(lambda: pane.list.topLevelItemCount() == 2)
    pane.select_sequence(one)
    qtbot.waitUntil(lambda: pane.contacts_model.total == 300)
    pane.table.scrollToBottom()
    assert scrolled(pane.table) > 0
    pane.select_sequence(two)
    qtbot.waitUntil(lambda: pane.contacts_model.total == 200)
    assert scrolled(pane.table) == 0


def test_a_refresh_of_the_same_filter_keeps_the_place(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    seq = workspace.create_sequence("Finance leaders")
    workspace.add_contacts(seq.id, people(300))
    window.show_pane("Contacts")
    pane = window.contacts_pane
    qtbot.waitUntil(lambda: pane.count_label.text() == "300 contacts")
    pane.table.scrollToBottom()
    place = scrolled(pane.table)
    assert place > 0
    workspace.add_contacts(seq.id, people(5, domain="later.example"))  # a change elsewhere
    qtbot.waitUntil(lambda: pane.count_label.text() == "305 contacts")
    assert scrolled(pane.table) == place
