"""The candidate status card: the reply status from the firm's own list (or None), the
stop-statuses as a checkable list with Default, and opt-outs to Clockwork; each saved off the
GUI thread and shown as saved."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.sandbox.vocab import CANDIDATE_STATUSES
from app.sync.candidate_status import DEFAULT_STOP_STATUSES
from tests.ui.conftest import ASYNC_GUI, OFFSCREEN_NOISE, OFFSCREEN_RAISE, Sandbox, until
from tests.ui.integration.test_pane import make_pane
from ui.integration.candidate_status_card import NONE, CandidateStatusCard

#: Opening a combo's list grabs the keyboard, which the test platform cannot.
OFFSCREEN_POPUP = "This plugin does not support grabbing the keyboard"


def combo_items(card: CandidateStatusCard) -> list[str]:
    combo = card.reply_combo
    return [combo.itemText(i) for i in range(combo.count())]


def checked(card: CandidateStatusCard) -> list[str]:
    items = [card.stop_list.item(i) for i in range(card.stop_list.count())]
    return [item.text() for item in items if item.checkState() is Qt.CheckState.Checked]


def choose(card: CandidateStatusCard, text: str) -> None:
    index = card.reply_combo.findText(text)
    card.reply_combo.setCurrentIndex(index)
    card.reply_combo.activated.emit(index)


async def opened(sandbox: Sandbox, qtbot: QtBot) -> CandidateStatusCard:
    await sandbox.connect()
    card = make_pane(sandbox.ws, sandbox.bridge, qtbot).statuses
    await until(lambda: card.saved is not None, what="the saved settings")
    return card


@ASYNC_GUI
@pytest.mark.qt_log_ignore(OFFSCREEN_NOISE, OFFSCREEN_RAISE, OFFSCREEN_POPUP)
async def test_the_firms_statuses_are_read_when_the_list_opens(
    sandbox: Sandbox, qtbot: QtBot
) -> None:
    card = await opened(sandbox, qtbot)
    before = len(sandbox.state.journal.entries())
    assert combo_items(card) == [NONE]  # nothing read from Clockwork at start-up
    assert len(sandbox.state.journal.entries()) == before
    card.reply_combo.showPopup()
    await until(lambda: len(combo_items(card)) > 1, what="the firm's statuses")
    card.reply_combo.hidePopup()
    assert combo_items(card) == [NONE, *CANDIDATE_STATUSES]
    assert card.statuses_label.text() == f"{len(CANDIDATE_STATUSES)} statuses read from Clockwork."
    # Every firm status is offered in the stop list too; the default set is checked.
    assert checked(card) == [s for s in CANDIDATE_STATUSES if s in DEFAULT_STOP_STATUSES] + [
        s for s in DEFAULT_STOP_STATUSES if s not in CANDIDATE_STATUSES
    ]


@ASYNC_GUI
async def test_the_reply_status_is_saved_and_none_clears_it(sandbox: Sandbox, qtbot: QtBot) -> None:
    card = await opened(sandbox, qtbot)
    card.fetch_statuses()
    await until(lambda: len(combo_items(card)) > 1)
    target = CANDIDATE_STATUSES[1]
    choose(card, target)
    await until(lambda: sandbox.ws.clockwork.reply_status() == target, what="saved")
    await until(lambda: card.saved is not None and card.saved.reply_status == target)
    assert card.reply_combo.currentText() == target
    choose(card, NONE)
    await until(lambda: sandbox.ws.clockwork.reply_status() is None, what="cleared")


@ASYNC_GUI
async def test_a_saved_status_the_firm_no_longer_has_still_shows(
    sandbox: Sandbox, qtbot: QtBot
) -> None:
    await sandbox.connect()
    sandbox.ws.clockwork.set_reply_status("Spoke With")
    card = make_pane(sandbox.ws, sandbox.bridge, qtbot).statuses
    await until(lambda: card.reply_combo.currentText() == "Spoke With")
    assert combo_items(card) == [NONE, "Spoke With"]


@ASYNC_GUI
async def test_unchecking_a_stop_status_saves_the_rest_and_default_brings_it_back(
    sandbox: Sandbox, qtbot: QtBot
) -> None:
    card = await opened(sandbox, qtbot)
    assert checked(card) == list(DEFAULT_STOP_STATUSES)
    card.stop_list.item(0).setCheckState(Qt.CheckState.Unchecked)
    rest = DEFAULT_STOP_STATUSES[1:]
    await until(lambda: sandbox.ws.clockwork.stop_statuses() == rest, what="saved")
    await until(lambda: checked(card) == list(rest))
    qtbot.mouseClick(card.default_button, Qt.MouseButton.LeftButton)
    await until(lambda: sandbox.ws.clockwork.stop_statuses() == DEFAULT_STOP_STATUSES)
    await until(lambda: checked(card) == list(DEFAULT_STOP_STATUSES))


@ASYNC_GUI
async def test_unchecking_every_stop_status_is_refused_and_the_saved_set_shows(
    sandbox: Sandbox, qtbot: QtBot
) -> None:
    await sandbox.connect()
    sandbox.ws.clockwork.set_stop_statuses("Placed")
    card = make_pane(sandbox.ws, sandbox.bridge, qtbot).statuses
    await until(lambda: checked(card) == ["Placed"])
    card.stop_list.item(0).setCheckState(Qt.CheckState.Unchecked)
    await until(card.error_label.isVisible, what="the refusal")
    assert "at least one candidate status" in card.error_label.text()
    await until(lambda: checked(card) == ["Placed"], what="the saved set again")
    assert sandbox.ws.clockwork.stop_statuses() == ("Placed",)


@ASYNC_GUI
async def test_the_opt_out_toggle_is_saved(sandbox: Sandbox, qtbot: QtBot) -> None:
    card = await opened(sandbox, qtbot)
    assert not card.opt_out_box.isChecked()
    qtbot.mouseClick(card.opt_out_box, Qt.MouseButton.LeftButton)
    await until(lambda: sandbox.ws.mail.hygiene().opt_out_to_clockwork, what="saved on")
    qtbot.mouseClick(card.opt_out_box, Qt.MouseButton.LeftButton)
    await until(lambda: not sandbox.ws.mail.hygiene().opt_out_to_clockwork, what="saved off")


@ASYNC_GUI
async def test_before_a_connect_the_status_controls_are_disabled(
    sandbox: Sandbox, qtbot: QtBot
) -> None:
    card = make_pane(sandbox.ws, sandbox.bridge, qtbot).statuses
    assert not card.reply_combo.isEnabled()
    assert not card.stop_list.isEnabled()
    assert not card.default_button.isEnabled()
