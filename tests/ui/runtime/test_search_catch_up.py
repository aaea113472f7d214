"""The window indexes for search what bulk adds left waiting, off the GUI thread: a backlog
from the last session at start, and each import's as it completes."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from app.domain import ContactFilter, ContactInput
from app.workspace import Workspace
from ui.main_window import MainWindow
from ui.runtime import search_catch_up
from ui.runtime.bridge import EventBridge

WAITING = "SELECT coalesce(sum(high - low + 1), 0) FROM search_backlog"


def waiting(ws: Workspace) -> int:
    with ws.store.engine.connect() as conn:
        return int(conn.exec_driver_sql(WAITING).scalar() or 0)


def people(start: int, n: int) -> list[ContactInput]:
    return [
        ContactInput(email=f"p{i}@x.com", company=f"Zorbco{i}") for i in range(start, start + n)
    ]


@pytest.fixture(autouse=True)
def _small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rounds of 400 ids: the catch-up takes several, as at a million contacts."""
    monkeypatch.setattr(search_catch_up, "START_DELAY_MS", 50)
    original = Workspace.index_search_backlog
    monkeypatch.setattr(
        Workspace, "index_search_backlog", lambda self, limit=400: original(self, limit)
    )


def test_a_backlog_left_by_the_last_session_is_indexed_after_start(
    workspace: Workspace, bridge: EventBridge, qtbot: QtBot
) -> None:
    seq = workspace.create_sequence("S")
    workspace.add_contacts(seq.id, people(0, 2_500))
    assert waiting(workspace) == 2_500
    window = MainWindow(workspace, bridge)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: waiting(workspace) == 0, timeout=20_000)
    qtbot.waitUntil(lambda: not window.search_catch_up.running)
    assert workspace.count_contacts(ContactFilter(search="zorbco2499")) == 1


def test_an_import_while_the_window_is_open_is_indexed_when_it_completes(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    seq = workspace.create_sequence("S")
    with qtbot.waitSignal(window.search_catch_up.caught_up, timeout=5_000):
        pass  # the round at start, with nothing waiting
    workspace.add_contacts(seq.id, people(0, 1_500))
    assert waiting(workspace) == 1_500
    qtbot.waitUntil(lambda: waiting(workspace) == 0, timeout=20_000)
    qtbot.waitUntil(lambda: not window.search_catch_up.running)
    assert workspace.count_contacts(ContactFilter(search="zorbco1499")) == 1


def test_a_failed_round_is_tried_again_later(
    workspace: Workspace, bridge: EventBridge, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    seq = workspace.create_sequence("S")
    workspace.add_contacts(seq.id, people(0, 1_200))
    monkeypatch.setattr(search_catch_up, "RETRY_MS", 100)
    working = Workspace.index_search_backlog
    failures = [RuntimeError("database is locked")]

    def flaky(self: Workspace, limit: int = 400) -> int:
        if failures:
            raise failures.pop()
        return working(self, limit)

    monkeypatch.setattr(Workspace, "index_search_backlog", flaky)
    window = MainWindow(workspace, bridge)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: waiting(workspace) == 0, timeout=20_000)
    assert failures == []
