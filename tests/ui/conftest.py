"""GUI test fixtures: offscreen Qt, a Workspace on a fresh SQLite file, the bridge, the window."""

from __future__ import annotations

import os

# Before anything imports Qt: the tests run headless.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.domain import ContactInput
from app.workspace import Workspace
from ui.bridge import EventBridge
from ui.main_window import MainWindow
from ui.tasks import wait_for_all

HERE = Path(__file__).parent
# The offscreen platform cannot resize native windows to their size hints and says so as a Qt
# warning whenever a shown window's minimum size changes: a limit of the test platform.
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.open(f"sqlite:///{tmp_path / 'e.db'}")
    yield ws
    # Background queries may still be running; they must finish before the engine goes.
    wait_for_all()
    ws.close()


@pytest.fixture
def bridge(workspace: Workspace, qtbot: QtBot) -> Iterator[EventBridge]:
    bridge = EventBridge(workspace.bus, batch_ms=20)
    yield bridge
    bridge.detach()


@pytest.fixture
def window(workspace: Workspace, bridge: EventBridge, qtbot: QtBot) -> MainWindow:
    win = MainWindow(workspace, bridge)
    qtbot.addWidget(win)
    win.show()
    return win


def people(n: int, domain: str = "example.com", company: str = "Acme") -> list[ContactInput]:
    return [
        ContactInput(
            email=f"person{i}@{domain}",
            first_name=f"First{i}",
            last_name=f"Last{i}",
            company=company,
            title="CFO",
        )
        for i in range(n)
    ]


def calls(obj: object, name: str, monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    """Record each call of obj.name (still calling through); returns the list of arguments."""
    seen: list[tuple[object, ...]] = []
    real = getattr(obj, name)

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(obj, name, spy)
    return seen
