"""The CSV import dialog: preview, errors, import off the GUI thread, one import per click."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from app.domain import ContactFilter
from app.workspace import Workspace
from tests.ui.conftest import calls
from ui.contacts.import_dialog import ImportDialog, open_import_dialog
from ui.contacts.sequence_picker import NEW_SEQUENCE

CSV = (
    "First Name,Last Name,Email,Company,Notes\n"
    "Ada,Byron,ada@example.com,Analytical Engines,met in May\n"
    "Bad,Row,not-an-email,Nowhere,\n"
    "Grace,Hopper,grace@example.com,US Navy,\n"
    "Grace,H,GRACE@example.com,,same person\n"
)


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    path = tmp_path / "cfo_longlist.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def open_dialog(
    workspace: Workspace, parent: QWidget, qtbot: QtBot, seq: int | None
) -> ImportDialog:
    dialog = open_import_dialog(workspace, parent, seq)
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.loaded)
    return dialog


def cells(table: object, column: int) -> list[str]:
    return [table.item(r, column).text() for r in range(table.rowCount())]  # type: ignore[attr-defined]


def test_preview_shows_mapping_counts_and_rejected_rows(
    workspace: Workspace, parent: QWidget, csv_file: Path, qtbot: QtBot
) -> None:
    seq = workspace.create_sequence("CFO search")
    dialog = open_dialog(workspace, parent, qtbot, seq.id)
    assert not dialog.import_button.isEnabled()
    dialog.set_path(csv_file)
    qtbot.waitUntil(dialog.preview.isVisible)
    preview = dialog.preview
    assert "2 contacts" in preview.summary.text()
    assert "1 duplicate merged" in preview.summary.text()
    assert "1 row rejected" in preview.summary.text()
    assert preview.mapping.shown() == {
        "First Name": "First name",
        "Last Name": "Last name",
        "Email": "Email",
        "Company": "Company",
        "Notes": "Not imported",
    }
    assert "Not imported: Notes" in preview.unmapped.text()
    assert cells(preview.rejected, 0) == ["3"]
    assert "not-an-email" in cells(preview.rejected, 1)[0]
    assert cells(preview.sample, 1) == ["ada@example.com", "grace@example.com"]
    assert dialog.import_button.isEnabled()


def test_import_adds_contacts_and_reports(
    workspace: Workspace, parent: QWidget, csv_file: Path, qtbot: QtBot
) -> None:
    seq = workspace.create_sequence("CFO search")
    dialog = open_dialog(workspace, parent, qtbot, seq.id)
    dialog.set_path(csv_file)
    qtbot.waitUntil(dialog.import_button.isEnabled)
    with qtbot.waitSignal(dialog.imported) as imported:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert imported.args[0].added == 2
    assert workspace.count_contacts(ContactFilter(sequence_id=seq.id)) == 2
    assert dialog.result_label.text() == "Import finished: 2 new contacts added; 1 row rejected."
    assert not dialog.import_button.isVisible()
    assert not dialog.browse_button.isEnabled()  # done: it only reports now
    assert dialog.close_button.text() == "Close"


def test_unreadable_file_is_explained_in_the_dialog(
    workspace: Workspace, parent: QWidget, tmp_path: Path, qtbot: QtBot
) -> None:
    path = tmp_path / "names.csv"
    path.write_text("Name,Company\nAda,Analytical\n", encoding="utf-8")
    dialog = open_dialog(workspace, parent, qtbot, None)
    dialog.set_path(path)
    qtbot.waitUntil(dialog.error_label.isVisible)
    assert "No email column" in dialog.error_label.text()
    assert not dialog.preview.isVisible()
    assert not dialog.import_button.isEnabled()
    assert dialog.isVisible()


def test_import_into_a_new_sequence(
    workspace: Workspace, parent: QWidget, csv_file: Path, qtbot: QtBot
) -> None:
    dialog = open_dialog(workspace, parent, qtbot, None)
    assert dialog.picker.sequence_id() == NEW_SEQUENCE  # nothing else to choose yet
    dialog.set_path(csv_file)
    assert dialog.picker.new_name() == "cfo longlist"
    dialog.picker.name_edit.clear()
    qtbot.keyClicks(dialog.picker.name_edit, "CFO longlist · Q3")
    qtbot.waitUntil(dialog.import_button.isEnabled)
    with qtbot.waitSignal(dialog.imported):
        dialog.import_button.click()
    [info] = workspace.sequences()
    assert (info.name, info.contact_count) == ("CFO longlist · Q3", 2)


def test_a_duplicate_new_sequence_name_is_shown_inline(
    workspace: Workspace, parent: QWidget, csv_file: Path, qtbot: QtBot
) -> None:
    workspace.create_sequence("cfo longlist")
    dialog = open_dialog(workspace, parent, qtbot, None)
    dialog.picker.combo.setCurrentIndex(dialog.picker.combo.findData(NEW_SEQUENCE))
    dialog.set_path(csv_file)
    qtbot.waitUntil(dialog.import_button.isEnabled)
    dialog.import_button.click()
    # The sequence is created off the GUI thread: the refusal arrives a moment later.
    qtbot.waitUntil(lambda: "already exists" in dialog.error_label.text())
    assert dialog.import_button.isEnabled()


def test_double_click_imports_once_and_closing_waits(
    workspace: Workspace,
    parent: QWidget,
    csv_file: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seq = workspace.create_sequence("CFO search")
    release = threading.Event()
    real_import = workspace.import_csv

    def slow_import(path: Path, sequence_id: int, columns: object = None) -> object:
        release.wait(5)
        return real_import(path, sequence_id)

    monkeypatch.setattr(workspace, "import_csv", slow_import)
    imports = calls(workspace, "import_csv", monkeypatch)
    dialog = open_dialog(workspace, parent, qtbot, seq.id)
    dialog.set_path(csv_file)
    qtbot.waitUntil(dialog.import_button.isEnabled)
    dialog.import_button.click()
    dialog.start_import()  # a second click that slipped through
    assert not dialog.import_button.isEnabled()
    assert dialog.busy.isVisible()
    dialog.reject()  # Escape / Cancel while the transaction runs
    assert dialog.isVisible()
    release.set()
    qtbot.waitUntil(dialog.result_label.isVisible)
    assert len(imports) == 1


def test_choose_file_uses_a_non_blocking_file_dialog(
    workspace: Workspace, parent: QWidget, csv_file: Path, qtbot: QtBot
) -> None:
    dialog = open_dialog(workspace, parent, qtbot, None)
    dialog.browse()
    chooser = dialog.findChild(QFileDialog)
    assert chooser is not None
    qtbot.waitUntil(chooser.isVisible)
    chooser.fileSelected.emit(str(csv_file))  # what accepting a chosen file does
    chooser.close()
    assert dialog.path_edit.text() == str(csv_file)
    qtbot.waitUntil(dialog.preview.isVisible)
