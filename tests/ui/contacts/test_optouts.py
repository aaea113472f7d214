"""Opted-out contacts in the Contacts pane: the badge, the details with Undo, and the opt-out
list (add, remove with a reason, include undone, import and export CSV)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from app.workspace import Workspace
from tests.ui.conftest import people
from ui.contacts.model import NAME
from ui.contacts.pane import ContactsPane
from ui.contacts.suppression_list import SuppressionListDialog
from ui.main_window import MainWindow


@pytest.fixture
def pane(window: MainWindow, workspace: Workspace, qtbot: QtBot) -> ContactsPane:
    workspace.add_contacts(workspace.create_sequence("Finance").id, people(3))
    workspace.suppression.add(["person1@example.com"], "asked by phone")
    window.show_pane("Contacts")
    pane = window.contacts_pane
    qtbot.waitUntil(lambda: pane.count_label.text() == "3 contacts")
    return pane


def name(pane: ContactsPane, row: int) -> object:
    return pane.model.data(pane.model.index(row, NAME))


def test_an_opted_out_contact_has_a_badge_and_details_with_undo(
    pane: ContactsPane, workspace: Workspace, qtbot: QtBot
) -> None:
    qtbot.waitUntil(lambda: name(pane, 1) == "Opted out · First1 Last1")
    assert name(pane, 0) == "First0 Last0"
    menu = pane.menu.build(1)
    details_action = next(a for a in menu.actions() if a.text() == "Opt-out details…")
    assert details_action.isEnabled()
    assert not next(
        a for a in pane.menu.build(0).actions() if a.text() == "Opt-out details…"
    ).isEnabled()
    row = pane.model.row_at(pane.model.index(1, 0))
    assert row is not None
    details = pane.menu.opt_out_details(row)
    qtbot.waitUntil(lambda: details.fields["Trigger"].text() == "asked by phone")
    assert details.fields["Source"].text() == "Added by hand"
    assert details.undo_button.isEnabled()
    details.undo()  # no reason: refused, shown under the field, nothing undone
    qtbot.waitUntil(details.reason.error_label.isVisible)
    assert "reason is required" in details.reason.error_label.text()
    assert workspace.suppression.is_suppressed(["person1@example.com"])
    details.reason.edit.setText("She asked to hear about the CFO role")
    with qtbot.waitSignal(details.undone):
        details.undo()
    assert not workspace.suppression.is_suppressed(["person1@example.com"])
    qtbot.waitUntil(lambda: name(pane, 1) == "First1 Last1")


def open_list(pane: ContactsPane, qtbot: QtBot) -> SuppressionListDialog:
    dialog = pane.open_suppression_list()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1)
    return dialog


def test_the_list_adds_and_removes_with_a_reason(
    pane: ContactsPane, workspace: Workspace, qtbot: QtBot
) -> None:
    dialog = open_list(pane, qtbot)
    assert dialog.table.item(0, 0).text() == "person1@example.com"
    add = dialog.add()
    add.emails.setPlainText("not an address")
    add.submit()
    qtbot.waitUntil(add.error_label.isVisible)
    assert "is not an email address" in add.error_label.text()
    add.emails.setPlainText("Person2@Example.com, zed@elsewhere.org")
    add.note.setText("legal asked")
    add.submit()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 3)
    assert dialog.message.text() == "Added 2 addresses; 1 sequence enrollment ended."
    dialog.table.selectRow(0)
    remove = dialog.remove()
    remove.submit()
    qtbot.waitUntil(remove.reason.error_label.isVisible)
    remove.reason.edit.setText("opted back in")
    remove.findChild(QDialogButtonBox).accepted.emit()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2)
    assert dialog.message.text() == "Removed 1 address from the list."
    dialog.include_undone.setChecked(True)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 3)
    undone = [dialog.table.item(r, 5).text() for r in range(3)]
    assert any(text.endswith(": opted back in") for text in undone)


def test_the_list_imports_and_exports_csv(pane: ContactsPane, qtbot: QtBot, tmp_path: Path) -> None:
    dialog = open_list(pane, qtbot)
    source = tmp_path / "in.csv"
    source.write_text("email\nann@a.io\nbob@b.io\nnope\n", encoding="utf-8")
    dialog.pick_open = lambda _parent: source
    dialog.import_csv()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 3)
    assert dialog.message.text().startswith("Added 2 addresses; 1 skipped (first: 4:")
    target = tmp_path / "out.csv"
    dialog.pick_save = lambda _parent: target
    dialog.export_csv()
    qtbot.waitUntil(lambda: dialog.message.text() == "Exported 3 addresses to out.csv.")
    assert "bob@b.io" in target.read_text(encoding="utf-8")
