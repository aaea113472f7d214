"""The Team pane: Owners manage teammates and clone settings; Members see it read-only."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox, QTreeWidgetItem, QWidget
from pytestqt.qtbot import QtBot

from app.domain import IntegrationKind, Role, SyncMode
from app.errors import PermissionDenied
from app.team.permissions import CLONE_NOT_A_MANAGER, NOT_A_MANAGER
from app.workspace import Workspace
from tests.ui.conftest import calls
from ui.main_window import MainWindow
from ui.runtime.bridge import EventBridge
from ui.team.dialogs import CloneDialog, TeammateDialog
from ui.team.pane import COLUMNS, TeamPane

CW = IntegrationKind.CLOCKWORK


def build_team(ws: Workspace) -> Workspace:
    """Owner on Clockwork, a Manager with settings of her own, Members on each integration.
    Returns the workspace acting as the Manager."""
    team = ws.team
    team.update(ws.me().email, integration=CW)
    team.add("Mia Manager", "mia@firm.com", role=Role.MANAGER, groups=["Partners"], integration=CW)
    team.add("Ben Member", "ben@firm.com", groups=["Partners"], integration=CW)
    team.add("Lou London", "lou@firm.com", groups=["London"], integration=CW)
    team.add("Olga Other", "olga@firm.com", groups=["Partners"], integration=IntegrationKind.OTHER)
    team.add("Nell None", "nell@firm.com", groups=["Partners"])
    manager = Workspace(ws.store, user_email="mia@firm.com")
    manager.update_clockwork_settings(sync_mode=SyncMode.ON_ADD, dedup=False, rate_limit=2.5)
    return manager


def make_pane(ws: Workspace, bridge: EventBridge, qtbot: QtBot) -> TeamPane:
    pane = TeamPane(ws, bridge)
    qtbot.addWidget(pane)
    pane.resize(1000, 500)
    pane.show()
    qtbot.waitUntil(lambda: pane.snapshot is not None)
    return pane


def column(pane: TeamPane, name: str) -> list[str]:
    col = COLUMNS.index(name)
    return [pane.table.item(r, col).text() for r in range(pane.table.rowCount())]


def select(pane: TeamPane, email: str) -> None:
    pane.table.selectRow(column(pane, "Email").index(email))


def click(widget: QWidget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def teammate_dialog(pane: TeamPane, qtbot: QtBot) -> TeammateDialog:
    dialog = pane.dialog
    assert isinstance(dialog, TeammateDialog)
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_owner_sees_enabled_buttons_and_the_team(
    workspace: Workspace, bridge: EventBridge, qtbot: QtBot
) -> None:
    build_team(workspace)
    pane = make_pane(workspace, bridge, qtbot)
    assert "ben@firm.com" in column(pane, "Email")
    assert column(pane, "Integration").count("Another integration") == 1
    assert not pane.note.isVisible()
    assert pane.add_button.isEnabled()
    assert pane.clone_button.isEnabled()
    assert not pane.edit_button.isEnabled()  # nobody chosen yet
    select(pane, "ben@firm.com")
    assert pane.edit_button.isEnabled()
    assert pane.remove_button.isEnabled()
    select(pane, workspace.me().email)
    assert not pane.remove_button.isEnabled()
    assert "yourself" in pane.remove_button.toolTip()


def test_owner_adds_a_teammate_with_a_new_group(
    workspace: Workspace, bridge: EventBridge, qtbot: QtBot
) -> None:
    pane = make_pane(workspace, bridge, qtbot)
    click(pane.add_button)
    dialog = teammate_dialog(pane, qtbot)
    qtbot.keyClicks(dialog.name_edit, "Ada Analyst")
    qtbot.keyClicks(dialog.email_edit, "ada@firm.com")
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData(Role.MANAGER))
    dialog.integration_combo.setCurrentIndex(dialog.integration_combo.findData(CW))
    qtbot.keyClicks(dialog.new_group, "Research")
    click(dialog.ok_button)
    click(dialog.ok_button)  # a double click adds once
    qtbot.waitUntil(lambda: pane.dialog is None)
    qtbot.waitUntil(lambda: "ada@firm.com" in column(pane, "Email"))
    mate = workspace.team.member("ada@firm.com")
    assert (mate.role, mate.groups, mate.integration) == (Role.MANAGER, ("Research",), CW)


def test_a_refusal_is_shown_in_the_dialog(
    workspace: Workspace, bridge: EventBridge, qtbot: QtBot
) -> None:
    build_team(workspace)
    pane = make_pane(workspace, bridge, qtbot)
    pane.add_teammate()
    dialog = teammate_dialog(pane, qtbot)
    qtbot.keyClicks(dialog.name_edit, "Ben Again")
    qtbot.keyClicks(dialog.email_edit, "BEN@firm.com")
    click(dialog.ok_button)
    qtbot.waitUntil(dialog.error_label.isVisible)
    assert dialog.isVisible()
    assert dialog.ok_button.isEnabled()
    assert "ben@firm.com" in dialog.error_label.text().casefold()
    dialog.reject()
    qtbot.waitUntil(lambda: pane.dialog is None)


def test_owner_edits_a_teammate(workspace: Workspace, bridge: EventBridge, qtbot: QtBot) -> None:
    build_team(workspace)
    pane = make_pane(workspace, bridge, qtbot)
    select(pane, "ben@firm.com")
    click(pane.edit_button)
    dialog = teammate_dialog(pane, qtbot)
    assert dialog.name_edit.text() == "Ben Member"
    checked = [
        dialog.group_list.item(i).text()
        for i in range(dialog.group_list.count())
        if dialog.group_list.item(i).checkState() == Qt.CheckState.Checked
    ]
    assert checked == ["Partners"]
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData(Role.MANAGER))
    dialog.email_edit.clear()
    qtbot.keyClicks(dialog.email_edit, "benjamin@firm.com")
    qtbot.keyClicks(dialog.new_group, "London")  # an existing group is just checked
    dialog.add_group()
    assert dialog.group_list.count() == 2
    click(dialog.ok_button)
    qtbot.waitUntil(lambda: pane.dialog is None)
    qtbot.waitUntil(lambda: "benjamin@firm.com" in column(pane, "Email"))
    mate = workspace.team.member("benjamin@firm.com")
    assert mate.role == Role.MANAGER
    assert set(mate.groups) == {"London", "Partners"}


def test_owner_removes_a_teammate_after_confirming(
    workspace: Workspace, bridge: EventBridge, qtbot: QtBot
) -> None:
    build_team(workspace)
    pane = make_pane(workspace, bridge, qtbot)
    select(pane, "nell@firm.com")
    click(pane.remove_button)
    box = pane.dialog
    assert isinstance(box, QMessageBox)
    assert "sequences" in box.informativeText()
    assert "contacts stay" in box.informativeText()
    confirm = next(b for b in box.buttons() if b.text() == "Remove teammate")
    click(confirm)
    qtbot.waitUntil(lambda: "nell@firm.com" not in column(pane, "Email"))
    assert pane.dialog is None
    assert not pane.error_label.isVisible()


def test_member_sees_the_team_read_only(
    workspace: Workspace, bridge: EventBridge, qtbot: QtBot
) -> None:
    build_team(workspace)
    member = Workspace(workspace.store, user_email="ben@firm.com")
    pane = make_pane(member, bridge, qtbot)
    assert len(column(pane, "Email")) == 6
    assert pane.note.isVisible()
    assert pane.note.text() == NOT_A_MANAGER
    select(pane, "nell@firm.com")
    for each in (pane.add_button, pane.edit_button, pane.remove_button):
        assert not each.isEnabled()
        assert each.toolTip() == NOT_A_MANAGER
    assert not pane.clone_button.isEnabled()
    assert pane.clone_button.toolTip() == CLONE_NOT_A_MANAGER
    pane.edit_teammate()  # a double click on a row opens nothing
    assert pane.dialog is None
    with pytest.raises(PermissionDenied):
        member.team.add("Eve", "eve@firm.com")
    with pytest.raises(PermissionDenied):
        member.team.preview_clone()


def rows(item: QTreeWidgetItem) -> list[tuple[str, str]]:
    return [(item.child(i).text(0), item.child(i).text(1)) for i in range(item.childCount())]


def test_clone_previews_changes_and_skips_then_applies(
    workspace: Workspace, bridge: EventBridge, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    manager = build_team(workspace)
    pane = make_pane(manager, bridge, qtbot)
    assert pane.clone_button.isEnabled()
    click(pane.clone_button)
    dialog = pane.dialog
    assert isinstance(dialog, CloneDialog)
    qtbot.waitUntil(lambda: dialog.plan is not None)
    changing, skipped = dialog.tree.topLevelItem(0), dialog.tree.topLevelItem(1)
    assert changing.text(0) == "Will change (3)"
    names = [name for name, _ in rows(changing)]
    assert "Ben Member" in names
    assert "Lou London" in names
    ben = changing.child(names.index("Ben Member"))
    assert ("Sync mode", "off → on-add") in rows(ben)
    assert ("Deduplication", "on → off") in rows(ben)
    assert ("Olga Other", "uses another integration") in rows(skipped)
    assert ("Nell None", "has no integration set up") in rows(skipped)
    assert ("Mia Manager", "that's you") in rows(skipped)

    dialog.scope.setCurrentIndex(dialog.scope.findData("London"))
    qtbot.waitUntil(lambda: dialog.plan is not None and dialog.plan.group == "London")
    assert [n for n, _ in rows(dialog.tree.topLevelItem(0))] == ["Lou London"]
    assert dialog.confirm_button.isEnabled()

    seen = calls(manager.team, "clone_settings", monkeypatch)
    click(dialog.confirm_button)
    dialog.confirm()  # a second click while cloning does nothing
    qtbot.waitUntil(lambda: dialog.updated is not None)
    assert seen == [("London",)]
    assert dialog.updated == 1
    assert "1 teammate" in dialog.done_label.text()
    assert workspace.team.member("lou@firm.com").settings.rate_limit == 2.5
    assert workspace.team.member("ben@firm.com").settings.rate_limit != 2.5
    dialog.reject()
    qtbot.waitUntil(lambda: pane.dialog is None)


def test_team_changes_elsewhere_refresh_the_table(
    workspace: Workspace, bridge: EventBridge, qtbot: QtBot
) -> None:
    pane = make_pane(workspace, bridge, qtbot)
    workspace.team.add("Zoe Zed", "zoe@firm.com", groups=["Board"])
    qtbot.waitUntil(lambda: "zoe@firm.com" in column(pane, "Email"))
    assert column(pane, "Groups")[column(pane, "Email").index("zoe@firm.com")] == "Board"


def test_the_window_has_a_team_pane(window: MainWindow) -> None:
    window.show_pane("Team")
    assert window.current_pane() == "Team"
    # Built the first time it is opened, inside the stack's page for it.
    assert window.stack.currentWidget().isAncestorOf(window.team_pane)
    assert not window.team_pane.isHidden()
