"""How one contact looks in the contacts table: its cells' text, colours, dot and tooltips.

A paint asks for thousands of cells, so brushes, dots and the link font are made once.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap

from app.domain import ContactRow, ContactSyncState

COLUMNS = ("Name", "Email", "Company", "Title", "Clockwork")
NAME, EMAIL, COMPANY, TITLE, STATE = range(len(COLUMNS))

STATE_COLORS = {
    ContactSyncState.NOT_SYNCED: "#7b818c",
    ContactSyncState.QUEUED: "#2f6fde",
    ContactSyncState.SYNCED: "#1e8a4c",
    ContactSyncState.EXISTS_IN_CLOCKWORK: "#b26b00",
    ContactSyncState.POSSIBLE_DUPLICATE: "#b26b00",
    ContactSyncState.ERROR: "#c93c3c",
}
_PLACEHOLDER_COLOR = "#a0a5ad"
_dots: dict[ContactSyncState, QIcon] = {}
DOT_RATIOS = (1, 1.5, 2, 3)
_brushes: dict[str, QBrush] = {}
_LINK_FONT = QFont()
_LINK_FONT.setUnderline(True)
FLAGGED = (ContactSyncState.EXISTS_IN_CLOCKWORK, ContactSyncState.POSSIBLE_DUPLICATE)


def cell(row: ContactRow, column: int, role: int) -> Any:
    if role == Qt.ItemDataRole.DisplayRole:
        return (row.name, row.email, row.company, row.title, row.state.label)[column]
    if column != STATE:
        # The email doubles as the name's tooltip: a narrow table may hide the Email column.
        tip = role == Qt.ItemDataRole.ToolTipRole and column in (NAME, EMAIL)
        return row.email if tip else None
    if role == Qt.ItemDataRole.ForegroundRole:
        return _brush(STATE_COLORS[row.state])
    if role == Qt.ItemDataRole.DecorationRole:
        return _dot(row.state)
    if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleDescriptionRole):
        return _state_tooltip(row)  # the dot's meaning, for the eye and for a screen reader
    if role == Qt.ItemDataRole.FontRole and is_linked(row):
        return _LINK_FONT  # a link: double-click opens the person in Clockwork
    return None


def is_linked(row: ContactRow) -> bool:
    return row.state is ContactSyncState.SYNCED and bool(row.clockwork_person_id)


def placeholder(column: int, role: int) -> Any:
    if role == Qt.ItemDataRole.DisplayRole and column == NAME:
        return "…"
    if role == Qt.ItemDataRole.ForegroundRole:
        return _brush(_PLACEHOLDER_COLOR)
    return None


def _state_tooltip(row: ContactRow) -> str:
    if row.state in FLAGGED:
        who = f": {row.duplicate_of}" if row.duplicate_of else ""
        # The same email is the same person; a LinkedIn match may be someone else.
        second = row.state is ContactSyncState.POSSIBLE_DUPLICATE
        choice = " or to create a second record anyway" if second else ""
        return f"{row.state.label}{who}\nRight-click to link to this person{choice}."
    if row.error:
        return f"{row.state.label}: {row.error}\nRight-click to retry."
    if row.state is ContactSyncState.SYNCED:
        at = row.synced_at
        local = at.astimezone() if at is not None and at.tzinfo else at  # stored in UTC
        when = f" on {local:%d %b %Y at %H:%M}" if local else ""
        link = "\nDouble-click to open the person in Clockwork." if is_linked(row) else ""
        return f"Synced to Clockwork{when}{link}"
    return row.state.label


def _brush(color: str) -> QBrush:
    """One brush per colour: a paint asks for thousands of cells."""
    if color not in _brushes:
        _brushes[color] = QBrush(QColor(color))
    return _brushes[color]


def _dot(state: ContactSyncState) -> QIcon:
    """A small filled circle in the state's colour, drawn once per state at each common
    device pixel ratio, so it stays round and sharp on a high-DPI screen."""
    if state not in _dots:
        icon = QIcon()
        for ratio in DOT_RATIOS:
            side = round(10 * ratio)
            pixmap = QPixmap(side, side)
            pixmap.setDevicePixelRatio(ratio)  # ten logical pixels at every ratio
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(STATE_COLORS[state]))
            painter.drawEllipse(QRectF(1, 1, 8, 8))  # in logical pixels
            painter.end()
            icon.addPixmap(pixmap)
        _dots[state] = icon
    return _dots[state]
