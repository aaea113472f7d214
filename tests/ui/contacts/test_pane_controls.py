"""The Contacts pane's newer controls: the search box's limit and errors, the "at least"
count, the candidate-status filter, Retry all errors."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from app.domain import ContactFilter, ContactSyncState
from app.store.contact_pages import COUNT_CAP
from app.store.models import Candidacy, Contact, SyncRecord
from app.workspace import MAX_SEARCH, Workspace
from tests.ui.conftest import calls, people
from ui.contacts.candidate_filter import ALL, NONE
from ui.contacts.pane import ContactsPane
from ui.main_window import MainWindow


@pytest.fixture
def pane(window: MainWindow, workspace: Workspace, qtbot: QtBot) -> ContactsPane:
    workspace.add_contacts(workspace.create_sequence("Finance").id, people(12))
    window.show_pane("Contacts")
    pane = window.contacts_pane
    qtbot.waitUntil(lambda: pane.count_label.text() == "12 contacts")
    return pane


def test_the_search_box_stops_at_the_stores_limit(pane: ContactsPane) -> None:
    assert MAX_SEARCH == 200
    assert pane.search_edit.maxLength() == MAX_SEARCH
    pane.search_edit.setText("x" * 250)
    assert len(pane.search_edit.text()) == MAX_SEARCH


def test_a_counts_input_error_shows_under_the_search_field(
    pane: ContactsPane, qtbot: QtBot
) -> None:
    pane.model.set_filter(ContactFilter(search="y" * (MAX_SEARCH + 1)))  # as a paste could
    qtbot.waitUntil(pane.search_error.isVisible)
    assert pane.search_error.text().startswith("A search can be at most 200 characters")
    pane.model.set_filter(ContactFilter(search="person1"))
    qtbot.waitUntil(lambda: not pane.search_error.isVisible())


def test_a_short_search_says_searching_until_counted(
    pane: ContactsPane, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    said: list[str] = []
    pane.count_label.setText = said.append  # type: ignore[method-assign]
    pane.search_edit.setText("n1")
    pane._apply_filter()
    assert said[0] == "Searching…"
    qtbot.waitUntil(lambda: said[-1] == "3 contacts")  # person1, person10, person11


def test_an_at_least_count_says_so(window: MainWindow, workspace: Workspace, qtbot: QtBot) -> None:
    workspace.add_contacts(workspace.create_sequence("Big").id, people(COUNT_CAP + 100))
    window.show_pane("Contacts")
    pane = window.contacts_pane
    seen: list[str] = []
    pane.model.totalChanged.connect(lambda _n: seen.append(pane.count_label.text()))
    pane.search_edit.setText("example")
    pane._apply_filter()
    everyone = f"{COUNT_CAP + 100:,} contacts"
    qtbot.waitUntil(lambda: pane.count_label.text() == everyone)
    assert list(dict.fromkeys(seen)) == [f"at least {COUNT_CAP:,} contacts", everyone]


def test_the_candidate_status_filter_narrows_the_table(
    pane: ContactsPane, workspace: Workspace, qtbot: QtBot
) -> None:
    with workspace.store.write() as session:
        contact_id = session.scalar(
            Contact.__table__.select().with_only_columns(Contact.id).limit(1)
        )
        session.execute(update(SyncRecord).values(project_id="p1"))
        session.add(
            Candidacy(
                contact_id=contact_id, project_id="p1", clockwork_candidacy_id="c1", status="Placed"
            )
        )
    pane.candidate_filter.add_statuses(["Placed"])
    pane.candidate_filter.combo.setCurrentIndex(pane.candidate_filter.combo.findData("Placed"))
    qtbot.waitUntil(lambda: pane.count_label.text() == "1 contact")
    assert pane.model.contact_filter.candidate_statuses == frozenset({"Placed"})
    pane.candidate_filter.combo.setCurrentText(NONE)
    qtbot.waitUntil(lambda: pane.count_label.text() == "11 contacts")
    assert pane.model.contact_filter.candidate_statuses == frozenset({""})


def test_retry_all_errors_retries_every_contact_in_error(
    pane: ContactsPane, workspace: Workspace, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    with workspace.store.write() as session:
        session.execute(
            update(SyncRecord)
            .where(SyncRecord.contact_id <= 3)
            .values(state=ContactSyncState.ERROR.value, last_error="Gave up after 8 failed")
        )
    retried: list[list[int]] = []
    monkeypatch.setattr(pane.sync_actions, "retry", retried.append)
    pages = calls(workspace, "contacts_page", monkeypatch)
    pane.retry_button.click()
    qtbot.waitUntil(lambda: retried == [[1, 2, 3]])
    assert pages == []


def test_statuses_read_later_join_one_alphabetical_list_and_keep_the_choice(
    pane: ContactsPane, qtbot: QtBot
) -> None:
    """The stopping statuses come at start, the firm's others after a refresh."""
    combo = pane.candidate_filter.combo
    qtbot.waitUntil(lambda: combo.count() > 2)  # the stopping statuses, read at start

    def statuses() -> list[str]:
        return [combo.itemText(i) for i in range(2, combo.count())]

    stopping = statuses()
    combo.setCurrentIndex(combo.findData(stopping[-1]))
    qtbot.waitUntil(lambda: pane.model.contact_filter.candidate_statuses == {stopping[-1]})
    filters: list[None] = []
    pane.model.filterChanged.connect(lambda: filters.append(None))
    pane.candidate_filter.add_statuses(["benchmark", stopping[0], "Interviewing", "Zeta"])
    assert [combo.itemText(i) for i in range(2)] == [ALL, NONE]
    assert statuses() == sorted({*stopping, "benchmark", "Interviewing", "Zeta"}, key=str.casefold)
    assert statuses().index("benchmark") < statuses().index(stopping[-1])
    assert combo.currentData() == stopping[-1]
    assert filters == []  # the same choice: no reload
