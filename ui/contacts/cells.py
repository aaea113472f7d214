"""How one contact looks in the contacts table: its cells' text, colours, dot and tooltips.

A paint asks for thousands of cells, so brushes, dots and the link font are made once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap

from app.api import ContactProgress, ContactRow, ContactSyncState, EnrollmentStatus
from ui.runtime import theme

COLUMNS = (
    "Name",
    "Email",
    "Company",
    "Title",
    "Clockwork",
    "Candidate status",
    "Step",
    "Last reply or bounce",
    "Last email",
)
NAME, EMAIL, COMPANY, TITLE, STATE, CANDIDATE, STEP, RESPONSE, LAST_EMAIL = range(len(COLUMNS))
PROGRESS = (STEP, RESPONSE, LAST_EMAIL)
#: What the sequence did for an enrollment that no longer sends, beside its step.
ENDED = {
    EnrollmentStatus.REPLIED: "replied",
    EnrollmentStatus.BOUNCED: "bounced",
    EnrollmentStatus.FINISHED: "finished",
    EnrollmentStatus.OPTED_OUT: "opted out",
    EnrollmentStatus.STOPPED: "stopped",
}
OPTED_OUT = "Opted out"
NO_STATUS = "—"  # a dash, not blank: "we know of none", which a blank cell does not say

STATE_COLORS = {
    ContactSyncState.NOT_SYNCED: "#7b818c",
    ContactSyncState.QUEUED: "#2f6fde",
    ContactSyncState.SYNCED: "#1e8a4c",
    ContactSyncState.EXISTS_IN_CLOCKWORK: "#b26b00",
    ContactSyncState.POSSIBLE_DUPLICATE: "#b26b00",
    ContactSyncState.ERROR: "#c93c3c",
}
_PLACEHOLDER_COLOR = "#a0a5ad"
_OPTED_OUT_COLOR = "#c93c3c"  # the theme's error colour replaces it when a theme is installed
_dots: dict[ContactSyncState, QIcon] = {}
_icons: dict[str, QIcon] = {}
_NO_ENTRY = "no-entry"
DOT_RATIOS = (1, 1.5, 2, 3)
_brushes: dict[str, QBrush] = {}
_LINK_FONT = QFont()
_LINK_FONT.setUnderline(True)
FLAGGED = (ContactSyncState.EXISTS_IN_CLOCKWORK, ContactSyncState.POSSIBLE_DUPLICATE)


@dataclass(frozen=True, slots=True)
class Extras:
    """What a page's cells show beside its rows, read with the page on the pool."""

    #: contact id -> why its candidate status stopped its sequences
    stopped: dict[int, str] = field(default_factory=dict)
    #: the page's addresses (lower-cased) on the suppression list
    suppressed: frozenset[str] = frozenset()
    #: contact id -> how far its sequence got
    progress: dict[int, ContactProgress] = field(default_factory=dict)

    def opted_out(self, row: ContactRow) -> bool:
        return row.email.lower() in self.suppressed


def cell(row: ContactRow, column: int, role: int, extras: Extras | None = None) -> Any:
    extras = extras or Extras()
    if column == CANDIDATE:
        return _candidate_cell(row, role, extras)
    if column in PROGRESS:
        return _progress_cell(extras.progress.get(row.id), column, role)
    if column == NAME and extras.opted_out(row):
        return _opted_out_cell(row, role)
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


def _candidate_cell(row: ContactRow, role: int, extras: Extras) -> Any:
    if role == Qt.ItemDataRole.DisplayRole:
        return row.candidate_status or NO_STATUS
    if role == Qt.ItemDataRole.ToolTipRole:
        reason = extras.stopped.get(row.id)
        if reason:
            return f"{row.candidate_status}: {reason}"
        if row.candidate_status:
            return f"Candidate status in Clockwork: {row.candidate_status}"
        return "No candidate status known (the contact is not in a Clockwork project yet)."
    if role == Qt.ItemDataRole.ForegroundRole:
        if extras.stopped.get(row.id):
            return _themed("warning", "#b26b00")
        if not row.candidate_status:
            return _brush(_PLACEHOLDER_COLOR)
    return None


def _progress_cell(progress: ContactProgress | None, column: int, role: int) -> Any:
    if role == Qt.ItemDataRole.ForegroundRole and (progress is None or column != STEP):
        return _brush(_PLACEHOLDER_COLOR) if progress is None else None
    if role != Qt.ItemDataRole.DisplayRole:
        return None
    if progress is None:
        return NO_STATUS if column == STEP else ""
    if column == STEP:
        ended = ENDED.get(progress.status)
        step = f"{progress.steps_sent} sent" if progress.steps_sent else "Not started"
        return f"{step}, {ended}" if ended else step
    if column == RESPONSE:
        if progress.last_response is None:
            return ""
        return f"{progress.last_response.capitalize()} {_day(progress.last_response_at)}"
    return _day(progress.last_email_at)


def _day(at: datetime | None) -> str:
    local = at.astimezone() if at is not None and at.tzinfo else at  # stored in UTC
    return f"{local:%d %b %Y}" if local else ""


def _opted_out_cell(row: ContactRow, role: int) -> Any:
    """The name with an "Opted out" badge: nobody emails this person any more."""
    if role == Qt.ItemDataRole.DisplayRole:
        return f"{OPTED_OUT} · {row.name}"  # first: a narrow column must not cut the badge
    if role == Qt.ItemDataRole.ForegroundRole:
        return _themed("error", _OPTED_OUT_COLOR)
    if role == Qt.ItemDataRole.DecorationRole:
        return _no_entry()
    if role == Qt.ItemDataRole.ToolTipRole:
        return f"{row.email} opted out: no sequence emails them.\nRight-click for the details."
    return None


def _themed(role: str, fallback: str) -> QBrush:
    controller = theme.installed()
    return _brush(controller.item_colour(role).name() if controller else fallback)


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


def _no_entry() -> QIcon:
    """A no-entry sign in the opted-out colour, drawn once."""
    if _NO_ENTRY not in _icons:
        pixmap = QPixmap(12, 12)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(_OPTED_OUT_COLOR))
        painter.drawEllipse(1, 1, 10, 10)
        painter.setBrush(QColor("#ffffff"))
        painter.drawRect(3, 5, 6, 2)
        painter.end()
        _icons[_NO_ENTRY] = QIcon(pixmap)
    return _icons[_NO_ENTRY]


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
