"""The paged contacts model: counts once per filter, loads a page per visible range."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from types import SimpleNamespace
from typing import Any, cast

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QIcon
from pytestqt.qtbot import QtBot

from app.domain import ContactCount, ContactFilter, ContactRow, ContactSyncState
from app.workspace import Workspace
from tests.ui.conftest import calls, people
from ui.contacts.model import EMAIL, NAME, PAGE_SIZE, STATE, ContactsTableModel

DISPLAY = Qt.ItemDataRole.DisplayRole


def loaded(model: ContactsTableModel, row: int, column: int = EMAIL) -> Any:
    """Ask for a cell the way a view does; the first ask may see the placeholder."""
    return model.data(model.index(row, column), DISPLAY)


def test_counts_and_reads_a_filter(workspace: Workspace, qtbot: QtBot) -> None:
    one = workspace.create_sequence("One")
    two = workspace.create_sequence("Two")
    workspace.add_contacts(one.id, people(3))
    workspace.add_contacts(two.id, people(2, domain="two.com", company="Globex"))
    model = ContactsTableModel(workspace, ContactFilter(sequence_id=two.id))
    qtbot.waitUntil(lambda: model.rowCount() == 2)
    assert model.columnCount() == 9
    assert model.headerData(4, Qt.Orientation.Horizontal, DISPLAY) == "Clockwork"
    qtbot.waitUntil(lambda: loaded(model, 0) == "person0@two.com")
    assert loaded(model, 0, NAME) == "First0 Last0"
    assert loaded(model, 1, STATE) == "Not synced"
    row = model.row_at(model.index(1, 0))
    assert row is not None
    assert (row.company, row.state) == ("Globex", ContactSyncState.NOT_SYNCED)


def test_5000_contacts_load_one_page_per_ask(
    workspace: Workspace, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    seq = workspace.create_sequence("Big")
    workspace.add_contacts(seq.id, people(5000))
    counts = calls(workspace, "contact_count", monkeypatch)
    pages = calls(workspace, "contacts_after", monkeypatch)
    offsets = calls(workspace, "contacts_page", monkeypatch)
    model = ContactsTableModel(workspace)
    with qtbot.waitSignal(model.totalChanged) as total:
        pass
    assert total.args == [5000]
    assert model.rowCount() == 5000
    assert loaded(model, 4999, NAME) == "…"  # not loaded yet: a placeholder, no blocking
    for row in range(4800, 5000):  # the whole last page, asked for while it loads
        loaded(model, row, NAME)
    qtbot.waitUntil(lambda: loaded(model, 4999) == "person4999@example.com")
    assert loaded(model, 4800) == "person4800@example.com"
    assert len(counts) == 1
    assert len(pages) == 1
    assert pages[0][1:3] == (4800, PAGE_SIZE)  # after the key (id) of row 4800, the anchor
    assert offsets == []


def test_same_filter_twice_counts_once(
    workspace: Workspace, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace.add_contacts(workspace.create_sequence("S").id, people(10))
    model = ContactsTableModel(workspace)
    qtbot.waitUntil(lambda: model.rowCount() == 10)
    counts = calls(workspace, "contact_count", monkeypatch)
    model.set_filter(ContactFilter(search="person1"))
    model.set_filter(ContactFilter(search="person1"))
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    assert len(counts) == 1


def test_only_the_latest_filter_wins(workspace: Workspace, qtbot: QtBot) -> None:
    workspace.add_contacts(workspace.create_sequence("S").id, people(30))
    model = ContactsTableModel(workspace)
    for text in ("person", "person2", "person29"):
        model.set_filter(ContactFilter(search=text))
    qtbot.waitUntil(lambda: model.contact_filter.search == "person29" and model.rowCount() == 1)
    qtbot.waitUntil(lambda: loaded(model, 0) == "person29@example.com")


def test_refresh_keeps_showing_rows_while_they_reload(workspace: Workspace, qtbot: QtBot) -> None:
    seq = workspace.create_sequence("S")
    workspace.add_contacts(seq.id, people(3))
    model = ContactsTableModel(workspace)
    qtbot.waitUntil(lambda: loaded(model, 2) == "person2@example.com")
    workspace.add_contacts(seq.id, people(5))
    model.refresh()
    assert loaded(model, 2) == "person2@example.com"  # stale, not a placeholder
    qtbot.waitUntil(lambda: model.rowCount() == 5)
    qtbot.waitUntil(lambda: loaded(model, 4) == "person4@example.com")


class RowsWorkspace:
    """Hands the model fixed rows: states the sync engine would produce (ids are 1, 2, ...)."""

    def __init__(
        self, rows: list[ContactRow], stopped: dict[int, str] | None = None, opted: str = ""
    ) -> None:
        self.rows = [replace(row, id=n) for n, row in enumerate(rows, start=1)]
        self.clockwork = SimpleNamespace(stop_reasons=lambda ids: stopped or {})
        self.suppression = SimpleNamespace(is_suppressed=lambda emails: {opted} - {""})

    def contact_progress(self, _ids: list[int], _sequence_id: int | None) -> dict[int, object]:
        return {}

    def contact_count(self, _flt: ContactFilter) -> ContactCount:
        return ContactCount(len(self.rows), exact=True)

    def contacts_after(
        self, _flt: ContactFilter, after: int | None, limit: int, _sort: object
    ) -> list[ContactRow]:
        return [row for row in self.rows if after is None or row.id > after][:limit]


def contact(
    state: ContactSyncState,
    error: str | None = None,
    *,
    email: str = "ada@example.com",
    candidate_status: str | None = None,
) -> ContactRow:
    return ContactRow(
        id=1,
        email=email,
        first_name="Ada",
        last_name="Byron",
        title="CTO",
        company="Analytical",
        state=state,
        clockwork_person_id="p-1" if state is ContactSyncState.SYNCED else None,
        error=error,
        synced_at=datetime(2025, 3, 4, 9, 30) if state is ContactSyncState.SYNCED else None,
        candidate_status=candidate_status,
    )


def test_state_column_has_label_colour_dot_and_tooltip(qtbot: QtBot) -> None:
    rows = [
        contact(ContactSyncState.ERROR, "Clockwork rejected the phone number"),
        contact(ContactSyncState.SYNCED),
    ]
    model = ContactsTableModel(cast(Any, RowsWorkspace(rows)))
    qtbot.waitUntil(lambda: loaded(model, 0, STATE) == "Error")
    error = model.index(0, STATE)
    assert isinstance(model.data(error, Qt.ItemDataRole.ForegroundRole), QBrush)
    assert isinstance(model.data(error, Qt.ItemDataRole.DecorationRole), QIcon)
    tip = model.data(error, Qt.ItemDataRole.ToolTipRole)
    assert tip == "Error: Clockwork rejected the phone number\nRight-click to retry."
    synced = model.data(model.index(1, STATE), Qt.ItemDataRole.ToolTipRole)
    assert synced == (
        "Synced to Clockwork on 04 Mar 2025 at 09:30\nDouble-click to open the person in Clockwork."
    )
    assert model.data(model.index(1, NAME), Qt.ItemDataRole.ToolTipRole) == "ada@example.com"
