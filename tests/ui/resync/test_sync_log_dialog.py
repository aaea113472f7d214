"""The sync log: what the engine did per contact, errors in red, and Retry for them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from app.domain import ContactFilter, ContactInput, ContactSyncState
from app.store.models import Sequence
from tests.ui.conftest import ASYNC_GUI, Sandbox, people, until
from ui.main_window import MainWindow
from ui.resync.sync_log_dialog import COLUMNS, MESSAGE, OUTCOME, SyncLogDialog

BROKEN = ContactInput("broken.person@fresh.example.com", "Broken", "Person")


async def open_window(sandbox: Sandbox, qtbot: QtBot) -> MainWindow:
    """One contact synced, one failed: its sequence's project was deleted in Clockwork."""
    ws = sandbox.ws
    await sandbox.connect(dedup=False)
    fine = ws.create_sequence("Fine")
    ws.add_contacts(fine.id, people(1, domain="fresh.example.com"))
    broken = ws.create_sequence("Broken")
    with ws.store.write() as session:
        session.get_one(Sequence, broken.id).project_id = "999999"
    ws.add_contacts(broken.id, [BROKEN])
    await ws.sync.run(max_wait=5)
    window = MainWindow(ws, sandbox.bridge)
    qtbot.addWidget(window)
    window.show()
    window.show_pane("Contacts")
    return window


def table_rows(dialog: SyncLogDialog) -> list[tuple[str, ...]]:
    table = dialog.table
    return [
        tuple(table.item(r, c).text() for c in range(len(COLUMNS))) for r in range(table.rowCount())
    ]


@ASYNC_GUI
async def test_the_log_lists_steps_colours_outcomes_and_retries_errors(
    sandbox: Sandbox, qtbot: QtBot
) -> None:
    ws = sandbox.ws
    window = await open_window(sandbox, qtbot)
    qtbot.mouseClick(window.contacts_pane.log_button, Qt.MouseButton.LeftButton)
    dialog = window.sync_actions.log_dialog
    assert isinstance(dialog, SyncLogDialog)
    await until(lambda: dialog.table.rowCount() > 0)
    rows = table_rows(dialog)
    assert list(COLUMNS) == ["Time", "Contact", "Step", "Outcome", "Message"]
    error = next(r for r in rows if r[OUTCOME] == "error")
    assert error[1] == BROKEN.email
    assert "999999" in error[MESSAGE]
    assert any(r[OUTCOME] == "ok" and r[1] == "person0@fresh.example.com" for r in rows)
    assert rows[0][0][:2].isdigit()  # a local date and time, e.g. "04 Mar 2025 09:30:12"
    colours = {
        dialog.table.item(r, OUTCOME).text(): dialog.table.item(r, OUTCOME).foreground().color()
        for r in range(dialog.table.rowCount())
    }
    assert colours["error"] == QColor("#c93c3c")
    assert colours["ok"] == QColor("#1e8a4c")
    assert not dialog.retry_button.isEnabled()
    dialog.errors_box.setChecked(True)
    assert [r[OUTCOME] for r in table_rows(dialog)] == ["error"]
    dialog.errors_box.setChecked(False)
    assert len(table_rows(dialog)) == len(rows)
    dialog.table.selectAll()
    assert dialog.retry_button.isEnabled()  # the selection holds one error row
    assert dialog.retry_button.text() == "Retry 1 contact"
    project = sandbox.project_id("CFO – Northwind")
    with ws.store.write() as session:  # the recruiter picked a project that exists meanwhile
        for seq in session.query(Sequence):
            seq.project_id = project
    before = dialog.table.rowCount()
    qtbot.mouseClick(dialog.retry_button, Qt.MouseButton.LeftButton)
    await until(lambda: "Retrying 1 contact" in window.statusBar().currentMessage())
    await ws.sync.run(max_wait=5)
    await until(lambda: dialog.table.rowCount() > before, what="the log to follow the sync")
    newest = table_rows(dialog)[0]
    assert newest[1] == BROKEN.email
    assert newest[OUTCOME] == "ok"
    steps = {r[2] for r in table_rows(dialog)}
    # Words, not "candidacy" with "added to project 1".
    assert "Added to project CFO – Northwind Logistics" in steps
    assert "Created in Clockwork" in steps
    assert not steps & {"candidacy", "create", "email", "sync contact"}
    [row] = [r for r in ws.contacts_page(ContactFilter(), 0, 10) if r.email == BROKEN.email]
    assert row.state is ContactSyncState.SYNCED
    dialog.reject()
    await until(lambda: window.sync_actions.log_dialog is None)


@ASYNC_GUI
async def test_the_menu_opens_one_contacts_log(sandbox: Sandbox, qtbot: QtBot) -> None:
    window = await open_window(sandbox, qtbot)
    pane = window.contacts_pane
    await until(lambda: pane.model.total == 2 and pane.model.row_at(pane.model.index(1, 0)))
    number = next(
        r
        for r in range(2)
        if (row := pane.model.row_at(pane.model.index(r, 0))) and row.email == BROKEN.email
    )
    pane.table.selectRow(number)
    menu = pane.menu.build(number)
    next(a for a in menu.actions() if a.text() == "Show sync log").trigger()
    dialog = window.sync_actions.log_dialog
    assert isinstance(dialog, SyncLogDialog)
    await until(lambda: dialog.table.rowCount() > 0)
    assert dialog.heading.text() == f"Sync log of {BROKEN.email}"
    assert {r[1] for r in table_rows(dialog)} == {BROKEN.email}
    assert dialog.all_button.isVisible()
    qtbot.mouseClick(dialog.all_button, Qt.MouseButton.LeftButton)
    await until(lambda: len({r[1] for r in table_rows(dialog)}) == 2)
    assert dialog.heading.text() == "Sync log"
    dialog.reject()
