"""The contacts tables' "Add to sequence…": the dialog offers the other sequences (or a new
one), says what adding does in Clockwork, and Add puts the selection in; the status bar says
what happened."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel
from pytestqt.qtbot import QtBot

from app.domain import AddToSequenceReport, ContactFilter, SyncMode
from app.workspace import Workspace
from tests.conftest import connect_firm
from tests.ui.conftest import people
from ui.contacts.add_to_sequence import AddToSequenceDialog, said
from ui.contacts.sequence_picker import NEW_SEQUENCE
from ui.main_window import MainWindow


@pytest.fixture
def two_sequences(window: MainWindow, workspace: Workspace, qtbot: QtBot) -> tuple[int, int]:
    first = workspace.create_sequence("CFO search")
    second = workspace.create_sequence("Board search")
    workspace.add_contacts(first.id, people(4))
    pane = window.sequences_pane
    window.show_pane("Sequences")
    qtbot.waitUntil(lambda: pane.list.topLevelItemCount() == 2)
    pane.select_sequence(first.id)
    qtbot.waitUntil(lambda: pane.contacts_model.total == 4)
    return first.id, second.id


def open_dialog(window: MainWindow, qtbot: QtBot, rows: int) -> AddToSequenceDialog:
    pane = window.sequences_pane
    model = pane.table.model()
    rows_wanted = QItemSelection(model.index(0, 0), model.index(rows - 1, model.columnCount() - 1))
    pane.table.selectionModel().select(
        rows_wanted, QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    [add] = [a for a in pane.menu.build(0).actions() if a.text() == "Add to sequence…"]
    assert add.isEnabled()
    add.trigger()
    slot = window.menus.additions[1].dialog
    qtbot.waitUntil(lambda: slot.dialog is not None)
    dialog = slot.dialog
    assert isinstance(dialog, AddToSequenceDialog)
    qtbot.waitUntil(lambda: dialog.loaded)
    return dialog


def test_add_puts_the_selection_in_the_chosen_sequence(
    window: MainWindow, workspace: Workspace, two_sequences: tuple[int, int], qtbot: QtBot
) -> None:
    connect_firm(workspace)
    workspace.update_clockwork_settings(sync_mode=SyncMode.ON_ADD)
    first, second = two_sequences
    dialog = open_dialog(window, qtbot, 2)
    assert dialog.question.text() == "Add 2 contacts to this sequence:"
    combo = dialog.picker.combo
    offered = [combo.itemData(i) for i in range(combo.count())]
    assert offered == [second, NEW_SEQUENCE]  # not the sequence they are shown in
    qtbot.waitUntil(lambda: "Adding them queues the 2 contacts" in dialog.consequence.text())
    dialog.add_button.click()
    qtbot.waitUntil(
        lambda: workspace.count_contacts(ContactFilter(sequence_id=second)) == 2, timeout=5000
    )
    qtbot.waitUntil(lambda: "added to “Board search”" in window.statusBar().currentMessage())
    assert window.statusBar().currentMessage() == "2 contacts added to “Board search”."
    assert workspace.count_contacts(ContactFilter(sequence_id=first)) == 4


def test_add_into_a_new_sequence_named_in_the_dialog(
    window: MainWindow, workspace: Workspace, two_sequences: tuple[int, int], qtbot: QtBot
) -> None:
    dialog = open_dialog(window, qtbot, 1)
    assert dialog.question.text() == "Add person0@example.com to this sequence:"
    combo = dialog.picker.combo
    combo.setCurrentIndex(combo.findData(NEW_SEQUENCE))
    assert not dialog.add_button.isEnabled()  # a new sequence needs a name
    dialog.picker.name_edit.setText("GC search")
    assert dialog.add_button.isEnabled()
    dialog.add_button.click()
    qtbot.waitUntil(lambda: "GC search" in {s.name for s in workspace.sequences()})
    made = workspace.sequence_by_name("GC search")
    qtbot.waitUntil(lambda: workspace.count_contacts(ContactFilter(sequence_id=made.id)) == 1)


def test_a_refusal_is_said_in_the_dialog_which_stays_open(
    window: MainWindow, workspace: Workspace, two_sequences: tuple[int, int], qtbot: QtBot
) -> None:
    dialog = open_dialog(window, qtbot, 1)
    combo = dialog.picker.combo
    combo.setCurrentIndex(combo.findData(NEW_SEQUENCE))
    dialog.picker.name_edit.setText("cfo SEARCH")  # taken, in another case
    dialog.add_button.click()
    qtbot.waitUntil(dialog.error.isVisible)
    assert "already exists" in dialog.error.text()
    assert dialog.isVisible()
    assert dialog.add_button.isEnabled()  # the user can pick another name and try again


def test_the_message_says_who_was_left_out() -> None:
    report = AddToSequenceReport(added=1, already=2, suppressed=["a@example.com"])
    assert said("Board", report) == (
        "1 contact added to “Board”; 2 were in it already; "
        "1 is on the suppression list and not added."
    )


def test_an_empty_sequence_says_how_people_get_in_until_some_do(
    window: MainWindow, workspace: Workspace, two_sequences: tuple[int, int], qtbot: QtBot
) -> None:
    first, second = two_sequences
    pane = window.sequences_pane
    body = pane.details.contacts_body
    assert body.currentWidget() is pane.table
    pane.select_sequence(second)
    qtbot.waitUntil(lambda: body.currentWidget() is not pane.table)
    assert "Add to sequence…" in body.currentWidget().text()
    workspace.add_to_sequence(
        second, [row.id for row in workspace.contacts_page(ContactFilter(sequence_id=first), 0, 1)]
    )
    qtbot.waitUntil(lambda: body.currentWidget() is pane.table)
