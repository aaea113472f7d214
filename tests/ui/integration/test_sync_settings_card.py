"""The sync settings: each control reaches the workspace at once and shows what is saved."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.domain import SyncMode
from app.projects import refresh_projects
from app.workspace import Workspace
from tests.conftest import connect_firm
from tests.ui.conftest import ASYNC_GUI, Sandbox, until
from ui.integration.pane import IntegrationPane
from ui.integration.sync_settings_card import SyncSettingsCard
from ui.runtime.bridge import EventBridge
from ui.widgets.wording import SYNC_MODE_TEXT

ARTICLE_WORDING = [
    "Off – contacts will not sync to Clockwork",
    "Sync contacts when added to a sequence",
    "Sync contacts only when they reply",
]


class Projects:
    async def list_projects(self) -> list[dict[str, Any]]:
        return [
            {"id": "p1", "name": "CFO – Northwind", "status": "Active"},
            {"id": "p2", "name": "Board – Cobalt", "status": "Closed"},
            {"id": "p3", "name": "CPO – Brightwater", "status": "Pitch"},
            {"id": "p4", "name": "GC – Meridian", "status": "On Hold"},
        ]


@pytest.fixture
def card(workspace: Workspace, bridge: EventBridge, qtbot: QtBot) -> SyncSettingsCard:
    connect_firm(workspace, "demo")
    asyncio.run(refresh_projects(workspace.store, Projects()))
    pane = IntegrationPane(workspace, bridge)
    qtbot.addWidget(pane)
    pane.show()
    qtbot.waitUntil(lambda: pane.settings.loaded)
    return pane.settings


def test_the_three_sync_options_use_the_articles_words(
    card: SyncSettingsCard, workspace: Workspace, qtbot: QtBot
) -> None:
    assert [card.mode_buttons[m].text() for m in SyncMode] == ARTICLE_WORDING
    assert [SYNC_MODE_TEXT[m] for m in SyncMode] == ARTICLE_WORDING
    assert card.body.isEnabled()
    assert card.mode_buttons[SyncMode.OFF].isChecked()
    for mode in (SyncMode.ON_REPLY, SyncMode.ON_ADD, SyncMode.OFF, SyncMode.ON_ADD):
        qtbot.mouseClick(card.mode_buttons[mode], Qt.MouseButton.LeftButton)
    # Written one after another, in the order clicked: the last click wins.
    qtbot.waitUntil(lambda: workspace.clockwork_settings().sync_mode is SyncMode.ON_ADD)
    qtbot.waitUntil(lambda: not card._saver.busy)
    assert workspace.clockwork_settings().sync_mode is SyncMode.ON_ADD


def test_toggles_and_rate_reach_the_workspace(
    card: SyncSettingsCard, workspace: Workspace, qtbot: QtBot
) -> None:
    assert "Exists in Clockwork" in " ".join(
        w.text() for w in card.findChildren(type(card.reason_label))
    )
    assert card.dedup_box.isChecked()  # on by default
    card.dedup_box.click()
    qtbot.waitUntil(lambda: not workspace.clockwork_settings().dedup)
    card.activity_box.click()
    qtbot.waitUntil(lambda: workspace.clockwork_settings().activity_tracking)
    assert (card.rate_spin.minimum(), card.rate_spin.maximum()) == (0.1, 100.0)
    assert card.rate_spin.value() == 5.0
    card.rate_spin.setValue(12.5)
    card.rate_spin.editingFinished.emit()
    qtbot.waitUntil(lambda: workspace.clockwork_settings().rate_limit == 12.5)
    # Changed elsewhere (the CLI, a teammate's clone): the card follows.
    workspace.update_clockwork_settings(dedup=True, sync_mode=SyncMode.ON_REPLY)
    qtbot.waitUntil(card.dedup_box.isChecked)
    assert card.mode_buttons[SyncMode.ON_REPLY].isChecked()


def test_default_project_lists_open_pitch_and_on_hold_projects(
    card: SyncSettingsCard, workspace: Workspace, qtbot: QtBot
) -> None:
    combo = card.project_combo
    items = [combo.itemText(i) for i in range(combo.count())]
    assert items == [
        "None",
        "CFO – Northwind",
        "CPO – Brightwater  (Pitch)",
        "GC – Meridian  (On Hold)",
    ]
    combo.setCurrentIndex(2)
    combo.activated.emit(2)
    qtbot.waitUntil(lambda: workspace.clockwork_settings().default_project_id == "p3")
    combo.setCurrentIndex(0)
    combo.activated.emit(0)
    qtbot.waitUntil(lambda: workspace.clockwork_settings().default_project_id is None)
    assert any("leaving it blank if you sync to a project per sequence" in t for t in hints(card))
    assert any("Pitch or On Hold" in t for t in hints(card))


def hints(card: SyncSettingsCard) -> list[str]:
    return [
        w.text() for w in card.findChildren(type(card.reason_label)) if w.objectName() == "hint"
    ]


needs_bcc = pytest.mark.skipif(
    not hasattr(Workspace, "set_bcc_address"), reason="the façade has no BCC setter yet"
)


@needs_bcc
def test_pendulum_bcc_is_saved_checked_and_warns_about_double_recording(
    card: SyncSettingsCard, workspace: Workspace, qtbot: QtBot
) -> None:
    assert card.bcc_edit.isVisible()
    card.bcc_edit.setText("not an address")
    card.bcc_edit.setModified(True)
    card.bcc_edit.editingFinished.emit()
    qtbot.waitUntil(card.error_label.isVisible)
    assert "not an email address" in card.error_label.text()
    card.bcc_edit.setText("pendulum@demo.example.com")
    card.bcc_edit.setModified(True)
    card.bcc_edit.editingFinished.emit()
    qtbot.waitUntil(lambda: workspace.email_settings().bcc_address == "pendulum@demo.example.com")
    assert not card.warning_label.isVisible()  # activity tracking is off
    card.activity_box.click()
    qtbot.waitUntil(card.warning_label.isVisible)
    assert "twice" in card.warning_label.text()


@ASYNC_GUI
async def test_refresh_projects_fetches_from_clockwork(sandbox: Sandbox, qtbot: QtBot) -> None:
    await sandbox.connect()
    pane = IntegrationPane(sandbox.ws, sandbox.bridge)
    qtbot.addWidget(pane)
    card = pane.settings
    # New in Clockwork since the connection fetched the list:
    sandbox.state.add_project(
        "Chair – Orrery Payments", "Pitch", "Orrery Payments", "Retained", datetime.now(UTC)
    )
    qtbot.mouseClick(card.refresh_button, Qt.MouseButton.LeftButton)
    assert card.refresh_button.text() == "Refreshing…"
    await until(lambda: card.refresh_button.isEnabled() and card.loaded)
    combo = card.project_combo
    names = [combo.itemText(i) for i in range(combo.count())]
    assert "Chair – Orrery Payments  (Pitch)" in names
    assert not any("Closed" in name for name in names)
    assert card.projects_label.text() == (
        "Fetched 9 projects from Clockwork; 7 projects can receive contacts."
    )
