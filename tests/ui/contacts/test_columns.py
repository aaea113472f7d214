"""The contacts table's columns: the progress columns' text, shown and hidden from the header's
menu, reordered by dragging, and remembered in QSettings (a file in tmp_path here)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from app.domain import ContactProgress, ContactSyncState, EnrollmentStatus
from tests.ui.contacts.test_model import RowsWorkspace, contact, loaded
from ui.contacts.cells import COLUMNS
from ui.contacts.model import (
    CANDIDATE,
    LAST_EMAIL,
    NAME,
    PROGRESS,
    RESPONSE,
    STEP,
    ContactsTableModel,
)
from ui.contacts.view import ContactsTableView

KEY = "contacts/columns"


def settings_file(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def model_with(progress: dict[int, ContactProgress] | None = None) -> ContactsTableModel:
    fake = RowsWorkspace([contact(ContactSyncState.SYNCED), contact(ContactSyncState.NOT_SYNCED)])
    fake.contact_progress = lambda _ids, _seq: progress or {}  # type: ignore[method-assign]
    return ContactsTableModel(cast(Any, fake))


def test_the_progress_columns_say_how_far_the_sequence_got(qtbot: QtBot) -> None:
    day = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
    model = model_with({1: ContactProgress(2, EnrollmentStatus.REPLIED, "replied", day, day)})
    qtbot.waitUntil(lambda: loaded(model, 0, STEP) == "2 sent, replied")
    assert loaded(model, 0, RESPONSE) == "Replied 04 Mar 2026"
    assert loaded(model, 0, LAST_EMAIL) == "04 Mar 2026"
    assert (loaded(model, 1, STEP), loaded(model, 1, LAST_EMAIL)) == ("—", "")


def test_columns_hide_show_move_and_are_remembered(qtbot: QtBot, tmp_path: Path) -> None:
    view = ContactsTableView(model_with(), columns_key=KEY, settings=settings_file(tmp_path))
    qtbot.addWidget(view)
    assert all(view.isColumnHidden(c) for c in PROGRESS)  # shown on request only
    menu = view.columns.build_menu()
    actions = {a.text(): a for a in menu.actions()}
    assert not actions["Name"].isEnabled()
    actions["Last email"].setChecked(True)
    actions["Candidate status"].setChecked(False)
    header = view.horizontalHeader()
    header.moveSection(header.visualIndex(LAST_EMAIL), 1)  # as a drag does
    assert not view.isColumnHidden(LAST_EMAIL)
    assert view.isColumnHidden(CANDIDATE)

    again = ContactsTableView(model_with(), columns_key=KEY, settings=settings_file(tmp_path))
    qtbot.addWidget(again)
    assert not again.isColumnHidden(LAST_EMAIL)
    assert again.isColumnHidden(CANDIDATE)
    assert again.isColumnHidden(STEP)
    assert [COLUMNS[c] for c in again.columns.order()[:2]] == ["Name", "Last email"]
    assert again.horizontalHeader().sectionsMovable()
    assert again.horizontalHeader().contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu


def test_a_table_without_a_key_remembers_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    settings = settings_file(tmp_path)
    view = ContactsTableView(model_with(), settings=settings, hidden=(NAME + 1,))
    qtbot.addWidget(view)
    view.columns.show_column(STEP, True)
    assert settings.allKeys() == []
    assert view.isColumnHidden(NAME + 1)


def test_a_fixed_column_is_never_narrower_than_its_title(qtbot: QtBot) -> None:
    view = ContactsTableView(model_with())
    qtbot.addWidget(view)
    header = view.horizontalHeader()
    font = header.font()
    font.setPointSizeF(font.pointSizeF() * 2)  # a user's larger font, or a longer translation
    header.setFont(font)
    view.resize(900, 400)
    view.show()
    qtbot.waitExposed(view)
    view.columns.show_column(STEP, True)
    title_width = header.sectionSizeHint(CANDIDATE)
    assert title_width > 130  # the configured width would cut it
    assert view.columnWidth(CANDIDATE) >= title_width
    assert view.columnWidth(STEP) >= header.sectionSizeHint(STEP)
