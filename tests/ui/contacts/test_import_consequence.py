"""The import dialog says what Import will do in Clockwork: with sync "on add", that the
contacts are queued at once, how many, and into which project; otherwise why not."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.domain import SyncMode
from app.projects import refresh_projects
from app.workspace import Workspace
from tests.conftest import connect_firm
from tests.ui.contacts.test_import_dialog import csv_file, open_dialog, parent
from tests.ui.integration.test_sync_settings_card import Projects

__all__ = ["csv_file", "parent"]  # fixtures


def said(dialog: object, qtbot: QtBot) -> str:
    label = dialog.consequence_label  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: bool(label.text()) and not label.isHidden())
    return str(label.text())


def test_on_add_says_the_count_and_the_project(
    workspace: Workspace, parent: QWidget, csv_file: Path, qtbot: QtBot
) -> None:
    connect_firm(workspace, "demo")
    asyncio.run(refresh_projects(workspace.store, Projects()))
    workspace.update_clockwork_settings(sync_mode=SyncMode.ON_ADD)
    workspace.set_default_project("p1")
    seq = workspace.create_sequence("CFO search")
    dialog = open_dialog(workspace, parent, qtbot, seq.id)
    dialog.set_path(csv_file)
    assert said(dialog, qtbot) == (
        "Importing queues the 2 contacts to Clockwork at once; they are added to the project "
        "“CFO – Northwind”."
    )
    workspace.set_sequence_project(seq.id, "p3")  # the sequence's own project wins
    dialog.consequence_label.setText("")
    dialog._say_consequence()
    assert said(dialog, qtbot).endswith("the project “CPO – Brightwater”.")
    dialog.reject()


def test_off_and_not_connected_say_nothing_is_sent(
    workspace: Workspace, parent: QWidget, csv_file: Path, qtbot: QtBot
) -> None:
    seq = workspace.create_sequence("CFO search")
    dialog = open_dialog(workspace, parent, qtbot, seq.id)
    dialog.set_path(csv_file)
    assert said(dialog, qtbot).startswith("Escapement is not connected to Clockwork")
    dialog.reject()
    connect_firm(workspace, "demo")
    workspace.update_clockwork_settings(sync_mode=SyncMode.OFF)
    dialog = open_dialog(workspace, parent, qtbot, seq.id)
    dialog.set_path(csv_file)
    assert said(dialog, qtbot) == (
        "Sync to Clockwork is off (Integration): the 2 contacts are not sent to Clockwork."
    )
    dialog.reject()
