"""A QTableView set up for the paged contacts model; the contacts pane and a sequence's
Contacts tab share it so both tables look and behave the same."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QHeaderView, QTableView, QWidget

from ui.contacts.model import COMPANY, EMAIL, NAME, TITLE, ContactsTableModel
from ui.widgets.accessible import described

ROW_HEIGHT = 30
# Shares of the width, not measured contents: measuring would load every page of 100k rows.
# The Clockwork column, last, stretches into what is left.
SHARES = {NAME: 0.2, EMAIL: 0.33, COMPANY: 0.21, TITLE: 0.26}
MIN_WIDTHS = {NAME: 110, EMAIL: 150, COMPANY: 100, TITLE: 100}
STATE_WIDTH = 170  # fits "Exists in Clockwork" and its dot


class ContactsTableView(QTableView):
    def __init__(
        self,
        model: ContactsTableModel,
        parent: QWidget | None = None,
        *,
        hidden: tuple[int, ...] = (),
    ) -> None:
        super().__init__(parent)
        self.setObjectName("contactsTable")
        described(self, "Contacts")
        self.setModel(model)
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
        for column in hidden:
            self.setColumnHidden(column, True)

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

    def _fit_columns(self) -> None:
        shown = {c: share for c, share in SHARES.items() if not self.isColumnHidden(c)}
        available = (self.viewport().width() - STATE_WIDTH) / (sum(shown.values()) or 1)
        self._fitting = True
        for column, share in shown.items():
            self.setColumnWidth(column, max(MIN_WIDTHS[column], int(available * share)))
        self._fitting = False

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
