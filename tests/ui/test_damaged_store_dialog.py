"""A damaged database at start-up: the dialog offers the newest good backup, or only Quit."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.domain import ContactInput
from app.store.backups import list_backups, make_backup
from app.workspace import Workspace
from tests.ui.test_app import args, restore_app, run_gui_until  # noqa: F401  (fixtures)
from ui.app import run_gui
from ui.main_window import MainWindow
from ui.runtime.damaged_store_dialog import OPEN, QUIT, RESTORE, DamagedStoreDialog


def _damaged(data: Path, *, with_backup: bool) -> tuple[Path, bytes]:
    """A database with one sequence, maybe backed up, then truncated (a torn copy)."""
    path = data / "escapement.db"
    ws = Workspace.open(f"sqlite:///{path}")
    seq = ws.create_sequence("Before the damage")
    ws.add_contacts(seq.id, [ContactInput(email="kept@example.com")])
    ws.close()
    for old in list_backups(path):  # the first start's migration backup, if any
        old.unlink()
    if with_backup:
        make_backup(path, "manual")
    path.write_bytes(path.read_bytes()[:5000])
    return path, path.read_bytes()


def _when_dialog(act: Callable[[DamagedStoreDialog], None]) -> QTimer:
    """Calls `act` on the dialog once it shows (it blocks run_gui in its own event loop)."""
    poll = QTimer(interval=20)

    def tick() -> None:
        shown = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, DamagedStoreDialog) and w.isVisible()
        ]
        if shown:
            poll.stop()
            act(shown[0])

    poll.timeout.connect(tick)
    poll.start()
    return poll


def test_restoring_the_backup_sets_the_file_aside_and_opens_the_app(
    args: argparse.Namespace,  # noqa: F811
    qtbot: QtBot,
) -> None:
    path, damaged = _damaged(Path(args.data_dir), with_backup=True)
    said: list[str] = []

    def restore(dialog: DamagedStoreDialog) -> None:
        assert dialog.restore_button is not None
        assert dialog.restore_button.text() == RESTORE
        assert dialog.quit_button.text() == QUIT
        assert "escapement.db" in dialog.message.text()
        dialog.restore_button.click()
        qtbot.waitUntil(lambda: dialog.restored_aside is not None, timeout=5000)
        said.append(dialog.status.text())
        assert dialog.restore_button.text() == OPEN
        dialog.restore_button.click()

    names: list[str] = []

    def once_shown(window: MainWindow) -> None:
        names.append(window.windowTitle())

    poll = _when_dialog(restore)
    try:
        assert run_gui_until(args, lambda _w: True, once_shown) == 0
    finally:
        poll.stop()
    (aside,) = Path(args.data_dir).glob("escapement.db.damaged-*")
    assert said == [f"The backup is back in place. The old file is kept as {aside}."]
    assert aside.read_bytes() == damaged  # the damaged file is kept whole
    assert names  # the main window opened on the restored database
    ws = Workspace.open(f"sqlite:///{path}")
    try:
        assert [s.name for s in ws.sequences()] == ["Before the damage"]
    finally:
        ws.close()


def test_quitting_leaves_the_damaged_file_untouched(
    args: argparse.Namespace,  # noqa: F811
    qtbot: QtBot,
) -> None:
    path, damaged = _damaged(Path(args.data_dir), with_backup=True)
    poll = _when_dialog(lambda dialog: dialog.quit_button.click())
    try:
        assert run_gui(args) == 1
    finally:
        poll.stop()
    assert path.read_bytes() == damaged
    assert not list(Path(args.data_dir).glob("escapement.db.damaged-*"))


def test_without_a_backup_only_quit_is_offered_with_one_line(
    args: argparse.Namespace,  # noqa: F811
    qtbot: QtBot,
) -> None:
    path, damaged = _damaged(Path(args.data_dir), with_backup=False)
    seen: list[tuple[bool, list[str], str]] = []

    def look(dialog: DamagedStoreDialog) -> None:
        buttons = [b.text() for b in dialog.buttons.buttons()]
        seen.append((dialog.restore_button is not None, buttons, dialog.message.text()))
        dialog.quit_button.click()

    poll = _when_dialog(look)
    try:
        assert run_gui(args) == 1
    finally:
        poll.stop()
    ((restore, buttons, message),) = seen
    assert not restore
    assert buttons == [QUIT]
    assert "\n" not in message
    assert str(path.name) in message
    assert path.read_bytes() == damaged
