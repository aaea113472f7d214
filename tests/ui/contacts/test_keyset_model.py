"""The contacts model at scale: keyset pages from anchors, "at least" counts that grow, and
what each page shows beside its rows (candidate status, opt-out, the sync error)."""

from __future__ import annotations

from typing import Any, cast

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.domain import ContactFilter, ContactSyncState
from app.store.contact_pages import COUNT_CAP
from app.workspace import Workspace
from tests.ui.conftest import calls, people
from tests.ui.contacts.test_model import RowsWorkspace, contact, loaded
from ui.contacts.model import CANDIDATE, NAME, PAGE_SIZE, STATE, ContactsTableModel

TIP = Qt.ItemDataRole.ToolTipRole


def test_a_jump_to_the_middle_of_20000_reads_after_an_anchor_never_an_offset(
    workspace: Workspace, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace.add_contacts(workspace.create_sequence("Big").id, people(20_000))
    offsets = calls(workspace, "contacts_page", monkeypatch)
    pages = calls(workspace, "contacts_after", monkeypatch)
    anchors = calls(workspace, "contact_anchors", monkeypatch)
    model = ContactsTableModel(workspace)
    qtbot.waitUntil(lambda: model.rowCount() == 20_000)
    middle = 10_000 + 57
    qtbot.waitUntil(lambda: loaded(model, middle) == f"person{middle}@example.com", timeout=10_000)
    assert offsets == []
    assert len(anchors) == 1
    number = middle // PAGE_SIZE
    assert [p[1] for p in pages] == [number * PAGE_SIZE]  # the key of row 10,000: id 10,000
    # The next page starts after this one's last row, no anchor needed.
    loaded(model, middle + PAGE_SIZE)
    qtbot.waitUntil(lambda: len(pages) == 2)
    assert pages[1][1] == (number + 1) * PAGE_SIZE
    assert offsets == []


def test_an_at_least_count_grows_the_table_without_a_reset(
    workspace: Workspace, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace.add_contacts(workspace.create_sequence("Big").id, people(6_000))
    model = ContactsTableModel(workspace)
    qtbot.waitUntil(lambda: model.rowCount() == 6_000)
    resets = calls(model, "beginResetModel", monkeypatch)
    totals: list[tuple[int, bool]] = []
    model.totalChanged.connect(lambda n: totals.append((n, model.exact)))
    with qtbot.waitSignal(model.rowsInserted) as inserted:
        model.set_filter(ContactFilter(search="example"))  # matches all: past the quick cap
    assert inserted.args[1:] == [COUNT_CAP, 5_999]
    assert totals == [(COUNT_CAP, False), (6_000, True)]
    assert len(resets) == 1  # the filter change; the exact count only inserted rows


def test_a_filter_change_drops_the_anchors(qtbot: QtBot) -> None:
    rows = [contact(ContactSyncState.NOT_SYNCED) for _ in range(3 * PAGE_SIZE)]
    fake = RowsWorkspace(rows)
    asked: list[ContactFilter] = []
    fake.contact_anchors = lambda flt, every, _sort: (
        asked.append(flt)
        or [  # type: ignore[attr-defined]
            every * n for n in range(1, 4)
        ]
    )
    model = ContactsTableModel(cast(Any, fake))
    qtbot.waitUntil(lambda: len(asked) == 1)
    assert model._anchors == [PAGE_SIZE, 2 * PAGE_SIZE, 3 * PAGE_SIZE]
    fake.rows = fake.rows[:10]
    model.set_filter(ContactFilter(search="ada"))
    qtbot.waitUntil(lambda: model.rowCount() == 10)
    assert model._anchors == []  # 10 rows: one page, no anchors fetched for it
    assert len(asked) == 1


def test_candidate_status_column_shows_the_status_and_why_it_stopped(qtbot: QtBot) -> None:
    rows = [
        contact(ContactSyncState.SYNCED, candidate_status="Placed"),
        contact(ContactSyncState.NOT_SYNCED),
    ]
    reason = "Stopped: candidate status “Placed” is a stop status"
    model = ContactsTableModel(cast(Any, RowsWorkspace(rows, stopped={1: reason})))
    qtbot.waitUntil(lambda: loaded(model, 0, CANDIDATE) == "Placed")
    assert model.headerData(CANDIDATE, Qt.Orientation.Horizontal) == "Candidate status"
    assert model.data(model.index(0, CANDIDATE), TIP) == f"Placed: {reason}"
    assert loaded(model, 1, CANDIDATE) == "—"
    assert "No candidate status" in model.data(model.index(1, CANDIDATE), TIP)


def test_an_opted_out_contact_carries_a_badge(qtbot: QtBot) -> None:
    rows = [contact(ContactSyncState.SYNCED), contact(ContactSyncState.NOT_SYNCED, email="b@x.io")]
    model = ContactsTableModel(cast(Any, RowsWorkspace(rows, opted="ada@example.com")))
    qtbot.waitUntil(lambda: loaded(model, 0, NAME) == "Opted out · Ada Byron")
    assert model.is_suppressed_at(model.index(0, NAME))
    assert not model.is_suppressed_at(model.index(1, NAME))
    assert loaded(model, 1, NAME) == "Ada Byron"
    assert "opted out" in model.data(model.index(0, NAME), TIP)


def test_the_last_error_after_giving_up_shows_in_the_state_tooltip(qtbot: QtBot) -> None:
    error = "Gave up after 8 failed attempts without progress; the last: Clockwork answered 503"
    model = ContactsTableModel(cast(Any, RowsWorkspace([contact(ContactSyncState.ERROR, error)])))
    qtbot.waitUntil(lambda: loaded(model, 0, STATE) == "Error")
    assert model.data(model.index(0, STATE), TIP) == f"Error: {error}\nRight-click to retry."


def test_a_too_long_search_is_a_problem_not_a_crash(workspace: Workspace, qtbot: QtBot) -> None:
    model = ContactsTableModel(workspace)
    with qtbot.waitSignal(model.problem, check_params_cb=bool) as problem:
        model.set_filter(ContactFilter(search="x" * 201))
    assert problem.args[0].startswith("A search can be at most 200 characters")
