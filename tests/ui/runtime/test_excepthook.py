"""Bugs reach one excepthook: logged, shown once per distinct error, and the app goes on."""

from __future__ import annotations

import logging
import sys
from typing import ClassVar

import pytest
from PySide6.QtCore import QObject, QTimer, Signal
from pytestqt.qtbot import QtBot

from app.errors import InputError
from ui.main_window import MainWindow
from ui.runtime import excepthook
from ui.runtime.excepthook import MAX_OPEN_DIALOGS, ErrorDialog, ExceptHook, install_excepthook


class FakeDialog(QObject):
    """Stands in for ErrorDialog: records what would be shown, never opens a window."""

    finished = Signal(int)
    shown: ClassVar[list[FakeDialog]] = []

    def __init__(self, title: str, text: str, details: str, _parent: object = None) -> None:
        super().__init__()
        self.title, self.text, self.details = title, text, details

    def show(self) -> None:
        FakeDialog.shown.append(self)


@pytest.fixture
def fake_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[FakeDialog]:
    FakeDialog.shown = []
    monkeypatch.setattr(excepthook, "ErrorDialog", FakeDialog)
    return FakeDialog.shown


def raise_and_report(hook: ExceptHook, exc: BaseException) -> None:
    try:
        raise exc
    except BaseException:
        hook(*sys.exc_info())  # type: ignore[arg-type]


def test_the_same_error_is_shown_once_and_logged_each_time(
    fake_dialogs: list[FakeDialog], caplog: pytest.LogCaptureFixture, qtbot: QtBot
) -> None:
    hook = ExceptHook()
    with caplog.at_level(logging.ERROR, logger="ui.runtime.excepthook"):
        for _ in range(50):
            raise_and_report(hook, ValueError("row 7 has no id"))
    assert len(fake_dialogs) == 1
    assert "ValueError: row 7 has no id" in fake_dialogs[0].text
    assert "Traceback" in fake_dialogs[0].details
    assert len(caplog.records) == 50
    assert caplog.records[0].exc_info is not None


def test_distinct_errors_each_get_a_dialog_up_to_a_limit(
    fake_dialogs: list[FakeDialog], qtbot: QtBot
) -> None:
    hook = ExceptHook()
    for n in range(MAX_OPEN_DIALOGS + 3):
        raise_and_report(hook, KeyError(n))
    assert len(fake_dialogs) == MAX_OPEN_DIALOGS
    fake_dialogs[0].finished.emit(0)  # the user closes one: room for the next new error
    raise_and_report(hook, RuntimeError("another"))
    assert len(fake_dialogs) == MAX_OPEN_DIALOGS + 1


def test_user_errors_keep_their_title(fake_dialogs: list[FakeDialog], qtbot: QtBot) -> None:
    hook = ExceptHook()
    raise_and_report(hook, InputError("That file is empty.", title="Cannot read this CSV file"))
    assert (fake_dialogs[0].title, fake_dialogs[0].text) == (
        "Cannot read this CSV file",
        "That file is empty.",
    )


@pytest.mark.qt_no_exception_capture
def test_a_bug_in_a_slot_shows_a_non_modal_dialog_and_the_app_goes_on(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    hook = install_excepthook()

    def broken_slot() -> None:
        raise ZeroDivisionError("division by zero in a refresh")

    QTimer.singleShot(0, broken_slot)
    qtbot.waitUntil(lambda: len(hook.open_dialogs) == 1)
    [dialog] = hook.open_dialogs
    assert isinstance(dialog, ErrorDialog)
    assert dialog.isVisible()
    assert not dialog.isModal()
    window.show_pane("Contacts")  # the window still works behind it
    assert window.current_pane() == "Contacts"
    dialog.close()
    qtbot.waitUntil(lambda: hook.open_dialogs == [])
