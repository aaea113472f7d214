"""What a screen reader and a keyboard user meet: every interactive element named, on every
pane and the main dialogs; panes one shortcut away; shortcuts in tooltips; a focus ring."""

from __future__ import annotations

from itertools import pairwise

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import QDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app.domain import ContactInput
from app.errors import DamagedStore
from app.sync.resync import ResyncScope
from app.workspace import Workspace
from tests.ui.accessibility.walk import unnamed
from ui.contacts.cells import STATE
from ui.contacts.import_dialog import ImportDialog
from ui.main_window import PANES, MainWindow
from ui.resync.preview_dialog import ResyncPreviewDialog
from ui.resync.progress_dialog import ResyncProgressDialog
from ui.resync.sync_log_dialog import SyncLogDialog
from ui.runtime import theme
from ui.runtime.bridge import EventBridge
from ui.runtime.damaged_store_dialog import DamagedStoreDialog
from ui.team.dialogs import TeammateDialog
from ui.widgets.accessible import Figure
from ui.widgets.name_dialog import NameDialog


@pytest.fixture
def filled(workspace: Workspace) -> Workspace:
    """A sequence with a step and a contact, so the panes show their detail controls."""
    seq = workspace.create_sequence("Partners")
    workspace.mail.add_step(seq.id, subject="Hello {first_name}", body="Hi")
    workspace.add_contacts(seq.id, [ContactInput(email="ada@example.com", first_name="Ada")])
    return workspace


@pytest.mark.parametrize("pane", PANES)
def test_every_control_of_each_pane_has_a_name(
    pane: str, filled: Workspace, bridge: EventBridge, qtbot: QtBot
) -> None:
    window = MainWindow(filled, bridge)
    qtbot.addWidget(window)
    window.resize(1280, 820)
    window.show()
    window.show_pane(pane)
    qtbot.wait(300)  # the pane's first answers arrive from the pool
    assert unnamed(window) == []


def _pane_chain(window: MainWindow) -> list[tuple[int, int]]:
    """Where each widget Tab visits on the shown pane sits (x, y in the window), from the
    navigation round to it again."""
    places: list[tuple[int, int]] = []
    widget = window.nav.nextInFocusChain()
    while widget is not window.nav and len(places) < 200:
        if widget.isVisible() and widget.isEnabled() and _tabbable(widget):
            spot = widget.mapTo(window, widget.rect().topLeft())
            places.append((spot.x(), spot.y()))
        widget = widget.nextInFocusChain()
    return places


SAME_ROW_PX = 6


def _tabbable(widget: QWidget) -> bool:
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)


@pytest.mark.parametrize("pane", PANES)
def test_tab_goes_down_each_column_of_a_pane(
    pane: str, filled: Workspace, bridge: EventBridge, qtbot: QtBot
) -> None:
    window = MainWindow(filled, bridge)
    qtbot.addWidget(window)
    window.resize(1280, 820)
    window.show()
    window.show_pane(pane)
    qtbot.wait(300)
    places = _pane_chain(window)
    assert places
    # Sequences has two columns, the list then the details; the others one.
    split = window.sequences_pane.details.mapTo(window, QPoint(0, 0)).x()
    columns = [[p for p in places if p[0] < split], [p for p in places if p[0] >= split]]
    if pane != "Sequences":
        columns = [places]
    else:
        assert places == columns[0] + columns[1]  # the whole list column comes first
    for column in columns:
        tops = [y for _x, y in column]
        # Controls of one row may sit a few pixels apart (a check box beside a spin box).
        assert all(b >= a - SAME_ROW_PX for a, b in pairwise(tops)), places


def _dialogs(ws: Workspace, bridge: EventBridge, monkeypatch: pytest.MonkeyPatch) -> list[QWidget]:
    # The progress dialog asks for a real job's figures; its controls are what is walked.
    monkeypatch.setattr(ResyncProgressDialog, "poll", lambda _self: None)
    damaged = DamagedStore("The database is damaged.", path="/x/e.db", backup="/x/e.db.bak")
    return [
        NameDialog("New sequence", "Name", lambda _n: None),
        TeammateDialog(["Partners"], lambda *_a: None),
        ImportDialog(ws, None, None),
        ResyncPreviewDialog(ws, ResyncScope(everything=True), "everything"),
        ResyncProgressDialog(ws, "job", 10),
        SyncLogDialog(ws, bridge, lambda _ids: None),
        DamagedStoreDialog(damaged),
    ]


def test_every_control_of_the_main_dialogs_has_a_name(
    filled: Workspace, bridge: EventBridge, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    found: dict[str, list[str]] = {}
    for dialog in _dialogs(filled, bridge, monkeypatch):
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.wait(150)
        found[type(dialog).__name__] = unnamed(dialog)
        dialog.close()
    assert found == {name: [] for name in found}


def test_the_progress_figures_are_read_with_their_captions(qtbot: QtBot) -> None:
    figure = Figure("Synced")
    qtbot.addWidget(figure)
    figure.setText("1,204")
    assert figure.accessibleName() == "Synced: 1,204"


def test_each_pane_is_one_shortcut_away_and_says_so(window: MainWindow, qtbot: QtBot) -> None:
    for number, (action, name) in enumerate(zip(window.menus.pane_actions, PANES, strict=True), 1):
        assert action.shortcut() == QKeySequence(f"Ctrl+{number}")
        assert action.toolTip() == f"{name} (Ctrl+{number})"
        action.trigger()
        assert window.current_pane() == name
        assert window.nav.item(number - 1).toolTip() == f"{name} (Ctrl+{number})"
    assert window.import_action.toolTip() == "Import CSV (Ctrl+I)"


def test_dialog_tab_order_follows_the_reading_order(qtbot: QtBot) -> None:
    damaged = DamagedStoreDialog(DamagedStore("Damaged.", path="/x/e.db", backup="/x/e.db.bak"))
    teammate = TeammateDialog(["Partners"], lambda *_a: None)
    for dialog in (damaged, teammate):
        qtbot.addWidget(dialog)
        dialog.show()
        chain = _focus_chain(dialog)
        tops = [w.mapTo(dialog, w.rect().topLeft()).y() for w in chain]
        assert tops == sorted(tops), [type(w).__name__ for w in chain]
    assert damaged.restore_button is not None
    assert damaged.restore_button.isDefault()


def _focus_chain(dialog: QDialog) -> list[QWidget]:
    """The widgets Tab visits, from the first, once round."""
    first = dialog.nextInFocusChain()
    chain: list[QWidget] = []
    widget = first
    while True:
        if (
            widget.isVisible()
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and widget.isWindow() is False
        ):
            chain.append(widget)
        widget = widget.nextInFocusChain()
        if widget is first or len(chain) > 100:
            return chain


@pytest.mark.parametrize("scheme", list(theme.Scheme))
def test_a_focused_button_shows_a_ring_in_the_accent_colour(
    scheme: theme.Scheme, qtbot: QtBot
) -> None:
    accent = QColor(theme.tokens(scheme)["accent"])
    host = QWidget()
    qtbot.addWidget(host)
    host.setStyleSheet(theme.style_sheet(scheme))
    plain, focused = QPushButton("Plain", host), QPushButton("Focused", host)
    plain.move(10, 10)
    focused.move(10, 60)
    host.resize(200, 120)
    host.show()
    host.activateWindow()
    focused.setFocus()
    qtbot.waitUntil(focused.hasFocus)
    image = host.grab().toImage()

    def left_edge(button: QPushButton) -> QColor:
        return image.pixelColor(button.x() + 1, button.y() + button.height() // 2)

    assert left_edge(focused) == accent
    assert left_edge(plain) != accent


def test_a_state_dot_is_described_to_a_screen_reader(
    filled: Workspace, window: MainWindow, qtbot: QtBot
) -> None:
    model = window.contacts_pane.model
    window.show_pane("Contacts")

    def described() -> tuple[object, object]:
        index = model.index(0, STATE)
        return (
            index.data(Qt.ItemDataRole.AccessibleDescriptionRole),
            index.data(Qt.ItemDataRole.ToolTipRole),
        )

    qtbot.waitUntil(lambda: described()[0] is not None)
    description, tooltip = described()
    assert description == tooltip
