"""Text the data decides never widens the window.

A top-level window grows to its children's minimum widths, and a plain label's minimum is its
whole text: a 100-character sequence name made the main window 1,898 px wide, a refreshed
count ("at least 1,000,000 contacts") or a long message 50 to 300 px wider, and it stayed so.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.connection import ConnectionState, ConnectionStatus
from app.workspace import MAX_NAME, Workspace
from tests.ui.conftest import people
from ui.main_window import MainWindow
from ui.widgets.elided_combo import ElidedComboBox
from ui.widgets.elided_label import ElidedLabel

LONG_NAME = ("Chief Financial Officer search, Northwind Health board, EMEA and Americas " * 3)[
    :MAX_NAME
]


def settle(window: MainWindow) -> int:
    """The window's width once pending layout requests have run."""
    for _ in range(3):
        QApplication.processEvents()
    return window.width()


def test_a_sequence_with_the_longest_name_keeps_the_window_as_it_was(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    pane = window.sequences_pane
    before = settle(window)
    seq = workspace.create_sequence(LONG_NAME.strip())
    workspace.add_contacts(seq.id, people(3))
    pane.reload(select_id=seq.id)
    qtbot.waitUntil(lambda: pane.details.title.text() == LONG_NAME.strip())
    assert settle(window) == before
    title = pane.details.title
    assert isinstance(title, ElidedLabel)
    assert title.elided
    assert title.toolTip() == LONG_NAME.strip()  # the whole name, on hover


def test_counts_and_messages_in_the_contacts_pane_keep_the_window_as_it_was(
    window: MainWindow, qtbot: QtBot
) -> None:
    window.show_pane("Contacts")
    pane = window.contacts_pane
    before = settle(window)
    pane.count_label.setText("at least 1,000,000 contacts")
    assert settle(window) == before
    message = "Clockwork did not answer: " + "the server took too long to respond. " * 6
    pane.candidate_filter.said.emit(message)
    assert settle(window) == before
    assert pane.status_note.isVisibleTo(pane)
    assert pane.status_note.text() == message
    pane.candidate_filter.said.emit("")
    assert not pane.status_note.isVisibleTo(pane)


def test_a_long_firm_name_in_the_status_bar_is_shortened_and_whole_on_hover(
    window: MainWindow, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The status bar does not widen the window: a plain label there was cut off mid-word."""
    before = settle(window)
    firm = "Heidrick, Struggles & Partners International Executive Search Ltd (London) " * 2
    state = ConnectionState(ConnectionStatus.CONNECTED, firm=firm)
    monkeypatch.setattr(workspace, "connection_state", lambda: state)
    window.status.refresh_connection()
    assert settle(window) == before
    item = window.connection_label
    assert item.text() == f"Connected to Clockwork ({firm})"
    assert isinstance(item, ElidedLabel)
    assert item.elided
    assert item.toolTip() == item.text()


def test_an_elided_label_keeps_its_whole_text_and_its_own_tooltip(qtbot: QtBot) -> None:
    item = ElidedLabel("A short name")
    qtbot.addWidget(item)
    item.resize(400, 30)
    assert not item.elided
    assert item.toolTip() == ""
    item.setText("A name far too long for the room it gets in this label " * 4)
    assert item.elided
    assert item.toolTip() == item.text()
    item.setToolTip("Why: the server said so")
    item.setText("Another name far too long for the room it gets in this label " * 4)
    assert item.toolTip() == "Why: the server said so"
    item.setToolTip("")
    assert item.toolTip() == item.text()
    assert item.minimumSizeHint().width() < 100


def test_the_longest_sequence_name_in_the_contacts_filter_is_shortened_and_whole_on_hover(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    """A plain combo box asked for 1,257 px for it, and drew it cut off at its edge."""
    before = settle(window)
    seq = workspace.create_sequence(LONG_NAME.strip())
    short = workspace.create_sequence("Board search")
    pane = window.contacts_pane
    pane.reload_sequences()
    qtbot.waitUntil(lambda: pane.sequences_loaded)
    window.show_pane("Contacts")
    combo = pane.sequence_combo
    combo.setToolTip("Show the contacts of one sequence")
    combo.setCurrentIndex(combo.findData(seq.id))
    assert settle(window) == before
    assert isinstance(combo, ElidedComboBox)
    assert combo.sizeHint().width() < window.width() // 3
    assert combo.elided
    assert combo.toolTip() == LONG_NAME.strip()
    row = combo.findData(seq.id)
    assert combo.itemData(row, Qt.ItemDataRole.ToolTipRole) == LONG_NAME.strip()
    combo.setCurrentIndex(combo.findData(short.id))
    assert not combo.elided
    assert combo.toolTip() == "Show the contacts of one sequence"


def test_a_long_candidate_status_from_the_firm_keeps_the_window_as_it_was(
    window: MainWindow,
) -> None:
    """Statuses are the firm's own words, read from Clockwork: any length, shortened with "…"
    and whole on hover."""
    window.show_pane("Contacts")
    before = settle(window)
    status = "Offer extended, awaiting references and board approval (EMEA, Americas) " * 2
    combo = window.contacts_pane.candidate_filter.combo
    window.contacts_pane.candidate_filter.add_statuses([status.strip()])
    combo.setCurrentIndex(combo.findData(status.strip()))
    assert settle(window) == before
    assert isinstance(combo, ElidedComboBox)  # a plain box drew it cut off, with no "…"
    assert combo.elided
    assert combo.toolTip() == status.strip()
