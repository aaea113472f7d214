"""The compatibility card: the check on demand and after a connect, one row per endpoint with
drifted rows coloured, the verdict, and a shape pause shown beside the button until lifted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.store.models import ClockworkSettings
from app.sync.worker import SHAPE_ADVICE, SHAPE_PAUSE
from tests.ui.conftest import ASYNC_GUI, Sandbox, until
from tests.ui.integration.test_pane import GOOD_VALUES, fill, make_pane
from ui.integration.compat_card import CompatibilityCard
from ui.integration.pane import IntegrationPane
from ui.runtime import theme
from ui.runtime.theme import Choice, ThemeController
from ui.runtime.theme_tokens import DARK_ITEMS, LIGHT_ITEMS


@pytest.fixture
def dark(qapp: QApplication, tmp_path: Path) -> Iterator[ThemeController]:
    """The dark scheme installed, as the app does; the application's look put back after."""
    while (left := theme.installed(qapp)) is not None:
        shiboken6.delete(left)
    palette, sheet = QPalette(qapp.palette()), qapp.styleSheet()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    controller = theme.install(qapp, settings)
    controller.choose(Choice.DARK)
    yield controller
    shiboken6.delete(controller)
    qapp.styleHints().unsetColorScheme()
    qapp.setPalette(palette)
    qapp.setStyleSheet(sheet)


def rows(card: CompatibilityCard) -> dict[str, tuple[str, ...]]:
    table = card.table
    return {
        table.item(r, 0).text(): tuple(table.item(r, c).text() for c in range(1, 4))
        for r in range(table.rowCount())
    }


async def checked(pane: IntegrationPane) -> CompatibilityCard:
    card = pane.compat
    await until(lambda: card.report is not None and not card.action.busy, what="a report")
    return card


@ASYNC_GUI
async def test_a_compatible_firm_gets_every_row_ok_and_a_green_verdict(
    sandbox: Sandbox, qtbot: QtBot
) -> None:
    await sandbox.connect()
    pane = make_pane(sandbox.ws, sandbox.bridge, qtbot)
    card = pane.compat
    assert card.check_button.isEnabled()
    assert not card.table.isVisible()
    qtbot.mouseClick(card.check_button, Qt.MouseButton.LeftButton)
    assert card.check_button.text() == "Checking…"
    await checked(pane)
    found = rows(card)
    assert found["list_people"][1] == "OK"
    assert {result for _c, result, _d in found.values()} <= {"OK", "Not tried"}
    assert "Not tried" in {result for _c, result, _d in found.values()}  # the write rows
    assert card.verdict_label.text().startswith("Compatible")
    assert card.verdict_label.objectName() == "successLabel"
    assert card.check_button.text() == "Check compatibility"


@ASYNC_GUI
async def test_a_drifted_wrapper_is_shown_as_differs_in_the_error_colour(
    sandbox: Sandbox, qtbot: QtBot, dark: ThemeController
) -> None:
    await sandbox.connect()
    sandbox.knobs.drift_wrappers = "list_people"
    pane = make_pane(sandbox.ws, sandbox.bridge, qtbot)
    card = pane.compat
    card.check()
    await checked(pane)
    _certainty, result, detail = rows(card)["list_people"]
    assert result == "Differs"
    assert "people" in detail  # what was expected
    assert "data" in detail  # and what came
    assert card.verdict_label.text().startswith("Not compatible: 1 part")
    assert card.verdict_label.objectName() == "errorLabel"
    row = list(rows(card)).index("list_people")
    for column in range(4):
        assert card.table.item(row, column).foreground().color() == QColor(DARK_ITEMS["error"])
    ok_row = list(rows(card)).index("get_person")
    assert card.table.item(ok_row, 2).data(Qt.ItemDataRole.ForegroundRole) is None
    dark.choose(Choice.LIGHT)  # the colours follow the scheme
    assert card.table.item(row, 2).foreground().color() == QColor(LIGHT_ITEMS["error"])


@ASYNC_GUI
async def test_the_check_runs_after_every_connect(sandbox: Sandbox, qtbot: QtBot) -> None:
    pane = make_pane(sandbox.ws, sandbox.bridge, qtbot)
    assert not pane.compat.check_button.isEnabled()  # nothing to check before a connect
    fill(pane, *GOOD_VALUES)
    pane.connection.form.connect_clockwork()
    card = await checked(pane)
    assert rows(card)["list_people"][1] == "OK"
    assert card.check_button.isEnabled()


@ASYNC_GUI
async def test_a_shape_pause_shows_beside_the_button_and_a_compatible_check_lifts_it(
    sandbox: Sandbox, qtbot: QtBot
) -> None:
    await sandbox.connect()
    reason = f"{SHAPE_PAUSE} (create_person). {SHAPE_ADVICE}"
    with sandbox.ws.store.write() as session:  # what a drifted create leaves behind
        session.get_one(ClockworkSettings, sandbox.ws.user_id).paused_reason = reason
    pane = make_pane(sandbox.ws, sandbox.bridge, qtbot)
    card = pane.compat
    await until(card.pause_label.isVisible, what="the pause")
    assert card.pause_label.text() == reason
    assert card.pause_label.objectName() == "errorLabel"
    qtbot.mouseClick(card.check_button, Qt.MouseButton.LeftButton)
    await checked(pane)
    await until(lambda: not card.pause_label.isVisible(), what="the pause lifted")
    assert sandbox.ws.clockwork.shape_pause() is None


@ASYNC_GUI
async def test_an_incompatible_check_keeps_the_pause(sandbox: Sandbox, qtbot: QtBot) -> None:
    await sandbox.connect()
    reason = f"{SHAPE_PAUSE} (list_people). {SHAPE_ADVICE}"
    with sandbox.ws.store.write() as session:
        session.get_one(ClockworkSettings, sandbox.ws.user_id).paused_reason = reason
    sandbox.knobs.drift_wrappers = "list_people"
    pane = make_pane(sandbox.ws, sandbox.bridge, qtbot)
    pane.compat.check()
    card = await checked(pane)
    await until(card.pause_label.isVisible)
    assert sandbox.ws.clockwork.shape_pause() == reason


@ASYNC_GUI
async def test_a_refused_check_says_why(sandbox: Sandbox, qtbot: QtBot) -> None:
    await sandbox.connect()
    pane = make_pane(sandbox.ws, sandbox.bridge, qtbot)
    sandbox.ws.disconnect_clockwork()
    pane.compat.check_button.setEnabled(True)  # as if clicked just before the disconnect
    pane.compat.check()
    await until(pane.compat.error_label.isVisible)
    assert "Connect to Clockwork first" in pane.compat.error_label.text()
