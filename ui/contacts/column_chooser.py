"""Which contacts-table columns show, and in what order: the header's right-click menu and
drag to reorder, remembered in the app's QSettings (the theme controller's, so tests use a file
of their own) under a key per table.

Stored as column names, not QHeaderView.saveState(): a saved state stops applying once a
release adds a column, and names survive that."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QHeaderView, QMenu, QTableView

from ui.contacts.cells import COLUMNS, NAME


class ColumnChooser:
    def __init__(
        self,
        view: QTableView,
        settings: QSettings | None,
        key: str,
        hidden: tuple[int, ...] = (),
    ) -> None:
        self._view, self._settings, self._key = view, settings, key
        self.menu: QMenu | None = None
        self.changed: Callable[[], None] = lambda: None  # the view refits its columns
        header = self._header = view.horizontalHeader()
        header.setSectionsMovable(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._requested)
        self._restore(hidden)
        header.sectionMoved.connect(lambda *_: self.save())

    def build_menu(self) -> QMenu:
        menu = QMenu(self._view)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        for column, name in enumerate(COLUMNS):
            action = menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(not self._view.isColumnHidden(column))
            action.setEnabled(column != NAME)  # a table with no name column names nobody
            action.toggled.connect(lambda on, c=column: self.show_column(c, on))
        return menu

    def show_column(self, column: int, shown: bool) -> None:
        self._view.setColumnHidden(column, not shown)
        self.save()
        self.changed()

    def order(self) -> list[int]:
        """The logical columns, left to right as shown."""
        header: QHeaderView = self._header
        return [header.logicalIndex(visual) for visual in range(header.count())]

    def save(self) -> None:
        if self._settings is None:
            return
        hidden = [COLUMNS[c] for c in range(len(COLUMNS)) if self._view.isColumnHidden(c)]
        self._settings.setValue(f"{self._key}/order", ",".join(COLUMNS[c] for c in self.order()))
        self._settings.setValue(f"{self._key}/hidden", ",".join(hidden) or "-")
        self._settings.sync()

    def _requested(self, pos: QPoint) -> None:
        self.menu = self.build_menu()
        self.menu.popup(self._header.mapToGlobal(pos))

    def _restore(self, default_hidden: tuple[int, ...]) -> None:
        order, hidden = self._stored("order"), self._stored("hidden")
        if hidden is None:
            hidden_columns = set(default_hidden)
        else:
            hidden_columns = {COLUMNS.index(n) for n in hidden if n in COLUMNS} - {NAME}
        for column in range(len(COLUMNS)):
            self._view.setColumnHidden(column, column in hidden_columns)
        known = [COLUMNS.index(n) for n in order or [] if n in COLUMNS]
        for visual, column in enumerate(known):
            self._header.moveSection(self._header.visualIndex(column), visual)

    def _stored(self, name: str) -> list[str] | None:
        if self._settings is None:
            return None
        value = self._settings.value(f"{self._key}/{name}")
        return [n for n in str(value).split(",") if n and n != "-"] if value else None
