"""Light and dark: the palette and the style sheet for a colour scheme, the user's choice of
Light, Dark or System (remembered), and following the system's scheme live.

The style sheet is one template (resources/style.qss) whose colour tokens are filled in from
theme_tokens.LIGHT or theme_tokens.DARK; the palette is built from the same tables, so widgets
the sheet does not cover (check boxes, text views, item views' default text) match it.

The choice lives in QSettings (key `appearance/theme`), not in the Workspace: the Workspace can
be a firm-wide PostgreSQL database shared by every recruiter, while a colour scheme belongs to
one person on one machine. The app uses the platform's store (an INI file under ~/.config on
Linux, the registry on Windows, a plist on macOS); tests hand in a QSettings on a file in their
tmp dir, so they never touch the user's.
"""

from __future__ import annotations

import enum
from string import Template

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QMenu, QMenuBar, QWidget

from ui.runtime.assets import RESOURCES
from ui.runtime.theme_tokens import DARK, DARK_ITEMS, LIGHT, LIGHT_ITEMS

SETTINGS_KEY = "appearance/theme"
TEMPLATE = RESOURCES / "style.qss"


class Scheme(enum.Enum):
    """What is drawn."""

    LIGHT = "light"
    DARK = "dark"


class Choice(enum.Enum):
    """What the user picked in View → Theme."""

    LIGHT = "light"
    DARK = "dark"
    SYSTEM = "system"

    @property
    def label(self) -> str:
        return {"light": "&Light", "dark": "&Dark", "system": "&System"}[self.value]


TOKENS: dict[Scheme, dict[str, str]] = {Scheme.LIGHT: LIGHT, Scheme.DARK: DARK}
ITEMS: dict[Scheme, dict[str, str]] = {Scheme.LIGHT: LIGHT_ITEMS, Scheme.DARK: DARK_ITEMS}
_QT_SCHEME = {Scheme.LIGHT: Qt.ColorScheme.Light, Scheme.DARK: Qt.ColorScheme.Dark}


def tokens(scheme: Scheme) -> dict[str, str]:
    return TOKENS[scheme]


def item_colours(scheme: Scheme) -> dict[str, str]:
    """Text colours for code that colours item-view text (theme_tokens.LIGHT_ITEMS)."""
    return ITEMS[scheme]


def style_sheet(scheme: Scheme) -> str:
    """The style sheet for one scheme; a token missing from the table raises KeyError."""
    text = TEMPLATE.read_text(encoding="utf-8")
    return Template(text).substitute(TOKENS[scheme], resources=RESOURCES.as_posix())


def palette(scheme: Scheme) -> QPalette:
    t = TOKENS[scheme]
    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: t["window"],
        QPalette.ColorRole.WindowText: t["text"],
        QPalette.ColorRole.Base: t["base"],
        QPalette.ColorRole.AlternateBase: t["base_alt"],
        QPalette.ColorRole.Text: t["text"],
        QPalette.ColorRole.PlaceholderText: t["text_muted"],
        QPalette.ColorRole.Button: t["base"],
        QPalette.ColorRole.ButtonText: t["text"],
        QPalette.ColorRole.BrightText: t["danger"],
        QPalette.ColorRole.Highlight: t["selection"],
        QPalette.ColorRole.HighlightedText: t["text_strong"],
        QPalette.ColorRole.ToolTipBase: t["tooltip_bg"],
        QPalette.ColorRole.ToolTipText: t["tooltip_text"],
        QPalette.ColorRole.Link: t["text_accent"],
        QPalette.ColorRole.LinkVisited: t["text_accent"],
        QPalette.ColorRole.Accent: t["accent"],
        # The 3D shades the style draws frames, check boxes and splitters with.
        QPalette.ColorRole.Light: t["sunken"],
        QPalette.ColorRole.Midlight: t["border"],
        QPalette.ColorRole.Mid: t["border_strong"],
        QPalette.ColorRole.Dark: t["scroll_hover"],
        QPalette.ColorRole.Shadow: t["scroll_hover"],
    }
    for role, colour in roles.items():
        pal.setColor(role, QColor(colour))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor(t["text_disabled"]))
    return pal


def scheme_of(system: Qt.ColorScheme) -> Scheme:
    """The system's scheme as ours; Unknown (no preference, or a platform that cannot tell)
    is light."""
    return Scheme.DARK if system == Qt.ColorScheme.Dark else Scheme.LIGHT


class ThemeController(QObject):
    """Applies the chosen scheme to the application and keeps it applied.

    With System it follows QStyleHints.colorSchemeChanged; with Light or Dark it also asks the
    platform for that scheme (Qt 6.8+), so native parts such as the title bar match.
    """

    changed = Signal(object)  # the Scheme now drawn, for code that paints its own colours

    def __init__(self, app: QApplication, settings: QSettings):
        super().__init__(app)
        self.setObjectName("themeController")
        self._app = app
        self._settings = settings
        self._choice = _read_choice(settings)
        self._scheme: Scheme | None = None
        app.styleHints().colorSchemeChanged.connect(self._system_changed)
        self._follow()

    @property
    def choice(self) -> Choice:
        return self._choice

    @property
    def settings(self) -> QSettings:
        """The app's QSettings (a file of their own in tests), for other remembered choices."""
        return self._settings

    @property
    def scheme(self) -> Scheme:
        """The scheme drawn now."""
        assert self._scheme is not None  # set in __init__
        return self._scheme

    def item_colour(self, role: str) -> QColor:
        """An item-view text colour (muted, info, ok, warning, error, accent) for the scheme
        drawn now; listen to `changed` to colour again when it switches."""
        return QColor(ITEMS[self.scheme][role])

    def choose(self, choice: Choice) -> None:
        """Switch now and remember the choice for the next start."""
        self._choice = choice
        self._settings.setValue(SETTINGS_KEY, choice.value)
        self._settings.sync()
        self._follow()

    def _follow(self) -> None:
        hints = self._app.styleHints()
        if self._choice is Choice.SYSTEM:
            hints.unsetColorScheme()
            self.apply(scheme_of(hints.colorScheme()))
        else:
            scheme = Scheme(self._choice.value)
            hints.setColorScheme(_QT_SCHEME[scheme])
            self.apply(scheme)

    def _system_changed(self, system: Qt.ColorScheme) -> None:
        # Our own setColorScheme (Light or Dark chosen) also lands here: only System listens.
        if self._choice is Choice.SYSTEM:
            self.apply(scheme_of(system))

    def reapply(self) -> None:
        """Set the palette and the sheet again (after something else replaced them)."""
        self._scheme = None
        self._follow()

    def apply(self, scheme: Scheme) -> None:
        if scheme is self._scheme:
            return
        self._scheme = scheme
        if scheme is Scheme.DARK and self._app.style().name() == "windowsvista":
            self._app.setStyle("Fusion")  # the classic Windows style draws light only
        self._app.setPalette(palette(scheme))
        self._app.setStyleSheet(style_sheet(scheme))
        self.changed.emit(scheme)


def _read_choice(settings: QSettings) -> Choice:
    value = settings.value(SETTINGS_KEY, Choice.SYSTEM.value)
    try:
        return Choice(str(value))
    except ValueError:  # a hand-edited or future value: fall back rather than fail to start
        return Choice.SYSTEM


def install(app: QApplication, settings: QSettings | None = None) -> ThemeController:
    """Apply the remembered choice to `app` (once; a second call returns the first controller)."""
    existing = installed(app)
    if existing is not None:
        existing.reapply()
        return existing
    return ThemeController(app, settings if settings is not None else QSettings())


def installed(app: QGuiApplication | None = None) -> ThemeController | None:
    target = app if app is not None else QApplication.instance()
    if target is None:
        return None
    return target.findChild(ThemeController, "themeController")


def theme_actions(controller: ThemeController, parent: QObject) -> QActionGroup:
    """Light, Dark and System as three checkable, exclusive actions; the current one checked."""
    group = QActionGroup(parent)
    group.setExclusive(True)
    for choice in Choice:
        action = QAction(choice.label, group, checkable=True)
        action.setObjectName(f"theme-{choice.value}")
        action.setData(choice.value)
        action.setChecked(choice is controller.choice)
        action.setStatusTip(
            "Follow the system's light or dark setting"
            if choice is Choice.SYSTEM
            else f"Always use the {choice.value} colours"
        )
        action.triggered.connect(lambda _=False, c=choice: controller.choose(c))
    return group


def theme_menu(controller: ThemeController, parent: QWidget) -> QMenu:
    """The "Theme" submenu for View."""
    menu = QMenu("&Theme", parent)
    menu.setObjectName("themeMenu")
    menu.addActions(theme_actions(controller, menu).actions())
    return menu


def add_to_menu_bar(bar: QMenuBar, controller: ThemeController) -> QMenu:
    """Put Theme in the bar's View menu, making View (before Help) if there is none yet."""
    menus = {_title(a): a for a in bar.actions() if isinstance(a.menu(), QMenu)}
    view = menus["View"].menu() if "View" in menus else None
    if not isinstance(view, QMenu):
        view = QMenu("&View", bar)
        if "Help" in menus:
            bar.insertMenu(menus["Help"], view)
        else:
            bar.addMenu(view)
    view.addMenu(theme_menu(controller, view))
    return view


def _title(action: QAction) -> str:
    return action.text().replace("&", "")
