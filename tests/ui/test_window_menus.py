"""What a recruiter expects to find: Edit and View menus, Ctrl+F, Delete (with confirmation)
and a context-menu entry to remove from a sequence, Undo, disabled items that look disabled
and do nothing, and a message when no browser opens."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QColor, QDesktopServices, QImage, QPalette
from PySide6.QtWidgets import QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from app.domain import ContactFilter
from app.workspace import Workspace
from tests.conftest import connect_firm
from tests.ui.conftest import OFFSCREEN_NOISE, OFFSCREEN_RAISE, people
from ui.main_window import PANES, MainWindow


def menu_texts(menu: QMenu) -> list[str]:
    return [a.text() for a in menu.actions() if not a.isSeparator()]


def test_edit_and_view_menus_sit_between_file_and_help(window: MainWindow) -> None:
    bar = [a.text() for a in window.menuBar().actions()]
    assert bar == ["&File", "&Edit", "&View", "&Help"]
    assert menu_texts(window.menus.edit_menu) == [
        "&Undo",
        "Select &all",
        "&Find",
        "&Remove from sequence…",
    ]
    assert window.menus.find.shortcut().toString() == "Ctrl+F"
    assert window.menus.remove.shortcut().toString() == "Del"
    assert not window.menus.undo.action.isEnabled()  # nothing to undo yet
    assert menu_texts(window.menus.view_menu) == [f"&{name}" for name in PANES]
    assert window.menus.theme_place in window.menus.view_menu.actions()  # Theme goes there
    window.menus.pane_actions[PANES.index("Team")].trigger()
    assert window.current_pane() == "Team"


def test_ctrl_f_focuses_the_search(window: MainWindow, qtbot: QtBot) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.show_pane("Integration")
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.current_pane() == "Contacts"
    qtbot.waitUntil(window.contacts_pane.search_edit.hasFocus)


@pytest.fixture
def in_sequence(window: MainWindow, workspace: Workspace, qtbot: QtBot) -> int:
    seq = workspace.create_sequence("CFO search")
    workspace.add_contacts(seq.id, people(5))
    pane = window.contacts_pane
    window.show_pane("Contacts")
    qtbot.waitUntil(lambda: pane.sequence_combo.findData(seq.id) >= 0)
    pane.sequence_combo.setCurrentIndex(pane.sequence_combo.findData(seq.id))
    qtbot.waitUntil(lambda: pane.model.total == 5 and pane.model.shown_filter.sequence_id == seq.id)
    return seq.id


def in_it(workspace: Workspace, seq: int) -> int:
    return workspace.count_contacts(ContactFilter(sequence_id=seq))


def test_delete_removes_the_selection_after_asking_and_undo_puts_it_back(
    window: MainWindow, workspace: Workspace, in_sequence: int, qtbot: QtBot
) -> None:
    table = window.contacts_pane.table
    table.selectRow(0)
    table.setFocus()
    window.activateWindow()
    qtbot.waitUntil(table.hasFocus)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    removal = window.menus.removals[window.contacts_pane]
    box = removal.question.dialog
    assert isinstance(box, QMessageBox)
    assert box.text().startswith("Remove person0@example.com from “CFO search”?")
    box.button(QMessageBox.StandardButton.Cancel).click()  # Cancel keeps them
    qtbot.waitUntil(lambda: removal.question.dialog is None)
    assert in_it(workspace, in_sequence) == 5
    table.selectAll()
    window.menus.remove.trigger()
    box = removal.question.dialog
    assert isinstance(box, QMessageBox)
    assert box.text() == "Remove 5 contacts from “CFO search”?"
    next(b for b in box.buttons() if b.text() == "Remove").click()
    qtbot.waitUntil(lambda: in_it(workspace, in_sequence) == 0)
    undo = window.menus.undo
    qtbot.waitUntil(lambda: undo.button.isVisible())
    assert undo.text_label.text() == "5 contacts removed from the sequence."
    assert undo.action.isEnabled()
    qtbot.mouseClick(undo.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: in_it(workspace, in_sequence) == 5)
    qtbot.waitUntil(lambda: not undo.button.isVisible())
    assert "Undone: 5 contacts removed from “CFO search”." in window.statusBar().currentMessage()


def test_the_context_menu_offers_remove_from_sequence(
    window: MainWindow, in_sequence: int, qtbot: QtBot
) -> None:
    menu = window.contacts_pane.menu
    window.contacts_pane.table.selectRow(1)
    built = menu.build(1)
    [remove] = [a for a in built.actions() if a.text() == "Remove from sequence…"]
    assert remove.isEnabled()
    remove.trigger()
    box = window.menus.removals[window.contacts_pane].question.dialog
    assert isinstance(box, QMessageBox)
    assert "person1@example.com" in box.text()
    box.reject()
    pane = window.contacts_pane
    pane.sequence_combo.setCurrentIndex(0)  # All contacts: from which sequence? none
    qtbot.waitUntil(lambda: pane.model.shown_filter.sequence_id is None)
    window.contacts_pane.table.selectRow(1)
    [remove] = [a for a in menu.build(1).actions() if a.text() == "Remove from sequence…"]
    assert not remove.isEnabled()


def test_a_deleted_sequence_can_be_undone(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    seq = workspace.create_sequence("Board search")
    workspace.add_contacts(seq.id, people(2))
    pane = window.sequences_pane
    qtbot.waitUntil(lambda: pane.current_sequence_id() == seq.id)
    pane.delete_sequence()
    box = window.findChild(QMessageBox)
    assert box is not None
    next(b for b in box.buttons() if b.text() == "Delete sequence").click()
    qtbot.waitUntil(lambda: workspace.sequences() == [])
    undo = window.menus.undo
    qtbot.waitUntil(undo.action.isEnabled)
    undo.action.trigger()  # Edit › Undo, Ctrl+Z
    qtbot.waitUntil(lambda: [s.name for s in workspace.sequences()] == ["Board search"])
    assert in_it(workspace, seq.id) == 2


@pytest.mark.qt_log_ignore(
    OFFSCREEN_NOISE, OFFSCREEN_RAISE, "does not support grabbing the keyboard"
)
def test_a_disabled_menu_item_does_nothing_and_is_drawn_disabled(
    window: MainWindow, qtbot: QtBot
) -> None:
    menu = QMenu(window)
    fired: list[bool] = []
    action = QAction("Open in Clockwork", menu)
    action.triggered.connect(lambda: fired.append(True))
    menu.addAction(action)
    menu.popup(window.mapToGlobal(QPoint(50, 50)))
    qtbot.waitExposed(menu)
    enabled = menu.grab().toImage()
    action.setEnabled(False)
    disabled = menu.grab().toImage()
    action.trigger()
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())
    assert fired == []
    assert enabled != disabled
    grey = menu.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    normal = menu.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.Text)
    rect = menu.actionGeometry(action)
    assert nearest(disabled, rect, grey, normal) == "disabled"
    assert nearest(enabled, rect, grey, normal) == "enabled"
    menu.close()


def nearest(image: QImage, rect: object, grey: QColor, normal: QColor) -> str:
    """Which text colour the darkest-contrast pixels of the item are closer to."""
    from PySide6.QtCore import QRect

    assert isinstance(rect, QRect)
    background = QColor(image.pixel(rect.right() - 2, rect.center().y()))
    far = max(
        (
            QColor(image.pixel(x, y))
            for x in range(rect.left(), rect.right())
            for y in range(rect.top(), rect.bottom())
        ),
        key=lambda c: distance(c, background),
    )
    return "disabled" if distance(far, grey) < distance(far, normal) else "enabled"


def distance(a: QColor, b: QColor) -> int:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue())


def test_a_synced_link_without_a_browser_says_so(
    window: MainWindow, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    connect_firm(workspace, "demo")
    seq = workspace.create_sequence("CFO search")
    workspace.add_contacts(seq.id, people(1))
    row = replace(workspace.contacts_page(ContactFilter(), 0, 1)[0], clockwork_person_id="77")
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda _url: False))
    assert window.sync_actions.open_in_clockwork(row) is False
    message = window.statusBar().currentMessage()
    assert message.startswith("No web browser could be opened. The person in Clockwork: https://")
    assert message.endswith("77")
