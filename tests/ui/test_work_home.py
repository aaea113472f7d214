"""Work out of sight: a hidden resync comes back from the status bar (Cancel with it) and says
when it ended; a notification when a resync or a mail pass ends while the window is hidden or
minimized; quitting with work left says what is left and that it resumes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QSystemTrayIcon
from pytestqt.qtbot import QtBot

from app.domain import SyncMode
from app.mail.types import MAIL_FAILED, MAIL_RUN
from app.workspace import Workspace
from tests.conftest import connect_firm
from tests.ui.conftest import ASYNC_GUI, Sandbox, background_sync, people, until
from tests.ui.resync.test_resync import backlog, preview_dialog, window_for
from ui.main_window import MainWindow
from ui.resync.progress_dialog import ResyncProgressDialog
from ui.runtime.bridge import EventBridge


@ASYNC_GUI
async def test_a_hidden_resync_comes_back_from_the_status_bar_and_says_when_it_ended(
    sandbox: Sandbox, qtbot: QtBot
) -> None:
    await sandbox.connect(dedup=False, rate_limit=40.0)
    backlog(sandbox, 30)
    sandbox.knobs.latency_ms = 30
    async with background_sync(sandbox.ws):
        window = window_for(sandbox, qtbot)
        item = window.work.job_item
        assert not item.isVisible()
        window.contacts_pane.resync()
        (await preview_dialog(window)).accept()
        await until(lambda: isinstance(window.sync_actions.dialog, ResyncProgressDialog))
        progress = window.sync_actions.dialog
        assert isinstance(progress, ResyncProgressDialog)
        qtbot.mouseClick(progress.hide_button, Qt.MouseButton.LeftButton)
        await until(item.isVisible, what="the status-bar item")
        assert not progress.isVisible()
        assert window.sync_actions.running_job is progress  # alive, still polling
        assert item.text().startswith("Resync: ")
        assert item.text().endswith("of 30 · Show")
        await until(lambda: progress.bar.value() > 0, seconds=10)
        await until(lambda: f"{progress.bar.value():,} of 30" in item.text())
        qtbot.mouseClick(item, Qt.MouseButton.LeftButton)  # back, with its Cancel
        assert progress.isVisible()
        assert not item.isVisible()
        assert progress.cancel_button.isVisible()
        qtbot.mouseClick(progress.hide_button, Qt.MouseButton.LeftButton)  # and away again
        await until(item.isVisible)
        told: list[tuple[str, str, str]] = []
        window.work.notifier.notified.connect(lambda *args: told.append(args))
        window.hide()  # out of sight when it ends: a notification
        await until(lambda: told, seconds=20, what="the notification")
        [(title, text, via)] = told
        assert title == "Resync to Clockwork ended"
        assert text == "Done: 30 contacts synced."
        assert via == ("tray" if QSystemTrayIcon.isSystemTrayAvailable() else "alert")
        assert item.text() == "Resync ended · Done: 30 contacts synced."
        await until(lambda: window.sync_actions.dialog is None, what="the ended job to go")
        window.show()
        qtbot.mouseClick(item, Qt.MouseButton.LeftButton)  # read: it goes
        assert item.isHidden()


def test_a_mail_pass_notifies_only_out_of_sight_and_only_with_news(
    window: MainWindow, workspace: Workspace, bridge: EventBridge, qtbot: QtBot
) -> None:
    told: list[tuple[str, str, str]] = []
    window.work.notifier.notified.connect(lambda *args: told.append(args))
    workspace.bus.publish(MAIL_RUN, sent=12, errors=[])
    qtbot.wait(50)
    assert told == []  # the window is in sight: the status bar says it
    window.showMinimized()
    qtbot.waitUntil(lambda: window.work.notifier.out_of_sight())
    workspace.bus.publish(MAIL_RUN, sent=0, errors=[])  # nothing happened: no news
    workspace.bus.publish(MAIL_RUN, sent=12, errors=[])
    workspace.bus.publish(MAIL_FAILED, title="Mail password missing", message="Type it again.")
    qtbot.waitUntil(lambda: len(told) == 2)
    assert [t[:2] for t in told] == [
        ("Mail pass ended", "12 emails sent."),
        ("Mail pass failed", "Mail password missing: Type it again."),
    ]


def test_without_a_tray_the_window_asks_for_attention_instead(
    window: MainWindow, qtbot: QtBot, monkeypatch: object
) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: False))
    window.hide()
    with qtbot.waitSignal(window.work.notifier.notified) as told:
        window.work.mail_ran(3, [])
    assert told.args == ["Mail pass ended", "3 emails sent.", "alert"]
    assert window.statusBar().currentMessage() == "Mail pass ended: 3 emails sent."


def test_quitting_with_work_queued_says_what_is_left_and_that_it_resumes(
    workspace: Workspace, bridge: EventBridge, qtbot: QtBot
) -> None:
    connect_firm(workspace, "demo")
    workspace.update_clockwork_settings(sync_mode=SyncMode.ON_ADD, dedup=False)
    seq = workspace.create_sequence("CFO search")
    workspace.add_contacts(seq.id, people(3))
    window = MainWindow(workspace, bridge)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.queue_label.text() == "Queue: 3")
    closed: list[bool] = []
    window.closed.connect(lambda: closed.append(True))
    window.close()
    box = window.work.quit_box
    assert isinstance(box, QMessageBox)
    assert window.isVisible()
    assert closed == []
    assert box.text() == (
        "Escapement still has 3 contacts and notes waiting to be sent to Clockwork."
    )
    assert "resumes when you next start Escapement" in box.informativeText()
    box.button(QMessageBox.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: window.work.quit_box is None)
    assert window.isVisible()
    window.close()
    box = window.work.quit_box
    assert box is not None
    quit_button = next(b for b in box.buttons() if b.text() == "Quit")
    quit_button.click()
    qtbot.waitUntil(lambda: closed == [True])
    assert not window.isVisible()


def test_quitting_with_nothing_left_asks_nothing(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: window.queue_label.text() == "Queue: 0")
    window.close()
    assert window.work.quit_box is None
    assert not window.isVisible()
