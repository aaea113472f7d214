"""The status bar's request meter: requests of the last hour against the cap, marked (with
the figures in its tooltip) once Clockwork throttled a request."""

from __future__ import annotations

import threading

import pytest
from pytestqt.qtbot import QtBot

from app.workspace import Workspace
from tests.ui.conftest import ASYNC_GUI, Sandbox, until
from ui.main_window import MainWindow
from ui.statusbar.request_meter import RequestMeterItem


def test_not_connected_shows_the_cap_from_the_settings(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    item = window.status.meter.label
    cap = round(workspace.clockwork_settings().rate_limit * 3600)
    qtbot.waitUntil(lambda: item.text() == f"Clockwork: 0 / {cap:,} requests this hour")
    assert item.property("problem") is False
    assert "has not asked Escapement to slow down" in item.toolTip()


def test_a_new_cap_shows_at_once(window: MainWindow, workspace: Workspace, qtbot: QtBot) -> None:
    item = window.status.meter.label
    qtbot.waitUntil(lambda: "/" in item.text())
    workspace.update_clockwork_settings(rate_limit=2.5)
    qtbot.waitUntil(lambda: item.text() == "Clockwork: 0 / 9,000 requests this hour")


def test_the_reading_is_taken_off_the_gui_thread_on_a_timer(
    workspace: Workspace, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    gui = threading.current_thread()
    threads: list[bool] = []
    real = workspace.clockwork.meter

    def meter() -> object:
        threads.append(threading.current_thread() is gui)
        return real()

    monkeypatch.setattr(workspace.clockwork, "meter", meter)
    item = RequestMeterItem(workspace)
    item.timer.setInterval(30)
    qtbot.waitUntil(lambda: len(threads) >= 3)
    assert not any(threads)
    item.timer.stop()
    item.deleteLater()


@ASYNC_GUI
async def test_requests_are_counted_and_throttling_marks_the_item(
    sandbox: Sandbox, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    await sandbox.connect()
    window = MainWindow(sandbox.ws, sandbox.bridge)
    qtbot.addWidget(window)
    meter = window.status.meter
    sent = sandbox.ws.clockwork.meter().requests_last_hour
    assert sent > 0  # the connect's own requests
    meter.refresh()
    await until(lambda: meter.label.text() == f"Clockwork: {sent:,} / 360,000 requests this hour")
    assert meter.label.property("problem") is False
    sandbox.knobs.rate_limit, sandbox.knobs.retry_after_s = 1.0, 0.01
    for _ in range(3):  # quicker than one a second: Clockwork answers 429, the client waits
        await sandbox.ws.check_connection()
    reading = sandbox.ws.clockwork.meter()
    assert reading.throttled_last_hour > 0
    meter.refresh()
    await until(lambda: meter.loaded, what="the newest reading")
    assert meter.label.property("problem") is True
    assert f"slow down {reading.throttled_last_hour:,} times (HTTP 429)" in meter.label.toolTip()


def test_the_meter_steps_aside_while_a_message_shows(window: MainWindow, qtbot: QtBot) -> None:
    window.show()
    qtbot.waitExposed(window)
    item, bar = window.status.meter.label, window.statusBar()
    assert item.isVisible()
    bar.showMessage("3 contacts added to “Independent directors · consumer boards”.")
    assert not item.isVisible()  # the message has the room it needs
    bar.clearMessage()
    assert item.isVisible()
