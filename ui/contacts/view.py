"""A QTableView set up for the paged contacts model; the contacts pane and a sequence's
Contacts tab share it so both tables look and behave the same."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QHeaderView, QTableView, QWidget

from ui.contacts.column_chooser import ColumnChooser
from ui.contacts.model import (
    CANDIDATE,
    COMPANY,
    EMAIL,
    LAST_EMAIL,
    NAME,
    PROGRESS,
    RESPONSE,
    STATE,
    STEP,
    TITLE,
    ContactsTableModel,
)
from ui.runtime import theme
from ui.widgets.accessible import described

ROW_HEIGHT = 30
# Shares of the width, not measured contents: measuring would load every page of 100k rows.
# The Clockwork column has a fixed width; Candidate status, last, stretches into what is left.
# Names get the most of what is left: a recruiter scans the table by name.
SHARES = {NAME: 0.25, EMAIL: 0.33, COMPANY: 0.19, TITLE: 0.23}
MIN_WIDTHS = {NAME: 110, EMAIL: 150, COMPANY: 100, TITLE: 100}
STATE_WIDTH = 170  # fits "Exists in Clockwork" and its dot
CANDIDATE_WIDTH = 130  # fits "Not interested"; stretches when there is room
FIXED_WIDTHS = {
    STATE: STATE_WIDTH,
    CANDIDATE: CANDIDATE_WIDTH,
    STEP: 130,  # "3 sent, replied"
    RESPONSE: 170,  # "Bounced 04 Mar 2026"
    LAST_EMAIL: 110,
}


class ContactsTableView(QTableView):
    def __init__(
        self,
        model: ContactsTableModel,
        parent: QWidget | None = None,
        *,
        hidden: tuple[int, ...] = (),
        columns_key: str = "",
        settings: QSettings | None = None,
    ) -> None:
        """hidden: columns hidden unless the user chose otherwise; columns_key: where the
        user's choice of columns is remembered (none: not remembered), in `settings`, by
        default the app's (the theme controller's)."""
        super().__init__(parent)
        self.setObjectName("contactsTable")
        described(self, "Contacts")
        self.setModel(model)
        model.filterChanged.connect(self.scrollToTop)
        self.setAlternatingRowColors(True)
        self.setSortingEnabled(False)
        self.setWordWrap(False)
        self.setShowGrid(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self._fitting = False
        self._user_sized = False  # once the user drags a column edge, keep their widths
        self._set_up_headers()
        if settings is None and columns_key:
            controller = theme.installed()
            settings = controller.settings if controller is not None else None
        self.columns = ColumnChooser(
            self, settings if columns_key else None, columns_key, (*hidden, *PROGRESS)
        )
        self.columns.changed = self._refit

    def _set_up_headers(self) -> None:
        rows = self.verticalHeader()
        rows.hide()
        # One fixed height: the view never asks every row for its size.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(ROW_HEIGHT)
        columns = self.horizontalHeader()
        columns.setStretchLastSection(True)
        columns.setHighlightSections(False)
        columns.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        columns.sectionResized.connect(self._on_section_resized)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._user_sized:
            self._fit_columns()

    def _refit(self) -> None:
        if not self._user_sized:
            self._fit_columns()

    def _fit_columns(self) -> None:
        shown = {c: share for c, share in SHARES.items() if not self.isColumnHidden(c)}
        fixed = {c: self._fixed_width(c) for c in FIXED_WIDTHS if not self.isColumnHidden(c)}
        available = (self.viewport().width() - sum(fixed.values())) / (sum(shown.values()) or 1)
        self._fitting = True
        for column, width in fixed.items():
            self.setColumnWidth(column, width)
        for column, share in shown.items():
            self.setColumnWidth(column, max(MIN_WIDTHS[column], int(available * share)))
        self._fitting = False

    def _fixed_width(self, column: int) -> int:
        """The column's width, or its title's if wider: a larger font or a translation must
        not cut "Candidate status" to "Candidate statu"."""
        return max(FIXED_WIDTHS[column], self.horizontalHeader().sectionSizeHint(column))

    def _on_section_resized(self, column: int, _old: int, _new: int) -> None:
        # Only a drag counts: hiding a column, a reset or the stretched last column resizing
        # with the window also land here, and must not freeze the widths.
        dragging = QApplication.mouseButtons() != Qt.MouseButton.NoButton
        if dragging and not self._fitting and column in SHARES:
            self._user_sized = True

    def contacts_model(self) -> ContactsTableModel:
        model = self.model()
        assert isinstance(model, ContactsTableModel)
        return model
