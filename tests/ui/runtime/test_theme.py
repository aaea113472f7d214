"""Light and dark: switching live, following the system, remembering the choice, the View →
Theme actions, disabled menu items, and WCAG AA contrast of every text colour in both schemes."""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import QApplication, QMenu, QMenuBar
from pytestqt.qtbot import QtBot

from ui.runtime import theme
from ui.runtime.contrast import AA_TEXT, luminance, parse, ratio, scheme_pairs, sheet_pairs
from ui.runtime.theme import Choice, Scheme, ThemeController
from ui.runtime.theme_tokens import DARK, DARK_ITEMS, LIGHT, LIGHT_ITEMS


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    """The user's settings, in a file of this test's own."""
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def controllers(qapp: QApplication) -> Iterator[list[ThemeController]]:
    """Controllers made by a test; the application's look is put back afterwards."""
    # One listening controller at a time, as in the app: drop one an earlier run_gui left.
    while (left := theme.installed(qapp)) is not None:
        shiboken6.delete(left)
    made: list[ThemeController] = []
    palette, sheet = QPalette(qapp.palette()), qapp.styleSheet()
    yield made
    for controller in made:
        shiboken6.delete(controller)
    qapp.styleHints().unsetColorScheme()
    qapp.setPalette(palette)
    qapp.setStyleSheet(sheet)


def start(qapp: QApplication, settings: QSettings, made: list[ThemeController]) -> ThemeController:
    controller = ThemeController(qapp, settings)
    made.append(controller)
    return controller


def window_colour(qapp: QApplication) -> str:
    return qapp.palette().color(QPalette.ColorRole.Window).name()


def test_both_tables_fill_every_token_of_the_sheet() -> None:
    template = string.Template(theme.TEMPLATE.read_text(encoding="utf-8"))
    used = set(template.get_identifiers()) - {"resources"}
    assert set(LIGHT) == set(DARK) == used
    assert set(LIGHT_ITEMS) == set(DARK_ITEMS)
    rules = re.sub(r"/\*.*?\*/", "", template.template, flags=re.DOTALL)
    assert not re.findall(r"#[0-9a-fA-F]{3,8}\b", rules), "write colours as tokens"
    for scheme in Scheme:
        assert "$" not in theme.style_sheet(scheme)


def test_choosing_a_scheme_switches_palette_and_sheet_live(
    qapp: QApplication, qtbot: QtBot, settings: QSettings, controllers: list[ThemeController]
) -> None:
    controller = start(qapp, settings, controllers)
    controller.choose(Choice.LIGHT)
    assert window_colour(qapp) == LIGHT["window"]
    assert LIGHT["window"] in qapp.styleSheet()
    assert DARK["window"] not in qapp.styleSheet()
    with qtbot.waitSignal(controller.changed) as switched:
        controller.choose(Choice.DARK)
    assert switched.args == [Scheme.DARK]
    assert controller.scheme is Scheme.DARK
    assert controller.item_colour("error").name() == DARK_ITEMS["error"]
    assert window_colour(qapp) == DARK["window"]
    assert qapp.palette().color(QPalette.ColorRole.Text).name() == DARK["text"]
    assert DARK["window"] in qapp.styleSheet()
    assert LIGHT["window"] not in qapp.styleSheet()
    controller.choose(Choice.LIGHT)
    assert window_colour(qapp) == LIGHT["window"]


def test_the_choice_is_remembered_for_the_next_start(
    qapp: QApplication, tmp_path: Path, settings: QSettings, controllers: list[ThemeController]
) -> None:
    start(qapp, settings, controllers).choose(Choice.DARK)
    again = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert again.value(theme.SETTINGS_KEY) == "dark"
    qapp.setPalette(QPalette())
    restarted = start(qapp, again, controllers)
    assert restarted.choice is Choice.DARK
    assert window_colour(qapp) == DARK["window"]


@given(st.text(max_size=12))
def test_an_unknown_stored_choice_falls_back_to_system(value: str) -> None:
    store: dict[str, object] = {theme.SETTINGS_KEY: value}

    class Stored(QSettings):
        def value(self, key: str, default: object = None, type: object = None) -> object:
            return store.get(key, default)

    expected = value if value in {c.value for c in Choice} else "system"
    assert theme._read_choice(Stored()).value == expected


def test_system_follows_the_colour_scheme_as_it_changes(
    qapp: QApplication, settings: QSettings, controllers: list[ThemeController]
) -> None:
    controller = start(qapp, settings, controllers)
    controller.choose(Choice.SYSTEM)
    hints = qapp.styleHints()
    # The offscreen platform has no scheme of its own: the signal is what a desktop sends.
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert controller.scheme is Scheme.DARK
    assert window_colour(qapp) == DARK["window"]
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert window_colour(qapp) == LIGHT["window"]
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Unknown)  # no preference: light
    assert controller.scheme.value == "light"


def test_an_explicit_choice_ignores_the_system(
    qapp: QApplication, settings: QSettings, controllers: list[ThemeController]
) -> None:
    controller = start(qapp, settings, controllers)
    controller.choose(Choice.LIGHT)
    qapp.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert controller.scheme.value == "light"
    assert window_colour(qapp) == LIGHT["window"]


def test_the_theme_actions_are_exclusive_and_switch(
    qapp: QApplication, settings: QSettings, controllers: list[ThemeController]
) -> None:
    controller = start(qapp, settings, controllers)
    bar = QMenuBar()
    menu = theme.theme_menu(controller, bar)
    actions = {a.data(): a for a in menu.actions()}
    assert list(actions) == ["light", "dark", "system"]
    assert all(a.isCheckable() for a in actions.values())
    assert actions["system"].isChecked()  # nothing stored yet
    actions["dark"].trigger()
    assert controller.choice is Choice.DARK
    assert window_colour(qapp) == DARK["window"]
    assert [a.data() for a in actions.values() if a.isChecked()] == ["dark"]
    assert settings.value(theme.SETTINGS_KEY) == "dark"


def test_theme_goes_into_view_before_help(
    qapp: QApplication, settings: QSettings, controllers: list[ThemeController]
) -> None:
    controller = start(qapp, settings, controllers)
    bar = QMenuBar()
    bar.addMenu("&File")
    bar.addMenu("&Help")
    view = theme.add_to_menu_bar(bar, controller)
    assert [a.text() for a in bar.actions()] == ["&File", "&View", "&Help"]
    assert [a.text() for a in view.actions()] == ["&Theme"]
    assert theme.add_to_menu_bar(bar, controller) is view  # an existing View is reused


def test_install_reuses_the_installed_controller(
    qapp: QApplication, settings: QSettings, controllers: list[ThemeController]
) -> None:
    first = theme.install(qapp, settings)
    controllers.append(first)
    qapp.setStyleSheet("")
    assert theme.install(qapp, settings) is first is theme.installed(qapp)
    assert qapp.styleSheet()  # set again


@pytest.mark.parametrize("choice", [Choice.LIGHT, Choice.DARK])
def test_a_disabled_menu_item_looks_disabled(
    qapp: QApplication,
    qtbot: QtBot,
    settings: QSettings,
    controllers: list[ThemeController],
    choice: Choice,
) -> None:
    start(qapp, settings, controllers).choose(choice)
    menu = QMenu()
    qtbot.addWidget(menu)
    enabled = menu.addAction("Open in Clockwork")
    disabled = menu.addAction("Open in Clockwork")
    disabled.setEnabled(False)
    image = menu.grab().toImage()

    def text_luminance(action: QAction) -> float:
        """The luminance furthest from the menu's background: the text's."""
        rect = menu.actionGeometry(action)
        values = [
            luminance(image.pixelColor(x, y).name())
            for x in range(rect.left(), rect.right())
            for y in range(rect.top(), rect.bottom())
        ]
        return min(values) if choice is Choice.LIGHT else max(values)

    background = theme.tokens(Scheme(choice.value))["base"]
    shown = {a: text_luminance(a) for a in (enabled, disabled)}
    contrast = {a: ratio_of(shown[a], luminance(background)) for a in shown}
    assert contrast[enabled] >= AA_TEXT
    assert contrast[disabled] < contrast[enabled] / 2


def ratio_of(a: float, b: float) -> float:
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


@pytest.mark.parametrize("scheme", list(Scheme))
def test_every_text_colour_reaches_wcag_aa(scheme: Scheme) -> None:
    pairs = scheme_pairs(scheme)
    failing = [str(p) for p in pairs if p.ratio < AA_TEXT]
    assert not failing, f"below {AA_TEXT}:1 in {scheme.value}:\n" + "\n".join(failing)


@pytest.mark.parametrize("scheme", list(Scheme))
def test_the_contrast_check_pairs_text_with_the_background_it_sits_on(scheme: Scheme) -> None:
    t = theme.tokens(scheme)
    pairs = {(p.where, p.text, p.background) for p in scheme_pairs(scheme)}
    expected = {
        ("QFrame#banner QLabel", t["text_accent"], t["info_bg"]),
        ('QStatusBar QLabel#statusItem[problem="true"]', t["danger"], t["nav"]),
        ("QListWidget#navigation::item:hover", t["text_nav"], t["nav_hover"]),
        ("QPushButton#primaryButton:hover", t["on_accent"], t["accent_hover"]),
        ("QFrame#card", t["text"], t["base"]),
        ("QLabel#subtle", t["text_muted"], t["window"]),
        ("QLineEdit (selection)", t["on_accent"], t["accent"]),
        ("palette HighlightedText/Highlight", t["text_strong"], t["selection"]),
        ("item text ok", theme.item_colours(scheme)["ok"], t["selection"]),
    }
    assert expected <= pairs
    assert not any(":disabled" in where for where, _, _ in pairs)


def test_the_contrast_check_fails_on_a_pale_pair() -> None:
    sheet = """
        QWidget { color: #222222; }
        QFrame#card { background: #ffffff; }
        QFrame#card QLabel#hint { color: #aaaaaa; }  /* 2.3:1 on white */
        QPushButton:disabled { color: #eeeeee; background: #ffffff; }
    """
    pairs = sheet_pairs(sheet, ["#ffffff"], {"color": "#222222"})
    low = [p for p in pairs if p.ratio < AA_TEXT]
    assert [(p.where, p.text, p.background) for p in low] == [
        ("QFrame#card QLabel#hint", "#aaaaaa", "#ffffff")
    ]
    assert round(ratio("#aaaaaa", "#ffffff"), 2) == 2.32
    assert round(ratio("#000000", "#ffffff"), 2) == 21.0


def test_the_parser_merges_rules_and_splits_selector_lists() -> None:
    rules = parse("A, B:hover { color: #111111; } /* x { } */ A { background: #222222; }")
    assert rules == {
        "A": {"color": "#111111", "background": "#222222"},
        "B:hover": {"color": "#111111"},
    }
