"""GUI test fixtures: offscreen Qt, a Workspace on a fresh SQLite file, the bridge, the window,
and for async tests a qasync loop with a Workspace wired to an in-process Clockwork sandbox.

Async tests (`async def test_...`, decorated with ASYNC_GUI) run on a qasync loop, as the app
does, so a widget's coroutines run while the test awaits. One loop serves the whole session:
loops made and dropped per test leave Qt objects for the garbage collector to delete on any
thread. Inside async tests, wait with `await until(...)`, never with qtbot.waitUntil: a nested
Qt loop would step other asyncio tasks inside the test's own step.
"""

from __future__ import annotations

import os

# Before anything imports Qt: the tests run headless.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import asyncio
import gc
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
import qasync
import shiboken6
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.domain import ContactInput, SyncMode
from app.sandbox.harness import sandbox_transport
from app.sandbox.knobs import Knobs
from app.sandbox.seed import DEMO_CREDENTIALS, DEMO_SHARED_PEOPLE, demo_state
from app.sandbox.state import SandboxState
from app.secrets import ENV_NAMES
from app.store import open_store
from app.sync.facade import SyncFacade
from app.sync.outbox import Backoff
from app.workspace import Workspace
from tests.ui.gui_thread_guard import GuiThreadSessions
from ui.main_window import MainWindow
from ui.runtime.bridge import EventBridge
from ui.runtime.task_runner import wait_for_all

HERE = Path(__file__).parent
# The offscreen platform cannot resize native windows to their size hints and says so as a Qt
# warning whenever a shown window's minimum size changes: a limit of the test platform.
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"
# Bringing a dialog to the front (a second "Resync…" while one is open) is a no-op there too.
OFFSCREEN_RAISE = r"This plugin does not support raise\(\)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE, OFFSCREEN_RAISE))


#: Decorates each async GUI test: it runs on the session's one qasync loop.
ASYNC_GUI = pytest.mark.asyncio(loop_scope="session")


def pytest_asyncio_loop_factories(
    config: pytest.Config, item: pytest.Item
) -> dict[str, Callable[[], asyncio.AbstractEventLoop]]:
    """Async GUI tests run on the loop the app runs: asyncio inside Qt's event loop."""

    def qt_loop() -> asyncio.AbstractEventLoop:
        app = QApplication.instance() or QApplication([])
        loop: asyncio.AbstractEventLoop = qasync.QEventLoop(app)
        return loop

    return {"qasync": qt_loop}


async def until(condition: Callable[[], object], seconds: float = 5.0, what: str = "") -> None:
    """Let the loop (Qt's and asyncio's) run until `condition()` holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await asyncio.sleep(0.01)


@dataclass
class Sandbox:
    """A Workspace whose Clockwork is an in-process sandbox (no socket), and its bridge."""

    ws: Workspace
    state: SandboxState
    knobs: Knobs
    bridge: EventBridge

    async def connect(self, **settings: Any) -> None:
        creds = DEMO_CREDENTIALS
        await self.ws.connect_clockwork(
            creds.firm, creds.api_key, creds.secret_key, creds.firm_service_key
        )
        options: dict[str, Any] = {"sync_mode": SyncMode.ON_ADD, "rate_limit": 100.0}
        self.ws.update_clockwork_settings(**(options | settings))

    def project_id(self, name_start: str) -> str:
        return next(p.id for p in self.ws.projects() if p.name.startswith(name_start))


@pytest_asyncio.fixture(loop_scope="session")
async def sandbox(
    tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Sandbox]:
    for name in ENV_NAMES:  # keys in the environment would win over the ones typed
        monkeypatch.delenv(name, raising=False)
    state, knobs = demo_state(), Knobs()
    ws = Workspace(
        open_store(f"sqlite:///{tmp_path / 's.db'}"), transport=sandbox_transport(state, knobs)
    )
    ws.sync.backoff = Backoff(base=0.005, cap=0.05)
    bridge = EventBridge(ws.bus, batch_ms=20)
    yield Sandbox(ws, state, knobs, bridge)
    retire(bridge)
    settle_before_closing()
    await ws.aclose()
    ws.close()


@asynccontextmanager
async def background_sync(ws: Workspace) -> AsyncIterator[SyncFacade]:
    """The app's background sync (`ws.sync.run_forever()`), stopped before the test ends."""
    task = asyncio.get_running_loop().create_task(ws.sync.run_forever(idle_seconds=0.2))
    await until(lambda: ws.sync.running, what="the background sync to start")
    try:
        yield ws.sync
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


def shared(i: int) -> ContactInput:
    """A contact whose email the sandbox firm already has."""
    p = DEMO_SHARED_PEOPLE[i]
    return ContactInput(p.email, p.first_name, p.last_name, p.title, p.company)


@pytest.fixture(autouse=True)
def _no_store_on_the_gui_thread() -> Iterator[None]:
    """The threading rule: no pane opens a database session on the GUI thread."""
    with GuiThreadSessions() as sessions:
        yield
    sites = sorted(sessions.sites)
    assert sites == [], "\n".join(["GUI-thread sessions:", *sites, sessions.found[0]])


@pytest.fixture(autouse=True)
def _collect_garbage_here() -> Iterator[None]:
    """Collect each test's garbage on the GUI thread: a Qt object left to the cyclic GC could
    otherwise be deleted on whichever thread next triggers a collection (a query's thread)."""
    yield
    gc.collect()


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.open(f"sqlite:///{tmp_path / 'e.db'}")
    yield ws
    settle_before_closing()
    ws.close()


def settle_before_closing() -> None:
    """Delete the widgets pytest-qt closed (their timers must not query a closed Workspace),
    then let the background queries still running finish before the engine goes."""
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    wait_for_all()


@pytest.fixture
def bridge(workspace: Workspace, qtbot: QtBot) -> Iterator[EventBridge]:
    bridge = EventBridge(workspace.bus, batch_ms=20)
    yield bridge
    retire(bridge)


def retire(bridge: EventBridge) -> None:
    """Stop the bridge and delete it, so no batched refresh fires once the Workspace closed.
    Queries still running may publish through it, so they finish first."""
    bridge.detach()
    settle_before_closing()
    shiboken6.delete(bridge)


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


def two_sequences(workspace: Workspace, first: int, second: int) -> tuple[int, int]:
    """ "Finance leaders" with `first` people at example.com and "Engineering leaders" with
    `second` at globex.com (company Globex); their ids."""
    one = workspace.create_sequence("Finance leaders")
    two = workspace.create_sequence("Engineering leaders")
    workspace.add_contacts(one.id, people(first))
    workspace.add_contacts(two.id, people(second, domain="globex.com", company="Globex"))
    return one.id, two.id


def calls(obj: object, name: str, monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    """Record each call of obj.name (still calling through); returns the list of arguments."""
    seen: list[tuple[object, ...]] = []
    real = getattr(obj, name)

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(obj, name, spy)
    return seen
