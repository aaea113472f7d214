"""The import dialog's editable column mapping: a change re-reads the preview, Import uses it
and remembers it, and the next file with the same header starts from it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.domain import ContactFilter
from app.workspace import Workspace
from tests.ui.contacts.test_import_dialog import cells, open_dialog
from ui.contacts.import_dialog import ImportDialog

# "Employer" and "Role" are no header synonyms: the detector leaves them unmapped.
HEADER = "First Name,Last Name,Email,Employer,Role\n"
ROWS = "Ada,Byron,ada@example.com,Analytical Engines,Countess\n"


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def write(tmp_path: Path, name: str, rows: str = ROWS) -> Path:
    path = tmp_path / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def read(dialog: ImportDialog, path: Path, qtbot: QtBot) -> None:
    dialog.set_path(path)
    qtbot.waitUntil(dialog.import_button.isEnabled)


def test_a_changed_combo_refreshes_the_preview(
    workspace: Workspace, parent: QWidget, tmp_path: Path, qtbot: QtBot
) -> None:
    seq = workspace.create_sequence("Board search")
    dialog = open_dialog(workspace, parent, qtbot, seq.id)
    read(dialog, write(tmp_path, "a.csv"), qtbot)
    preview = dialog.preview
    assert cells(preview.sample, 2) == [""]  # Company
    assert preview.mapping.shown()["Employer"] == "Not imported"

    preview.mapping.choose(3, "company")
    qtbot.waitUntil(lambda: cells(preview.sample, 2) == ["Analytical Engines"])
    assert preview.mapping.shown()["Employer"] == "Company"
    assert "Employer" not in preview.unmapped.text()
    assert dialog.import_button.isEnabled()


def test_a_field_taken_by_another_column_leaves_the_first_unset(
    workspace: Workspace, parent: QWidget, tmp_path: Path, qtbot: QtBot
) -> None:
    dialog = open_dialog(workspace, parent, qtbot, None)
    read(dialog, write(tmp_path, "a.csv"), qtbot)
    dialog.preview.mapping.choose(4, "first_name")  # Role as first name
    qtbot.waitUntil(lambda: cells(dialog.preview.sample, 0) == ["Countess Byron"])
    assert dialog.preview.mapping.shown()["First Name"] == "Not imported"


def test_no_email_column_is_explained_and_blocks_import(
    workspace: Workspace, parent: QWidget, tmp_path: Path, qtbot: QtBot
) -> None:
    dialog = open_dialog(workspace, parent, qtbot, None)
    read(dialog, write(tmp_path, "a.csv"), qtbot)
    dialog.preview.mapping.choose(2, None)
    qtbot.waitUntil(dialog.error_label.isVisible)
    assert "No column is mapped to Email" in dialog.error_label.text()
    assert not dialog.import_button.isEnabled()
    assert dialog.preview.isVisible()  # so the mapping can be put right
    dialog.preview.mapping.choose(2, "email")
    qtbot.waitUntil(dialog.import_button.isEnabled)


def test_import_uses_the_mapping_and_the_same_layout_starts_from_it(
    workspace: Workspace, parent: QWidget, tmp_path: Path, qtbot: QtBot
) -> None:
    seq = workspace.create_sequence("Board search")
    dialog = open_dialog(workspace, parent, qtbot, seq.id)
    read(dialog, write(tmp_path, "a.csv"), qtbot)
    dialog.preview.mapping.choose(3, "company")
    qtbot.waitUntil(lambda: cells(dialog.preview.sample, 2) == ["Analytical Engines"])
    with qtbot.waitSignal(dialog.imported):
        dialog.import_button.click()
    (row,) = workspace.contacts_page(ContactFilter(sequence_id=seq.id), 0, 10)
    assert row.company == "Analytical Engines"
    dialog.close()

    other = write(tmp_path, "b.csv", "Grace,Hopper,grace@example.com,US Navy,Admiral\n")
    again = open_dialog(workspace, parent, qtbot, seq.id)
    read(again, other, qtbot)
    assert again.preview.mapping.shown()["Employer"] == "Company"
    assert cells(again.preview.sample, 2) == ["US Navy"]
    with qtbot.waitSignal(again.imported):
        again.import_button.click()
    grace = workspace.contacts_page(ContactFilter(search="grace"), 0, 10)
    assert [c.company for c in grace] == ["US Navy"]
