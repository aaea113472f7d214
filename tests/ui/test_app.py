"""run_gui: start-up errors, and a shut-down that cancels tasks before the Workspace closes."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtGui import QFont, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

import ui.app
from app.demo import SandboxDemo
from app.domain import ContactFilter
from app.errors import DatabaseTooNew
from app.mail.types import MAIL_RUN
from app.secrets import ENV_NAMES
from app.workspace import Workspace
from ui.app import run_gui
from ui.main_window import MainWindow
from ui.runtime import theme


@pytest.fixture
def args(tmp_path: Path) -> argparse.Namespace:
    return argparse.Namespace(
        data_dir=str(tmp_path), database_url=None, as_user=None, sandbox=False, clockwork_url=None
    )


@pytest.fixture(autouse=True)
def restore_app(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """run_gui configures the process-wide application (names, icon, base font, theme); put
    all of it back for the other tests, which lay out and colour their widgets with the
    application's defaults."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    names = (qapp.applicationName(), qapp.applicationDisplayName(), qapp.organizationName())
    font, palette, icon = QFont(qapp.font()), QPalette(qapp.palette()), QIcon(qapp.windowIcon())
    sheet, quits = qapp.styleSheet(), qapp.quitOnLastWindowClosed()
    yield
    # The controller run_gui installed would go on re-applying its theme to later tests.
    while (left := theme.installed(qapp)) is not None:
        shiboken6.delete(left)
    qapp.styleHints().unsetColorScheme()
    qapp.setApplicationName(names[0])
    qapp.setApplicationDisplayName(names[1])
    qapp.setOrganizationName(names[2])
    qapp.setWindowIcon(icon)
    qapp.setFont(font)
    qapp.setPalette(palette)
    qapp.setStyleSheet(sheet)
    qapp.setQuitOnLastWindowClosed(quits)


def run_gui_until(
    args: argparse.Namespace,
    ready: Callable[[MainWindow], bool],
    then: Callable[[MainWindow], None],
    seconds: int = 10,
) -> int:
    """Runs the app; once its window shows and `ready(window)` holds, calls `then(window)` and
    closes the window. After `seconds` every window closes anyway, so that an assertion
    failing inside the loop cannot hang the suite."""
    poll = QTimer(interval=20)

    def tick() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        # The Workspace opens (and migrates) before the window exists.
        if not windows or not windows[0].isVisible() or not ready(windows[0]):
            return
        poll.stop()
        then(windows[0])
        QTimer.singleShot(50, windows[0].close)

    poll.timeout.connect(tick)
    poll.start()
    deadline = QTimer(singleShot=True, interval=seconds * 1000)
    deadline.timeout.connect(lambda: [w.close() for w in QApplication.topLevelWidgets()])
    deadline.start()
    try:
        return run_gui(args)
    finally:
        deadline.stop()
        poll.stop()


def test_the_pool_has_room_for_a_first_page_beside_long_reads(qapp: QApplication) -> None:
    """On 2 cores Qt's pool has 2 threads; two tables' anchors would hold both."""
    pool = QThreadPool.globalInstance()
    before = pool.maxThreadCount()
    pool.setMaxThreadCount(2)
    try:
        ui.app.make_application()
        assert pool.maxThreadCount() == ui.app.POOL_THREADS
    finally:
        pool.setMaxThreadCount(before)


def test_a_workspace_that_cannot_open_is_explained(
    args: argparse.Namespace, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    def refuse(_args: argparse.Namespace) -> Workspace:
        raise DatabaseTooNew("This database was written by a newer Escapement.")

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(ui.app, "open_workspace", refuse)
    monkeypatch.setattr(
        QMessageBox, "exec", lambda box: shown.append((box.windowTitle(), box.text()))
    )
    assert run_gui(args) == 1
    assert shown == [
        ("Database is newer than this app", "This database was written by a newer Escapement.")
    ]


def test_quitting_cancels_tasks_then_closes_the_workspace_and_bugs_reach_the_hook(
    args: argparse.Namespace, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    order: list[str] = []
    real_open = ui.app.open_workspace

    def open_and_watch(a: argparse.Namespace) -> Workspace:
        ws = real_open(a)
        real_close = ws.close
        monkeypatch.setattr(ws, "close", lambda: (order.append("workspace closed"), real_close()))
        return ws

    async def long_running() -> None:
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            order.append("task cancelled")
            raise

    tasks: list[asyncio.Task[None]] = []
    reported: list[BaseException] = []

    def broken_callback() -> None:
        raise LookupError("a bug inside the asyncio loop")

    monkeypatch.setattr(ui.app, "install_excepthook", lambda: None)
    monkeypatch.setattr(sys, "excepthook", lambda _t, exc, _tb: reported.append(exc))

    def once_shown(window: MainWindow) -> None:
        assert QApplication.applicationName() == "Escapement"
        tasks.append(asyncio.ensure_future(long_running()))
        asyncio.get_running_loop().call_soon(broken_callback)

    monkeypatch.setattr(ui.app, "open_workspace", open_and_watch)
    assert run_gui_until(args, lambda _w: True, once_shown) == 0
    assert order == ["task cancelled", "workspace closed"]
    assert [str(e) for e in reported] == ["a bug inside the asyncio loop"]
    assert (Path(args.data_dir) / "escapement.db").exists()


def test_sandbox_mode_starts_connected_and_stops_the_server_on_quit(
    args: argparse.Namespace, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    for name in ENV_NAMES:  # the demo points the app at its sandbox through the environment
        monkeypatch.setenv(name, "restored-after-the-test")
        monkeypatch.delenv(name)
    demos: list[SandboxDemo] = []
    real_start = SandboxDemo.start

    def start(folder: str | None = None) -> SandboxDemo:
        demos.append(real_start(folder))
        return demos[-1]

    monkeypatch.setattr(SandboxDemo, "start", start)
    monkeypatch.setattr(ui.app, "install_excepthook", lambda: None)
    args.sandbox = True
    seen: dict[str, object] = {}

    def connected(window: MainWindow) -> bool:
        # The health check may still be on its way.
        return window._ws.connection_state().status.value == "connected"

    def look(window: MainWindow) -> None:
        ws = window._ws
        seen["title"] = window.windowTitle()
        seen["status"] = window.connection_label.text()
        seen["contacts"] = ws.count_contacts(ContactFilter())
        seen["sequences"] = len(ws.sequences())

    assert run_gui_until(args, connected, look, seconds=20) == 0
    # Qt shows it as "Clockwork sandbox — Escapement": the app's name once, not twice.
    assert seen["title"] == "Clockwork sandbox"
    assert seen["status"] == "Connected to Clockwork (demo)"
    assert seen["contacts"] > 300
    assert seen["sequences"] == 3
    [demo] = demos
    assert demo.server._thread is None  # stopped once the workspace closed


def test_the_mail_scheduler_runs_while_the_window_is_open_and_stops_on_quit(
    args: argparse.Namespace, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    passes: list[dict[str, object]] = []
    after_close: list[int] = []
    real_open = ui.app.open_workspace

    def open_and_watch(a: argparse.Namespace) -> Workspace:
        ws = real_open(a)
        ws.bus.subscribe(MAIL_RUN, lambda event: passes.append(dict(event.data)))
        real_close = ws.close
        monkeypatch.setattr(ws, "close", lambda: (after_close.append(len(passes)), real_close()))
        return ws

    monkeypatch.setattr(ui.app, "install_excepthook", lambda: None)
    monkeypatch.setattr(ui.app, "open_workspace", open_and_watch)
    seen: dict[str, str] = {}

    def a_pass_ran(window: MainWindow) -> bool:
        return bool(passes) and window.status.mail_label.isVisible()

    def look(window: MainWindow) -> None:
        seen["mail"] = window.status.mail_label.text()
        seen["tasks"] = ",".join(sorted(t.get_name() for t in asyncio.all_tasks()))

    assert run_gui_until(args, a_pass_ran, look) == 0
    assert passes[0]["sent"] == 0
    assert passes[0]["errors"] == []
    assert seen["mail"] == "Mail: not set up"  # no mailbox in this data dir
    assert "mail" in seen["tasks"].split(",")
    assert after_close == [len(passes)]  # no pass ran after the workspace closed


def test_the_candidate_status_schedule_runs_while_the_window_is_open_and_stops_on_quit(
    args: argparse.Namespace, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    refreshes: list[str] = []
    cancelled: list[bool] = []
    real_open = ui.app.open_workspace

    def open_and_watch(a: argparse.Namespace) -> Workspace:
        ws = real_open(a)
        real_schedule = ws.clockwork.run_status_schedule

        async def schedule(every: float = 0.05) -> None:
            real_refresh = ws.clockwork.refresh_statuses

            async def refresh() -> object:
                refreshes.append(asyncio.current_task().get_name())  # type: ignore[union-attr]
                return await real_refresh()

            monkeypatch.setattr(ws.clockwork, "refresh_statuses", refresh)
            try:
                await real_schedule(every)
            except asyncio.CancelledError:
                cancelled.append(True)
                raise

        monkeypatch.setattr(ws.clockwork, "run_status_schedule", schedule)
        return ws

    monkeypatch.setattr(ui.app, "install_excepthook", lambda: None)
    monkeypatch.setattr(ui.app, "open_workspace", open_and_watch)
    monkeypatch.setattr(ui.app, "STATUS_DELAY_S", 0.0)
    assert run_gui_until(args, lambda _w: len(refreshes) >= 2, lambda _w: None) == 0
    assert set(refreshes) == {"statuses"}  # not connected: each refresh is skipped, and again
    assert cancelled == [True]  # cancelled on quit
