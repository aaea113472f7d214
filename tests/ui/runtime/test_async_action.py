"""The helpers that run work off the GUI's hands: coroutines (AsyncAction) and threads."""

from __future__ import annotations

import asyncio
import threading
import time

import shiboken6
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from app.errors import InputError
from tests.ui.conftest import ASYNC_GUI, until
from ui.runtime.async_action import AsyncAction
from ui.runtime.task_runner import SerialRunner, TaskRunner


@ASYNC_GUI
async def test_an_action_runs_once_at_a_time_and_reports_errors(qtbot: QtBot) -> None:
    owner = QObject()
    action = AsyncAction(owner)
    states: list[bool] = []
    action.busyChanged.connect(states.append)
    gate = asyncio.Event()
    results: list[object] = []

    async def work() -> str:
        await gate.wait()
        return "done"

    assert action.start(work, results.append)
    assert action.busy
    assert not action.start(work, results.append)  # a second click starts nothing
    gate.set()
    await until(lambda: results == ["done"])
    assert states == [True, False]
    assert not action.busy

    async def refused() -> str:
        raise InputError("That is not a Clockwork Domain.")

    errors: list[Exception] = []
    assert action.start(refused, results.append, errors.append)
    await until(lambda: errors)
    assert str(errors[0]) == "That is not a Clockwork Domain."
    assert not action.busy
    shiboken6.delete(owner)


@ASYNC_GUI
async def test_cancelled_before_its_first_step_the_action_is_free_again(qtbot: QtBot) -> None:
    """ "Use a code instead" cancels the browser sign-in at once and starts another."""
    owner = QObject()
    action = AsyncAction(owner)
    states: list[bool] = []
    action.busyChanged.connect(states.append)
    ran: list[str] = []

    async def work() -> None:
        ran.append("ran")

    assert action.start(work, print)
    action.cancel()  # before the loop ever stepped the task
    await until(lambda: not action.busy, what="the action settled")
    assert ran == []
    assert states == [True, False]
    assert action.start(work, lambda _r: ran.append("done"))
    await until(lambda: ran == ["ran", "done"])
    shiboken6.delete(owner)


@ASYNC_GUI
async def test_deleting_the_owner_cancels_its_work(qtbot: QtBot) -> None:
    owner = QObject()
    action = AsyncAction(owner)
    cancelled = asyncio.Event()

    async def forever() -> None:
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    action.start(forever, lambda _r: None)
    await asyncio.sleep(0)
    shiboken6.delete(owner)
    await asyncio.wait_for(cancelled.wait(), 2)


def test_a_deleted_runners_answer_is_dropped(qtbot: QtBot) -> None:
    owner = QObject()
    runner = TaskRunner(owner)
    started, release = threading.Event(), threading.Event()
    answers: list[object] = []

    def slow() -> int:
        started.set()
        release.wait(5)
        return 1

    runner.submit(slow, answers.append)
    assert started.wait(5)
    shiboken6.delete(owner)  # the widget goes while its query still runs
    release.set()
    qtbot.wait(100)
    assert answers == []


def test_serial_runner_keeps_the_order_of_writes(qtbot: QtBot) -> None:
    runner = SerialRunner()
    done: list[int] = []
    for i, pause in enumerate((0.05, 0.0, 0.02)):
        runner.submit(lambda i=i, pause=pause: (time.sleep(pause), i)[1], done.append)
    qtbot.waitUntil(lambda: len(done) == 3)
    assert done == [0, 1, 2]
    assert not runner.busy
