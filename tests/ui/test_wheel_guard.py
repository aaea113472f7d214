"""The mouse wheel never changes a combo box, spin box or slider that has no focus, in any
pane; the page gets the wheel instead. With focus (clicked or tabbed into) it works."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from app.projects import refresh_projects
from app.workspace import Workspace
from tests.conftest import connect_firm
from tests.ui.integration.test_sync_settings_card import Projects
from ui.main_window import PANES, MainWindow
from ui.runtime.bridge import EventBridge
from ui.runtime.wheel_guard import GUARDED, WheelGuard, install_wheel_guard


@pytest.fixture
def guard(qapp: QApplication) -> Iterator[WheelGuard]:
    guard = install_wheel_guard(qapp)
    yield guard
    qapp.removeEventFilter(guard)
    guard.setParent(None)  # gone at once, so the next test installs its own


PAGES: list[QWidget] = []


def wheel(widget: QWidget, notches: int) -> None:
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(QPoint(int(centre.x()), int(centre.y())))),
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def value(widget: QWidget) -> object:
    if isinstance(widget, QComboBox):
        return widget.currentIndex()
    return widget.value()  # type: ignore[attr-defined]


def controls(window: MainWindow) -> list[QWidget]:
    return [w for w in window.findChildren(QWidget) if isinstance(w, GUARDED) and w.isEnabled()]


def test_no_control_in_any_pane_moves_under_the_wheel(
    guard: WheelGuard, workspace: Workspace, bridge: EventBridge, qtbot: QtBot
) -> None:
    connect_firm(workspace, "demo")
    asyncio.run(refresh_projects(workspace.store, Projects()))
    workspace.create_sequence("CFO search")
    window = MainWindow(workspace, bridge)
    qtbot.addWidget(window)
    window.show()
    for name in PANES:  # every pane built and shown once, so each control is polished
        window.show_pane(name)
        qtbot.wait(30)
    qtbot.waitUntil(lambda: window.integration_pane.settings.body.isEnabled())
    before_settings = workspace.clockwork_settings()
    before_mail = workspace.email_settings()
    found = controls(window)
    settings = window.integration_pane.settings
    # The ones the issue names: the default project and the request rate, among the rest.
    assert settings.project_combo in found
    assert settings.rate_spin in found
    assert len(found) >= 6
    window.nav.setFocus()
    for widget in found:
        assert widget.focusPolicy() == Qt.FocusPolicy.StrongFocus, widget
        before = value(widget)
        for notches in (-3, 3):
            wheel(widget, notches)
        assert value(widget) == before, f"{type(widget).__name__} {widget.objectName()}"
    qtbot.wait(100)
    assert workspace.clockwork_settings() == before_settings  # nothing saved
    assert workspace.email_settings() == before_mail


def a_combo_beside_a_focused_edit(qtbot: QtBot) -> QComboBox:
    page = QWidget()
    PAGES.append(page)  # qtbot holds widgets weakly
    edit, combo = QLineEdit(page), QComboBox(page)
    combo.addItems(["a", "b", "c"])
    combo.move(0, 40)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    edit.setFocus()
    return combo


def test_a_focused_control_still_takes_the_wheel(guard: WheelGuard, qtbot: QtBot) -> None:
    combo = a_combo_beside_a_focused_edit(qtbot)
    wheel(combo, -1)
    assert combo.currentIndex() == 0
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    wheel(combo, -1)
    assert combo.currentIndex() == 1
    PAGES.clear()


def test_without_the_guard_the_wheel_would_change_it(qtbot: QtBot) -> None:
    """The test above can fail: an unguarded, unfocused combo does move."""
    combo = a_combo_beside_a_focused_edit(qtbot)
    wheel(combo, -1)
    assert combo.currentIndex() == 1
    PAGES.clear()
