"""A sequence's Syncing tab: the toggle, the project, and adding synced contacts to a new one."""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.projects import refresh_projects
from app.workspace import Workspace
from tests.ui.conftest import ASYNC_GUI, Sandbox, people, until
from ui.main_window import MainWindow
from ui.sequences.clockwork_tab import SyncingTab


class Projects:
    async def list_projects(self) -> list[dict[str, Any]]:
        return [
            {"id": "p1", "name": "CFO – Northwind", "status": "Active"},
            {"id": "p9", "name": "COO – Redpine", "status": "Closed"},
        ]


def syncing_tab(window: MainWindow) -> SyncingTab:
    pane = window.sequences_pane
    assert pane.tab_names == ["Contacts", "Steps", "Syncing"]
    return pane.open_syncing()


def test_toggle_and_project_reach_the_workspace(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    asyncio.run(refresh_projects(workspace.store, Projects()))
    info = workspace.create_sequence("CFO search")
    qtbot.waitUntil(lambda: window.sequences_pane.current_sequence_id() == info.id)
    tab = syncing_tab(window)
    qtbot.waitUntil(lambda: tab.loaded)  # the projects are read off the GUI thread
    assert tab.sync_box.text() == "Sync to Clockwork"
    assert tab.sync_box.isChecked()
    notes = " ".join(w.text() for w in tab.findChildren(type(tab.default_label)))
    assert "Turn this off before adding contacts you don't want synced" in notes
    assert "contacts already added keep their setting" in notes
    assert "Interseller could not" in notes
    tab.sync_box.click()
    qtbot.waitUntil(lambda: not workspace.sequences()[0].sync_to_clockwork)
    qtbot.waitUntil(lambda: "Sync to Clockwork is off" in window.sequences_pane.summary_text)
    combo = tab.project_combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Use the default project",
        "CFO – Northwind",
    ]
    combo.setCurrentIndex(1)
    combo.activated.emit(1)
    qtbot.waitUntil(lambda: workspace.sequences()[0].project_id == "p1")
    assert not tab.banner.isVisible()  # nothing synced yet, so nothing to offer
    combo.setCurrentIndex(0)
    combo.activated.emit(0)
    qtbot.waitUntil(lambda: workspace.sequences()[0].project_id is None)


@ASYNC_GUI
async def test_a_new_project_offers_to_add_the_contacts_already_synced(
    sandbox: Sandbox, qtbot: QtBot
) -> None:
    ws = sandbox.ws
    await sandbox.connect()
    info = ws.create_sequence("CFO search")
    ws.add_contacts(info.id, people(3, domain="fresh.example.com"))
    drained = await ws.sync.run(max_wait=5)
    assert drained.remaining == 0
    window = MainWindow(ws, sandbox.bridge)
    qtbot.addWidget(window)
    window.show()
    await until(lambda: window.sequences_pane.current_sequence_id() is not None)
    tab = syncing_tab(window)
    await until(lambda: tab.loaded)  # the projects are read off the GUI thread
    project = sandbox.project_id("CFO – Northwind")
    before = len(sandbox.state.list_candidacies(project, 100, 0))
    combo = tab.project_combo
    combo.setCurrentIndex(combo.findData(project))
    combo.activated.emit(combo.currentIndex())
    await until(tab.banner.isVisible)
    assert "3 contacts of this sequence already synced" in tab.banner_label.text()
    assert "CFO – Northwind Logistics" in tab.banner_label.text()
    qtbot.mouseClick(tab.apply_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(tab.apply_button, Qt.MouseButton.LeftButton)  # a double click
    await until(lambda: tab.banner_label.text().startswith("Queued: 3 contacts"))
    assert not tab.apply_button.isVisible()
    await ws.sync.run(max_wait=5)
    assert ws.sync.synced_outside_project(info.id) == 0
    after = len(sandbox.state.list_candidacies(project, 100, 0))
    assert after == before + 3  # once each, though the button was clicked twice


@ASYNC_GUI
async def test_resync_button_previews_the_sequence(sandbox: Sandbox, qtbot: QtBot) -> None:
    ws = sandbox.ws
    await sandbox.connect()
    info = ws.create_sequence("Board")
    ws.update_clockwork_settings(sync_mode=ws.clockwork_settings().sync_mode.OFF)
    ws.add_contacts(info.id, people(4, domain="board.example.com"))
    window = MainWindow(ws, sandbox.bridge)
    qtbot.addWidget(window)
    window.show()
    await until(lambda: window.sequences_pane.current_sequence_id() is not None)
    tab = syncing_tab(window)
    await until(lambda: tab.loaded)  # the projects are read off the GUI thread
    qtbot.mouseClick(tab.resync_button, Qt.MouseButton.LeftButton)
    dialog = window.sync_actions.dialog
    assert dialog is not None
    await until(lambda: window.sync_actions.dialog.preview is not None)  # type: ignore[union-attr]
    assert "the sequence “Board”" in dialog.heading.text()
    assert dialog.preview.to_send == 4  # type: ignore[attr-defined]
    dialog.reject()
    await until(lambda: window.sync_actions.dialog is None)
