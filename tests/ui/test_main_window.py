"""The main window: its panes, navigation, menus and the status bar."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QMessageBox
from pytestqt.qtbot import QtBot

from app.workspace import Workspace
from ui.contacts.import_dialog import ImportDialog
from ui.main_window import PANES, MainWindow


def test_window_has_a_title_and_a_sensible_size(window: MainWindow) -> None:
    assert window.windowTitle() == "Escapement"
    assert (window.width(), window.height()) == (1200, 760)


def test_navigation_lists_the_panes_and_switches(window: MainWindow, qtbot: QtBot) -> None:
    names = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert not window._email.built  # nobody opened it yet: it costs nothing at start-up
    panes = {
        "Integration": window.integration_pane,
        "Sequences": window.sequences_pane,
        "Contacts": window.contacts_pane,
        "Email": window.email_pane,
        "Team": window.team_pane,
    }
    assert names == list(panes)
    for name in PANES:
        rect = window.nav.visualItemRect(window.nav.item(PANES.index(name)))
        qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert panes[name].isVisible()
        assert window.current_pane() == name


def test_status_bar_shows_connection_and_queue(window: MainWindow, qtbot: QtBot) -> None:
    assert window.connection_label.text() == "Not connected to Clockwork"
    assert window.connection_label.property("problem") is False
    qtbot.waitUntil(lambda: window.queue_label.text() == "Queue: 0")
    assert window.connection_label.isVisible()


def test_menus_offer_import_quit_and_about(window: MainWindow) -> None:
    menus = {a.text(): a.menu() for a in window.menuBar().actions()}
    assert set(menus) == {"&File", "&Edit", "&View", "&Help"}
    file_items = [a.text() for a in menus["&File"].actions() if not a.isSeparator()]
    assert file_items == ["&Import CSV…", "&Quit"]
    assert [a.text() for a in menus["&Help"].actions()] == ["&About Escapement"]


def test_about_opens_without_blocking(window: MainWindow, qtbot: QtBot) -> None:
    window.show_about()
    box = window.findChild(QMessageBox)
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    assert "Clockwork" in box.text()
    box.close()


def test_quit_closes_the_window_and_says_so(window: MainWindow, qtbot: QtBot) -> None:
    quit_action = next(
        a for a in window.findChildren(type(window.import_action)) if a.text() == "&Quit"
    )
    with qtbot.waitSignal(window.closed, timeout=1000):
        quit_action.trigger()
    assert not window.isVisible()


def test_import_from_the_menu_targets_the_sequence_in_view(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    workspace.create_sequence("Alpha")
    beta = workspace.create_sequence("Beta")
    pane = window.sequences_pane
    qtbot.waitUntil(lambda: pane.list.topLevelItemCount() == 2)
    pane.list.setCurrentItem(pane.list.topLevelItem(1))
    window.import_action.trigger()
    dialog = window.findChild(ImportDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.loaded)
    assert dialog.isModal()  # window-modal through open(): the window cannot start a second one
    assert dialog.picker.sequence_id() == beta.id
    dialog.reject()


@pytest.mark.parametrize("width", [1100, 1300, 1600])
@pytest.mark.parametrize("pane", ["Integration", "Email"])
def test_cards_get_the_height_their_text_needs_at_any_width(
    window: MainWindow, qtbot: QtBot, pane: str, width: int
) -> None:
    window.resize(width, 760)
    window.show_pane(pane)
    shown = window.email_pane if pane == "Email" else window.integration_pane
    # The pane reads what its cards show off the GUI thread (Email only once first shown):
    # measure the cards with that text in them, not while it is still arriving.
    qtbot.waitUntil(lambda: shown.loaded)
    qtbot.wait(50)  # the layouts settle on the next event-loop turn
    cards = [c for c in window.stack.currentWidget().findChildren(QFrame, "card") if c.isVisible()]
    assert cards
    for card in cards:
        needed = card.layout().totalHeightForWidth(card.width())
        assert card.height() >= needed, f"{card.__class__.__name__} clipped at {width}px"
