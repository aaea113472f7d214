"""The contacts table, read from the store in pages so 100,000 contacts open at once.

rowCount is the filter's total, so the scrollbar is true from the start; rows arrive a page at a
time, only for what the view paints. Queries run on a thread pool (a deep page of a filtered
query takes up to ~150 ms on 100k rows), so a row that is not loaded yet shows as "…" for a
moment. A refresh keeps showing the old rows while their replacements load: no flicker.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from functools import partial
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap

from app.domain import ContactFilter, ContactRow, ContactSyncState
from app.workspace import Workspace
from ui.tasks import TaskRunner

PAGE_SIZE = 200
CACHE_PAGES = 24
MAX_IN_FLIGHT = 2
# Only the most recently painted pages are worth loading: a fast scroll leaves the rest behind.
MAX_WANTED = 4

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
_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.ToolTipRole,
    }
)
_dots: dict[ContactSyncState, QIcon] = {}
_brushes: dict[str, QBrush] = {}

Index = QModelIndex | QPersistentModelIndex


@dataclass(slots=True)
class _Page:
    rows: list[ContactRow]
    epoch: int  # the refresh it was loaded in; older than the model's epoch means stale


class ContactsTableModel(QAbstractTableModel):
    totalChanged = Signal(int)

    def __init__(
        self, workspace: Workspace, flt: ContactFilter | None = None, parent: Any = None
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._runner = TaskRunner(self)
        self._flt = flt or ContactFilter()  # the filter of the rows now shown
        self._wanted_flt = self._flt  # the filter being counted; becomes _flt when it lands
        self._count_seq = 0
        self._total = 0
        self._epoch = 0
        self._pages: OrderedDict[int, _Page] = OrderedDict()
        self._in_flight: set[tuple[ContactFilter, int, int]] = set()
        self._wanted: list[int] = []
        self._recount()

    # --- what the rest of the UI uses ------------------------------------------------------

    @property
    def contact_filter(self) -> ContactFilter:
        return self._wanted_flt

    @property
    def total(self) -> int:
        return self._total

    def set_filter(self, flt: ContactFilter) -> None:
        if flt != self._wanted_flt:
            self._wanted_flt = flt
            self._recount()

    def refresh(self) -> None:
        """The store changed: recount, and reload each page the next time it is shown."""
        self._epoch += 1
        self._recount()

    def row_at(self, index: Index) -> ContactRow | None:
        """The contact on that row, or None while its page is still loading."""
        return self._row(index.row()) if index.isValid() else None

    # --- Qt's side ------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = 0) -> Any:
        # A view asks ~10 roles per cell per paint; answer the ones we ignore before paging.
        if role not in _ROLES or not index.isValid():
            return None
        row = self._row(index.row())
        if row is None:
            return _placeholder(index.column(), role)
        return _cell(row, index.column(), role)

    # --- counting -------------------------------------------------------------------------

    def _recount(self) -> None:
        self._count_seq += 1
        seq, flt = self._count_seq, self._wanted_flt
        self._runner.submit(
            lambda: self._ws.count_contacts(flt), lambda n: self._counted(seq, flt, n)
        )

    def _counted(self, seq: int, flt: ContactFilter, total: int) -> None:
        if seq != self._count_seq:
            return  # a newer filter or refresh is being counted
        if flt != self._flt or total != self._total:
            self.beginResetModel()
            if flt != self._flt:
                self._flt = flt
                self._pages.clear()
                self._wanted.clear()
            self._total = total
            self.endResetModel()
        elif total:
            # Same rows, maybe new values: let the view ask again; stale pages reload then.
            self.dataChanged.emit(self.index(0, 0), self.index(total - 1, len(COLUMNS) - 1))
        self.totalChanged.emit(total)

    # --- paging ---------------------------------------------------------------------------

    def _row(self, row: int) -> ContactRow | None:
        number, offset = divmod(row, PAGE_SIZE)
        page = self._pages.get(number)
        if page is None or page.epoch < self._epoch:
            self._want(number)
        if page is None:
            return None
        self._pages.move_to_end(number)
        return page.rows[offset] if offset < len(page.rows) else None

    def _want(self, number: int) -> None:
        if self._wanted and self._wanted[-1] == number:
            return  # the same page, asked again by the next cell of the same paint
        if number in self._wanted:
            self._wanted.remove(number)
        self._wanted.append(number)
        del self._wanted[:-MAX_WANTED]
        self._pump()

    def _pump(self) -> None:
        while self._wanted and len(self._in_flight) < MAX_IN_FLIGHT:
            number = self._wanted.pop()  # newest first: that is what the user is looking at
            key = (self._flt, self._epoch, number)
            page = self._pages.get(number)
            if key in self._in_flight or (page is not None and page.epoch >= self._epoch):
                continue
            self._in_flight.add(key)
            self._runner.submit(
                partial(self._ws.contacts_page, self._flt, number * PAGE_SIZE, PAGE_SIZE),
                partial(self._loaded, key),
            )

    def _loaded(self, key: tuple[ContactFilter, int, int], rows: list[ContactRow]) -> None:
        self._in_flight.discard(key)
        flt, epoch, number = key
        old = self._pages.get(number)
        if flt == self._flt and (old is None or old.epoch <= epoch):
            self._pages[number] = _Page(rows, epoch)
            self._pages.move_to_end(number)
            while len(self._pages) > CACHE_PAGES:
                self._pages.popitem(last=False)
            self._announce(number)
        self._pump()

    def _announce(self, number: int) -> None:
        first = number * PAGE_SIZE
        last = min(first + PAGE_SIZE, self._total) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))


def _cell(row: ContactRow, column: int, role: int) -> Any:
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
    if role == Qt.ItemDataRole.ToolTipRole:
        return _state_tooltip(row)
    return None


def _placeholder(column: int, role: int) -> Any:
    if role == Qt.ItemDataRole.DisplayRole and column == NAME:
        return "…"
    if role == Qt.ItemDataRole.ForegroundRole:
        return _brush(_PLACEHOLDER_COLOR)
    return None


def _state_tooltip(row: ContactRow) -> str:
    if row.error:
        return f"{row.state.label}: {row.error}"
    if row.state is ContactSyncState.SYNCED and row.synced_at is not None:
        return f"Synced to Clockwork on {row.synced_at:%d %b %Y at %H:%M}"
    return row.state.label


def _brush(color: str) -> QBrush:
    """One brush per colour: a paint asks for thousands of cells."""
    if color not in _brushes:
        _brushes[color] = QBrush(QColor(color))
    return _brushes[color]


def _dot(state: ContactSyncState) -> QIcon:
    """A small filled circle in the state's colour, drawn once per state."""
    if state not in _dots:
        pixmap = QPixmap(10, 10)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(STATE_COLORS[state]))
        painter.drawEllipse(1, 1, 8, 8)
        painter.end()
        _dots[state] = QIcon(pixmap)
    return _dots[state]
