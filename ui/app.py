"""Starting and stopping the GUI: QApplication, the asyncio loop inside Qt, the Workspace,
the background sync, the mail scheduler, the candidate-status schedule and, with --sandbox, a
Clockwork sandbox on loopback.

Shut-down runs in a fixed order so nothing touches a closed database: the window closes, the
bridge stops listening, the background sync stops, running asyncio tasks (the mail scheduler
among them) are cancelled and awaited, the window and its views are deleted, queued
thread-pool jobs finish, the Clockwork client closes, and only then the Workspace closes
(and after it the sandbox server stops).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import sys
import threading
from collections.abc import Awaitable, Callable
from typing import Any

import qasync
import shiboken6
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication, QMessageBox

from app.api import (
    DamagedStore,
    EscapementError,
    SandboxDemo,
    blocking_allowed,
    guard_thread,
    open_workspace,
    thread_guarded,
)
from app.workspace import Workspace
from ui.main_window import MainWindow
from ui.runtime import assets, smoke, theme
from ui.runtime.async_action import spawn
from ui.runtime.bridge import EventBridge
from ui.runtime.damaged_store_dialog import offer_backup
from ui.runtime.excepthook import install_excepthook
from ui.runtime.task_runner import wait_for_all
from ui.runtime.wheel_guard import install_wheel_guard

# Qt appends " — Escapement" (the application display name) to every window title.
SANDBOX_TITLE = "Clockwork sandbox"
#: The first candidate-status read waits for start-up (the window, the health check, the
#: sync's first pass) to settle, and is not cut off mid-request by a quick quit.
STATUS_DELAY_S = 20.0
#: At least this many pool threads for Workspace calls (ui/runtime/task_runner.py), whatever
#: the cores: a read waits in SQLite with the GIL released, and a long one (the anchors of a
#: million contacts take seconds) must not hold a pane's first page back behind it.
POOL_THREADS = 4

log = logging.getLogger(__name__)


def run_gui(args: argparse.Namespace) -> int:
    app = make_application()
    install_excepthook()
    try:
        with blocking_allowed():  # no window yet: nothing waits for this thread
            demo = SandboxDemo.start(args.data_dir) if getattr(args, "sandbox", False) else None
    except (OSError, RuntimeError) as exc:
        log.exception("The Clockwork sandbox did not start")
        _startup_error(EscapementError(f"{exc}", title="The Clockwork sandbox did not start"))
        return 1
    try:
        while True:
            try:
                with blocking_allowed():
                    workspace = _open(args, demo)
                break
            except EscapementError as exc:
                log.error("Cannot open the workspace: %s", exc.message)
                if not _startup_error(exc):  # True: a backup was restored, so open again
                    return 1
        # The loop runs Qt's event loop; asyncio tasks (the sync worker) share the GUI thread.
        with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
            return runner.run(serve(app, workspace, demo))
    finally:
        if demo is not None:
            demo.stop()


def _open(args: argparse.Namespace, demo: SandboxDemo | None) -> Workspace:
    if demo is None:
        return open_workspace(args)
    return Workspace.open(demo.database_url, clockwork_origin=demo.server.url)


def make_application() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("Escapement")
    app.setApplicationDisplayName("Escapement")
    app.setOrganizationName("Escapement")
    app.setWindowIcon(assets.app_icon())
    # We quit when the main window closes, after cleaning up; not when the last dialog does.
    app.setQuitOnLastWindowClosed(False)
    assets.apply_style(app)
    theme.install(app)  # light or dark, as remembered or as the system is
    install_wheel_guard(app)  # settings change only on purpose, never by scrolling past
    pool = QThreadPool.globalInstance()
    pool.setMaxThreadCount(max(pool.maxThreadCount(), POOL_THREADS))
    return app


async def serve(app: QApplication, workspace: Workspace, demo: SandboxDemo | None = None) -> int:
    """Show the window and wait for it to close, then shut down in order; the exit code."""
    asyncio.get_running_loop().set_exception_handler(_task_failed)
    try:
        if demo is not None:
            with blocking_allowed():  # demo data and a connection, before the window
                await demo.prepare(workspace)
    except BaseException:
        await workspace.aclose()
        workspace.close()
        raise
    bridge = EventBridge(workspace.bus)
    window = MainWindow(workspace, bridge)
    # The controller make_application installed; installing again would re-apply the sheet
    # to the whole window just built (0.3 s or more of restyling before the first paint).
    controller = theme.installed(app) or theme.install(app)
    theme.add_to_menu_bar(window.menuBar(), controller)  # View → Theme
    if demo is not None:
        window.setWindowTitle(SANDBOX_TITLE)
    closed = asyncio.Event()
    window.closed.connect(closed.set)
    _guard_the_gui_thread()
    window.show()
    # The start-up heap (Qt wrappers, SQLAlchemy mappers) is long-lived: keeping it out of the
    # collector's full passes removes 100 ms GUI stalls during a bulk resync.
    gc.freeze()
    # Both background loops are the Workspace's; the GUI starts them as tasks and stops them.
    sync = spawn(workspace.sync.run_forever(), name="sync")
    # Sends due steps and reads replies once a minute; cancelled (between two emails) on quit.
    spawn(workspace.mail.run_forever(), name="mail")
    # Reads candidate statuses back from Clockwork every 15 minutes; cancelled on quit.
    spawn(_after(STATUS_DELAY_S, workspace.clockwork.run_status_schedule), name="statuses")
    # The health check: one cheap request; the status bar hears the answer through events.
    spawn(workspace.check_connection(), name="health-check")
    outcome = [0]
    if smoke.requested():  # the frozen build's self-test: sync a few, then close
        spawn(_smoke_then_close(workspace, window, outcome), name="smoke")
    try:
        await closed.wait()
    finally:
        bridge.detach()
        sync.cancel()
        await asyncio.gather(sync, return_exceptions=True)
        await cancel_other_tasks()
        # Deleting the window now (not later) drops the answers its views still wait for,
        # so no query starts once the pool has drained.
        shiboken6.delete(window)
        wait_for_all()
        with blocking_allowed():  # the window is gone
            await workspace.aclose()
            workspace.close()
    return outcome[0]


def _guard_the_gui_thread() -> None:
    """The threading rule (docs/architecture.md): a database session opened on the GUI thread
    is a bug. The app logs it; the GUI tests install a guard that fails the test instead."""
    if thread_guarded():
        return

    def opened(kind: str) -> None:
        log.warning("a %s session was opened on the GUI thread", kind, stack_info=True)

    guard_thread(threading.current_thread(), opened)


async def _after(seconds: float, work: Callable[[], Awaitable[None]]) -> None:
    await asyncio.sleep(seconds)
    await work()


async def _smoke_then_close(workspace: Workspace, window: MainWindow, outcome: list[int]) -> None:
    outcome[0] = await smoke.smoke_run(workspace)
    window.work.quit_confirmed = True  # the smoke test quits by itself: no "work left" question
    window.close()


async def cancel_other_tasks() -> None:
    """Cancel every task but this one and wait for each to reach its safe point."""
    me = asyncio.current_task()
    others = [task for task in asyncio.all_tasks() if task is not me]
    for task in others:
        task.cancel()
    for result in await asyncio.gather(*others, return_exceptions=True):
        if isinstance(result, Exception):
            log.error("A task failed while shutting down", exc_info=result)


def _task_failed(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """A task died with an exception nobody awaited: a bug, so it goes to the excepthook."""
    exc = context.get("exception")
    if isinstance(exc, Exception):
        sys.excepthook(type(exc), exc, exc.__traceback__)
    else:
        loop.default_exception_handler(context)


def _startup_error(exc: EscapementError) -> bool:
    # No event loop runs yet and no coroutine waits, so a blocking dialog is the right tool.
    if isinstance(exc, DamagedStore) and exc.path:
        return offer_backup(exc)
    box = QMessageBox(QMessageBox.Icon.Critical, exc.title, exc.message)
    box.setWindowIcon(assets.app_icon())
    box.exec()
    return False
