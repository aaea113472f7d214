"""The contacts table, read from the store in keyset pages so a million contacts open at once.

rowCount is the filter's count, so the scrollbar is true from the start; rows arrive a page at a
time, only for what the view paints. A page is "the PAGE_SIZE rows after this key", never an
OFFSET (which walks every row before it): page n starts after the last row of page n-1 when
that is loaded, else after anchor n-1 (the keys of every PAGE_SIZE-th row, fetched once per
count). The quick count is exact without a search; with one it may say "at least N", and the
exact count then grows the table. Every read runs on a thread pool, so a row that is not loaded
yet shows as "…" for a moment. A refresh keeps showing the old rows while their replacements
load: no flicker.
"""

from __future__ import annotations

import sys
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from app.api import ContactCount, ContactFilter, ContactRow, ContactSort, EscapementError
from app.workspace import Workspace, contact_key
from ui.contacts.cells import (  # the columns are re-exported for the views
    CANDIDATE,
    COLUMNS,
    COMPANY,
    EMAIL,
    FLAGGED,
    LAST_EMAIL,
    NAME,
    PROGRESS,
    RESPONSE,
    STATE,
    STEP,
    TITLE,
    Extras,
    cell,
    is_linked,
    placeholder,
)
from ui.runtime.task_runner import TaskRunner

__all__ = [
    "CANDIDATE",
    "COLUMNS",
    "COMPANY",
    "EMAIL",
    "FLAGGED",
    "LAST_EMAIL",
    "NAME",
    "PAGE_SIZE",
    "PROGRESS",
    "RESPONSE",
    "STATE",
    "STEP",
    "TITLE",
    "ContactsTableModel",
    "is_linked",
]

PAGE_SIZE = 200
CACHE_PAGES = 24
MAX_IN_FLIGHT = 2
# Only the most recently painted pages are worth loading: a fast scroll leaves the rest behind.
MAX_WANTED = 4


_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.AccessibleDescriptionRole,
    }
)

Index = QModelIndex | QPersistentModelIndex


@dataclass(slots=True)
class _Page:
    rows: list[ContactRow]
    epoch: int  # the refresh it was loaded in; older than the model's epoch means stale
    extras: Extras = field(default_factory=Extras)


PageKey = tuple[ContactFilter, int, int]  # filter, epoch, page number


class ContactsTableModel(QAbstractTableModel):
    totalChanged = Signal(int)
    #: The rows are now another filter's (not the same filter's, refreshed): views start again
    #: from the first row instead of keeping an offset into rows that are no longer there.
    filterChanged = Signal()
    #: A count or page failed with an error the user can act on (a search too long); "" once
    #: a count succeeds again.
    problem = Signal(str)

    def __init__(
        self,
        workspace: Workspace,
        flt: ContactFilter | None = None,
        parent: Any = None,
        sort: ContactSort = ContactSort.ID,
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._sort = sort
        self._runner = TaskRunner(self)
        self._flt = flt or ContactFilter()  # the filter of the rows now shown
        self._wanted_flt = self._flt  # the filter being counted; becomes _flt when it lands
        self._count_seq = 0
        self._total = 0
        self._exact = True
        self._epoch = 0
        self._pages: OrderedDict[int, _Page] = OrderedDict()
        self._in_flight: set[PageKey] = set()
        self._wanted: list[int] = []
        # The key of every PAGE_SIZE-th row of _flt: where a jump's page starts. Empty until
        # fetched; pages asked for before then wait in _blocked.
        self._anchors: list[Any] = []
        self._blocked: set[int] = set()
        # The pages the view asked for since the last refresh, latest last, and the ones it
        # showed before that: what a refresh reloads (other pages reload when next shown).
        self._seen: dict[int, None] = {}
        self._last_seen = -1
        self._shown: list[int] = []
        self._recount()

    # --- what the rest of the UI uses ------------------------------------------------------

    @property
    def contact_filter(self) -> ContactFilter:
        return self._wanted_flt

    @property
    def shown_filter(self) -> ContactFilter:
        """The filter of the rows on screen (the wanted one may still be counting)."""
        return self._flt

    @property
    def total(self) -> int:
        return self._total

    @property
    def exact(self) -> bool:
        """False while the total is "at least": the exact count is still running."""
        return self._exact

    def set_filter(self, flt: ContactFilter) -> None:
        if flt != self._wanted_flt:
            self._wanted_flt = flt
            self._recount()

    def refresh(self) -> None:
        """The store changed: recount, reload the pages on screen, and repaint only the rows
        that changed (a sync changes a few rows a second; most refreshes repaint nothing).
        Other pages reload the next time they are shown."""
        self._epoch += 1
        self._recount()

    def row_at(self, index: Index) -> ContactRow | None:
        """The contact on that row, or None while its page is still loading."""
        return self._row(index.row())[0] if index.isValid() else None

    def is_suppressed_at(self, index: Index) -> bool:
        """Whether that row's address is on the suppression list (as its page was loaded)."""
        row, page = self._row(index.row()) if index.isValid() else (None, None)
        return row is not None and page is not None and page.extras.opted_out(row)

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
        row, page = self._row(index.row())
        if row is None or page is None:
            return placeholder(index.column(), role)
        return cell(row, index.column(), role, page.extras)

    # --- counting -------------------------------------------------------------------------

    def _recount(self) -> None:
        self._count_seq += 1
        seq, flt = self._count_seq, self._wanted_flt
        self._runner.submit(
            lambda: self._ws.contact_count(flt),
            lambda n: self._counted(seq, flt, n),
            self._failed,
        )

    def _counted(self, seq: int, flt: ContactFilter, count: ContactCount) -> None:
        if seq != self._count_seq:
            return  # a newer filter or refresh is being counted
        self.problem.emit("")
        total = count.value
        another = flt != self._flt
        if another or total != self._total:
            self.beginResetModel()
            if another:
                self._flt = flt
                self._pages.clear()
                self._wanted.clear()
                self._anchors = []  # another filter's keys would start pages in wrong places
                self._blocked.clear()
            self._total = total
            self._forget_seen()
            self._shown = []
            self.endResetModel()
            if another:
                self.filterChanged.emit()
        elif total:
            # Same rows, maybe new values: reload what the view shows; _loaded repaints changes.
            if self._seen:
                self._shown = list(self._seen)[-MAX_WANTED:]
                self._forget_seen()
            for number in self._shown:
                self._want(number)
        self._exact = count.exact
        self.totalChanged.emit(total)
        if not count.exact:
            self._runner.submit(
                lambda: self._ws.count_contacts(flt),
                lambda n: self._grown(seq, flt, n),
                self._failed,
            )
        if total > PAGE_SIZE:
            self._runner.submit(
                partial(self._ws.contact_anchors, flt, PAGE_SIZE, self._sort),
                lambda keys: self._anchored(seq, flt, keys),
                self._failed,
            )

    def _grown(self, seq: int, flt: ContactFilter, total: int) -> None:
        """The exact count of an "at least" count: more rows, inserted below the others (a
        reset would throw away the scroll position and selection)."""
        if seq != self._count_seq or flt != self._flt:
            return
        if total > self._total:
            self.beginInsertRows(QModelIndex(), self._total, total - 1)
            self._total = total
            self.endInsertRows()
        self._exact = True
        self.totalChanged.emit(self._total)

    def _anchored(self, seq: int, flt: ContactFilter, keys: list[Any]) -> None:
        if seq != self._count_seq or flt != self._flt:
            return
        self._anchors = keys
        blocked, self._blocked = self._blocked, set()
        for number in sorted(blocked):
            self._want(number)

    def _failed(self, exc: Exception) -> None:
        if not isinstance(exc, EscapementError):
            sys.excepthook(type(exc), exc, exc.__traceback__)
            return
        self.problem.emit(exc.message)

    def _forget_seen(self) -> None:
        self._seen.clear()
        self._last_seen = -1

    # --- paging ---------------------------------------------------------------------------

    def _row(self, row: int) -> tuple[ContactRow | None, _Page | None]:
        number, offset = divmod(row, PAGE_SIZE)
        if number != self._last_seen:  # most asks are for the page of the previous one
            self._seen.pop(number, None)
            self._seen[number] = None
            self._last_seen = number
        page = self._pages.get(number)
        if page is None or page.epoch < self._epoch:
            self._want(number)
        if page is None:
            return None, None
        self._pages.move_to_end(number)
        return (page.rows[offset] if offset < len(page.rows) else None), page

    def _want(self, number: int) -> None:
        if self._wanted and self._wanted[-1] == number:
            return  # the same page, asked again by the next cell of the same paint
        if number in self._wanted:
            self._wanted.remove(number)
        self._wanted.append(number)
        del self._wanted[:-MAX_WANTED]
        self._pump()

    def _start_of(self, number: int) -> tuple[bool, Any]:
        """(known, key) where page `number` starts: after the previous page's last row, or
        after its anchor."""
        if number == 0:
            return True, None
        before = self._pages.get(number - 1)
        if before is not None and before.epoch >= self._epoch and len(before.rows) == PAGE_SIZE:
            return True, contact_key(before.rows[-1], self._sort)
        if len(self._anchors) >= number:
            return True, self._anchors[number - 1]
        return False, None

    def _pump(self) -> None:
        while self._wanted and len(self._in_flight) < MAX_IN_FLIGHT:
            number = self._wanted.pop()  # newest first: that is what the user is looking at
            key = (self._flt, self._epoch, number)
            page = self._pages.get(number)
            if key in self._in_flight or (page is not None and page.epoch >= self._epoch):
                continue
            known, after = self._start_of(number)
            if not known:
                self._blocked.add(number)  # loads when the anchors land
                continue
            self._in_flight.add(key)
            self._runner.submit(
                partial(self._read_page, self._flt, after),
                partial(self._loaded, key),
                partial(self._page_failed, key),
            )

    def _read_page(self, flt: ContactFilter, after: Any) -> tuple[list[ContactRow], Extras]:
        """On the pool: a page and what its cells show beside the row (one trip per page)."""
        rows = self._ws.contacts_after(flt, after, PAGE_SIZE, self._sort)
        with_status = [row.id for row in rows if row.candidate_status]
        stopped = self._ws.clockwork.stop_reasons(with_status) if with_status else {}
        suppressed = self._ws.suppression.is_suppressed(row.email for row in rows)
        progress = self._ws.contact_progress([row.id for row in rows], flt.sequence_id)
        return rows, Extras(stopped, frozenset(suppressed), progress)

    def _page_failed(self, key: PageKey, exc: Exception) -> None:
        self._in_flight.discard(key)
        self._failed(exc)

    def _loaded(self, key: PageKey, found: tuple[list[ContactRow], Extras]) -> None:
        self._in_flight.discard(key)
        flt, epoch, number = key
        rows, extras = found
        old = self._pages.get(number)
        if flt == self._flt and (old is None or old.epoch <= epoch):
            self._pages[number] = _Page(rows, epoch, extras)
            self._pages.move_to_end(number)
            while len(self._pages) > CACHE_PAGES:
                self._pages.popitem(last=False)
            same = old is not None and old.extras == extras
            self._announce(number, _changed(old.rows if old and same else None, rows))
        self._pump()

    def _announce(self, number: int, changed: tuple[int, int] | None) -> None:
        if changed is None:
            return
        first = number * PAGE_SIZE + changed[0]
        last = min(number * PAGE_SIZE + changed[1], self._total - 1)
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))


def _changed(old: list[ContactRow] | None, new: list[ContactRow]) -> tuple[int, int] | None:
    """The first and last row offsets that differ between a page's old and new rows."""
    if old is None:
        return 0, PAGE_SIZE - 1
    if old == new:
        return None
    differs = [i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b]
    first = differs[0] if differs else min(len(old), len(new))
    last = max(len(old), len(new)) - 1 if len(old) != len(new) else differs[-1]
    return first, last
