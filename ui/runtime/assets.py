"""Finding the files in resources/: the app icon, the nav icons and the style sheet."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication

# Next to the ui package, so it works from a checkout and from an installed tree alike.
RESOURCES = Path(__file__).resolve().parents[2] / "resources"

BASE_POINT_SIZE = 10


def resource(name: str) -> Path:
    return RESOURCES / name


def icon(name: str) -> QIcon:
    """An icon from resources/icons/<name>.svg (an empty icon if the file is missing)."""
    path = RESOURCES / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()


def app_icon() -> QIcon:
    return QIcon(str(RESOURCES / "escapement.svg"))


def apply_style(app: QApplication) -> None:
    """One readable base font size; the colours and the style sheet come from ui.runtime.theme."""
    font = QFont(app.font())
    font.setPointSize(BASE_POINT_SIZE)
    app.setFont(font)
