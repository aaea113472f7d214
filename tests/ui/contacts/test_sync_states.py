"""The contacts table against a real sync: each state shown, opening a person, the context menu."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import pytest_asyncio
from PySide6.QtCore import QObject, QPoint, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QFont
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.clockwork.rules import person_url
from app.domain import ContactInput, ContactRow, ContactSyncState
from app.sandbox.state import SandboxState
from app.store.models import Sequence
from tests.ui.conftest import ASYNC_GUI, Sandbox, people, shared, until
from ui.contacts.model import EMAIL, STATE
from ui.contacts.pane import ContactsPane
from ui.main_window import MainWindow

ROLE = Qt.ItemDataRole


@dataclass
class Mixed:
    sandbox: Sandbox
    window: MainWindow
    pane: ContactsPane

    def rows(self) -> dict[str, ContactRow]:
        model = self.pane.model
        found = (model.row_at(model.index(r, 0)) for r in range(model.rowCount()))
        return {row.email: row for row in found if row is not None}

    def row_number(self, email: str) -> int:
        model = self.pane.model
        return next(
            r
            for r in range(model.rowCount())
            if model.data(model.index(r, EMAIL), ROLE.DisplayRole) == email
        )

    async def loaded(self) -> None:
        await until(lambda: len(self.rows()) == self.pane.model.rowCount() > 0)


BROKEN = "broken.person@fresh.example.com"
TWIN = ContactInput(
    "nadia.kapoor@new.example.com",
    "Nadia",
    "Kapoor",
    linkedin_url="https://www.linkedin.com/in/nadia-kapoor-4821/",
)


def twin_in_clockwork(state: SandboxState) -> None:
    """Someone in Clockwork with the twin's LinkedIn profile under another email."""
    at = datetime(2024, 5, 2, tzinfo=UTC)
    person_id = str(state.create_person("Nadia", "Kapoor", at=at)["id"])
    state.add_email(person_id, "nkapoor@old.example.com", "work", at)
    state.add_linkedin_url(person_id, TWIN.linkedin_url, at)


@pytest_asyncio.fixture(loop_scope="session")
async def mixed(sandbox: Sandbox, qtbot: QtBot) -> Mixed:
    """Synced, Exists in Clockwork, Error, Not synced and Queued contacts, side by side."""
    ws = sandbox.ws
    await sandbox.connect(dedup=True)
    main = ws.create_sequence("CFO search")
    twin_in_clockwork(sandbox.state)
    ws.add_contacts(main.id, [*people(2, domain="fresh.example.com"), shared(0), TWIN])
    broken = ws.create_sequence("Vanished project")
    with ws.store.write() as session:  # as if the project was deleted in Clockwork later
        session.get_one(Sequence, broken.id).project_id = "999999"
    ws.add_contacts(broken.id, [ContactInput(BROKEN, "Broken", "Person")])
    quiet = ws.create_sequence("Not synced")
    ws.set_sequence_sync(quiet.id, False)
    ws.add_contacts(quiet.id, [ContactInput("quiet@fresh.example.com", "Quiet", "Person")])
    result = await ws.sync.run(max_wait=5)
    assert result.remaining == 0
    ws.add_contacts(main.id, [ContactInput("queued@fresh.example.com", "Queued", "Person")])
    window = MainWindow(ws, sandbox.bridge)
    qtbot.addWidget(window)
    window.resize(1300, 700)
    window.show()
    window.show_pane("Contacts")
    mixed = Mixed(sandbox, window, window.contacts_pane)
    await mixed.loaded()
    return mixed


@ASYNC_GUI
async def test_each_sync_state_shows_with_its_reason(mixed: Mixed) -> None:
    model = mixed.pane.model
    states = {email: row.state for email, row in mixed.rows().items()}
    assert states == {
        "person0@fresh.example.com": ContactSyncState.SYNCED,
        "person1@fresh.example.com": ContactSyncState.SYNCED,
        shared(0).email: ContactSyncState.EXISTS_IN_CLOCKWORK,
        TWIN.email: ContactSyncState.POSSIBLE_DUPLICATE,
        BROKEN: ContactSyncState.ERROR,
        "quiet@fresh.example.com": ContactSyncState.NOT_SYNCED,
        "queued@fresh.example.com": ContactSyncState.QUEUED,
    }

    def cell(email: str, role: ROLE) -> object:
        return model.data(model.index(mixed.row_number(email), STATE), role)

    labels = {email: cell(email, ROLE.DisplayRole) for email in states}
    assert set(labels.values()) == {
        "Synced",
        "Exists in Clockwork",
        "Possible duplicate",
        "Error",
        "Not synced",
        "Queued",
    }
    exists_tip = str(cell(shared(0).email, ROLE.ToolTipRole))
    assert exists_tip.startswith("Exists in Clockwork: Amelia Hartley (Clockwork id ")
    assert exists_tip.endswith("Right-click to link to this person.")
    twin_tip = str(cell(TWIN.email, ROLE.ToolTipRole))
    assert twin_tip.startswith("Possible duplicate: Nadia Kapoor (Clockwork id ")
    assert twin_tip.endswith("or to create a second record anyway.")
    error_tip = str(cell(BROKEN, ROLE.ToolTipRole))
    assert error_tip.startswith("Error: ")
    assert "999999" in error_tip
    synced_tip = str(cell("person0@fresh.example.com", ROLE.ToolTipRole))
    assert synced_tip.startswith("Synced to Clockwork on ")
    assert "Double-click to open" in synced_tip
    font = cell("person0@fresh.example.com", ROLE.FontRole)
    assert isinstance(font, QFont)
    assert font.underline()
    assert cell("quiet@fresh.example.com", ROLE.FontRole) is None


class Browser(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())


def double_click(qtbot: QtBot, widget: QWidget, pos: QPoint) -> None:
    # A real double click is a press and release, then the double-click event.
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(widget, Qt.MouseButton.LeftButton, pos=pos)


@pytest.fixture
def browser() -> Iterator[Browser]:
    handler = Browser()
    QDesktopServices.setUrlHandler("https", handler, "open")
    yield handler
    QDesktopServices.unsetUrlHandler("https")


@ASYNC_GUI
async def test_double_click_or_the_menu_opens_the_person_in_clockwork(
    mixed: Mixed, qtbot: QtBot, browser: Browser
) -> None:
    table = mixed.pane.table
    email = "person0@fresh.example.com"
    row = mixed.rows()[email]
    assert row.clockwork_person_id
    expected = person_url("demo", row.clockwork_person_id)
    number = mixed.row_number(email)
    name_cell = table.visualRect(mixed.pane.model.index(number, 0)).center()
    double_click(qtbot, table.viewport(), name_cell)
    assert browser.opened == []  # only the Clockwork cell is the link
    state_cell = table.visualRect(mixed.pane.model.index(number, STATE)).center()
    double_click(qtbot, table.viewport(), state_cell)
    assert browser.opened == [expected]
    table.selectRow(number)
    menu = mixed.pane.menu.build(number)
    actions = {a.text(): a for a in menu.actions() if a.text()}
    assert actions["Open in Clockwork"].isEnabled()
    actions["Open in Clockwork"].trigger()
    assert browser.opened == [expected, expected]
    quiet = mixed.row_number("quiet@fresh.example.com")
    table.selectRow(quiet)
    menu = mixed.pane.menu.build(quiet)
    assert not next(a for a in menu.actions() if a.text() == "Open in Clockwork").isEnabled()


def menu_actions(mixed: Mixed, email: str) -> dict[str, bool]:
    number = mixed.row_number(email)
    mixed.pane.table.selectRow(number)
    mixed.last_menu = mixed.pane.menu.build(number)  # type: ignore[attr-defined]
    return {a.text(): a.isEnabled() for a in mixed.last_menu.actions() if a.text()}  # type: ignore[attr-defined]


def trigger(mixed: Mixed, text: str) -> None:
    menu = mixed.last_menu  # type: ignore[attr-defined]
    next(a for a in menu.actions() if a.text() == text).trigger()


@ASYNC_GUI
async def test_the_menu_offers_what_applies_and_retry_and_link_work(mixed: Mixed) -> None:
    ws, sandbox = mixed.sandbox.ws, mixed.sandbox
    assert menu_actions(mixed, BROKEN) == {
        "Resync to Clockwork": True,
        "Retry": True,
        "Open in Clockwork": False,
        "Link to existing Clockwork person": False,
        "Create a second record anyway": False,
        "Show sync log": True,
        "Opt-out details…": False,
        "Add to sequence…": True,
        "Remove from sequence…": False,  # all contacts shown: from which sequence?
    }
    with ws.store.write() as session:  # the recruiter picks a project that exists
        for seq in session.query(Sequence):
            seq.project_id = None
    trigger(mixed, "Retry")
    await until(lambda: "Retrying 1 contact" in mixed.window.statusBar().currentMessage())
    exists = shared(0).email
    flagged = menu_actions(mixed, exists)
    assert flagged["Link to existing Clockwork person"]
    assert not flagged["Create a second record anyway"]  # the same email is the same person
    assert not flagged["Retry"]
    trigger(mixed, "Link to existing Clockwork person")
    await until(lambda: "will be linked" in mixed.window.statusBar().currentMessage())
    await ws.sync.run(max_wait=5)
    await until(lambda: mixed.rows()[BROKEN].state is ContactSyncState.SYNCED)
    await until(lambda: mixed.rows()[exists].state is ContactSyncState.SYNCED)
    assert sandbox.state.people_with_email(exists) == 1  # linked, not created again


@ASYNC_GUI
async def test_a_possible_duplicate_can_get_a_second_record(mixed: Mixed) -> None:
    ws, sandbox = mixed.sandbox.ws, mixed.sandbox
    assert menu_actions(mixed, TWIN.email)["Create a second record anyway"]
    trigger(mixed, "Create a second record anyway")
    await until(lambda: "created as new people" in mixed.window.statusBar().currentMessage())
    await ws.sync.run(max_wait=5)
    await until(lambda: mixed.rows()[TWIN.email].state is ContactSyncState.SYNCED)
    assert sandbox.state.people_with_email(TWIN.email) == 1
    assert sandbox.state.people_with_email("nkapoor@old.example.com") == 1
