"""Sequences: create, rename and delete, with the Workspace's objections shown inline."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.domain import ContactFilter
from app.errors import NotFoundError
from app.workspace import Workspace
from tests.ui.conftest import people
from ui.main_window import MainWindow
from ui.sequences.pane import SequencesPane
from ui.widgets.name_dialog import NameDialog


def names(pane: SequencesPane) -> list[str]:
    return [pane.list.topLevelItem(i).text(0) for i in range(pane.list.topLevelItemCount())]


def name_dialog(pane: SequencesPane, qtbot: QtBot) -> NameDialog:
    dialog = pane.dialog
    assert isinstance(dialog, NameDialog)
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def submit(dialog: NameDialog, text: str, qtbot: QtBot) -> None:
    """Type the name and press OK; returns once the write (off the GUI thread) answered and,
    after a success, the list shows the change."""
    pane, closed = dialog.parent(), list[int]()
    dialog.finished.connect(closed.append)  # a closed dialog is deleted: ask no more of it
    dialog.edit.clear()
    qtbot.keyClicks(dialog.edit, text)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(closed) or not dialog.busy)
    if closed and isinstance(pane, SequencesPane):
        qtbot.waitUntil(lambda: pane.loaded)


def test_empty_workspace_explains_what_to_do(window: MainWindow, qtbot: QtBot) -> None:
    pane = window.sequences_pane
    qtbot.waitUntil(lambda: pane.loaded)  # the list loads off the GUI thread
    assert names(pane) == []
    assert pane.right.currentIndex() == 0
    assert not pane.rename_button.isEnabled()
    assert not pane.delete_button.isEnabled()


def test_create_selects_the_new_sequence(window: MainWindow, qtbot: QtBot) -> None:
    pane = window.sequences_pane
    qtbot.mouseClick(pane.new_button, Qt.MouseButton.LeftButton)
    dialog = name_dialog(pane, qtbot)
    submit(dialog, "  CFO   search ", qtbot)
    assert names(pane) == ["CFO search"]
    assert pane.current_sequence_id() is not None
    assert pane.title_text == "CFO search"
    assert pane.summary_text.startswith("0 contacts")
    assert pane.dialog is None


def test_duplicate_name_is_shown_in_the_dialog(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    workspace.create_sequence("Board search")
    pane = window.sequences_pane
    qtbot.waitUntil(lambda: names(pane) == ["Board search"])
    pane.new_sequence()
    dialog = name_dialog(pane, qtbot)
    submit(dialog, "board SEARCH", qtbot)
    assert dialog.isVisible()
    assert dialog.error_label.isVisible()
    assert "already exists" in dialog.error_label.text()
    assert names(pane) == ["Board search"]
    qtbot.keyClicks(dialog.edit, " II")  # typing clears the complaint
    assert not dialog.error_label.isVisible()
    dialog.reject()
    assert pane.dialog is None


def test_a_second_click_does_not_open_a_second_dialog(window: MainWindow, qtbot: QtBot) -> None:
    pane = window.sequences_pane
    pane.new_sequence()
    first = name_dialog(pane, qtbot)
    pane.new_sequence()
    assert pane.dialog is first
    assert len([w for w in pane.findChildren(NameDialog) if w.isVisible()]) == 1
    first.reject()


def test_rename(window: MainWindow, workspace: Workspace, qtbot: QtBot) -> None:
    workspace.create_sequence("Alpha")
    workspace.create_sequence("Beta")
    pane = window.sequences_pane
    qtbot.waitUntil(lambda: names(pane) == ["Alpha", "Beta"])
    pane.list.setCurrentItem(pane.list.topLevelItem(1))
    qtbot.mouseClick(pane.rename_button, Qt.MouseButton.LeftButton)
    dialog = name_dialog(pane, qtbot)
    assert dialog.edit.text() == "Beta"
    submit(dialog, "alpha", qtbot)
    assert "already exists" in dialog.error_label.text()
    submit(dialog, "Gamma", qtbot)
    assert names(pane) == ["Alpha", "Gamma"]
    assert pane.title_text == "Gamma"


def test_delete_asks_first_and_keeps_the_contacts(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    info = workspace.create_sequence("Doomed")
    workspace.add_contacts(info.id, people(3))
    pane = window.sequences_pane
    qtbot.waitUntil(lambda: names(pane) == ["Doomed"])
    qtbot.mouseClick(pane.delete_button, Qt.MouseButton.LeftButton)
    box = pane.dialog
    assert isinstance(box, QMessageBox)
    qtbot.waitUntil(box.isVisible)
    assert "3 contacts" in box.informativeText()
    assert "does not delete them" in box.informativeText()
    confirm = next(b for b in box.buttons() if b.text() == "Delete sequence")
    qtbot.mouseClick(confirm, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: names(pane) == [])
    assert workspace.sequences() == []
    assert workspace.count_contacts(ContactFilter()) == 3


def test_cancelled_delete_changes_nothing(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    workspace.create_sequence("Keep me")
    pane = window.sequences_pane
    qtbot.waitUntil(lambda: names(pane) == ["Keep me"])
    pane.delete_sequence()
    box = pane.dialog
    assert isinstance(box, QMessageBox)
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert pane.dialog is None
    assert names(pane) == ["Keep me"]


def test_a_failed_delete_shows_inline(
    window: MainWindow, workspace: Workspace, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace.create_sequence("Gone elsewhere")
    pane = window.sequences_pane
    qtbot.waitUntil(lambda: names(pane) == ["Gone elsewhere"])

    def deleted_by_a_teammate(_sequence_id: int) -> None:
        raise NotFoundError("That sequence no longer exists.")

    monkeypatch.setattr(workspace, "delete_sequence", deleted_by_a_teammate)
    pane.delete_sequence()
    box = pane.dialog
    assert isinstance(box, QMessageBox)
    confirm = next(b for b in box.buttons() if b.text() == "Delete sequence")
    qtbot.mouseClick(confirm, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pane.error_label.isVisible() and pane.loaded)
    assert pane.error_label.text() == "That sequence no longer exists."
    assert pane.delete_button.isEnabled()


def test_details_list_the_sequences_contacts(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    one = workspace.create_sequence("One")
    two = workspace.create_sequence("Two")
    workspace.add_contacts(one.id, people(4))
    workspace.add_contacts(two.id, people(2, domain="other.com"))
    pane = window.sequences_pane
    qtbot.waitUntil(lambda: names(pane) == ["One", "Two"])
    pane.list.setCurrentItem(pane.list.topLevelItem(1))
    qtbot.waitUntil(lambda: pane.contacts_model.total == 2)
    assert pane.tab_names[0] == "Contacts"
    assert pane.list.topLevelItem(0).text(1) == "4"


def test_the_list_buttons_keep_their_labels_in_the_narrowest_window(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    workspace.create_sequence("A sequence with a long enough name to want the room")
    window.resize(600, 600)  # below its minimum: the window stops at the narrowest it can be
    qtbot.wait(50)
    pane = window.sequences_pane
    for each in (pane.new_button, pane.rename_button, pane.delete_button):
        assert each.width() >= each.sizeHint().width(), each.text()
    assert window.width() <= 1200  # still fits the default size


def click_tab(pane: SequencesPane, name: str, qtbot: QtBot) -> None:
    bar = pane.details.tabs.tabBar()
    rect = bar.tabRect(pane.tab_names.index(name))
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=rect.center())


def test_steps_and_syncing_are_built_when_first_opened(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    workspace.create_sequence("One")
    two = workspace.create_sequence("Two")
    workspace.mail.add_step(two.id, subject="A chair role", body="Hi {first_name}")
    workspace.set_sequence_sync(two.id, False)
    pane = window.sequences_pane
    qtbot.waitUntil(lambda: names(pane) == ["One", "Two"])
    assert pane.tab_names == ["Contacts", "Steps", "Syncing"]
    # Nobody opened them yet: they cost nothing at start-up.
    assert not pane.details._steps.built
    assert not pane.details._syncing.built
    pane.list.setCurrentItem(pane.list.topLevelItem(1))  # chosen before the tabs exist
    click_tab(pane, "Steps", qtbot)
    steps = pane.details.steps
    assert steps.isVisible()
    qtbot.waitUntil(lambda: steps.loaded)
    assert steps.step_list.count() == 1
    assert "A chair role" in steps.step_list.item(0).text()
    click_tab(pane, "Syncing", qtbot)
    syncing = pane.details.syncing
    assert syncing.isVisible()
    qtbot.waitUntil(lambda: syncing.loaded)
    assert not syncing.sync_box.isChecked()
    pane.list.setCurrentItem(pane.list.topLevelItem(0))  # built: they follow the choice
    qtbot.waitUntil(lambda: syncing.loaded and syncing.sync_box.isChecked())
    qtbot.waitUntil(lambda: steps.loaded and steps.step_list.count() == 0)


def test_quitting_without_opening_steps_does_not_build_them(
    window: MainWindow, qtbot: QtBot
) -> None:
    window.work.quit_confirmed = True
    with qtbot.waitSignal(window.closed):
        window.close()
    assert not window.sequences_pane.details._steps.built
