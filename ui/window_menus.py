"""The Edit and View menus, and the window-wide keys: Undo, Select all, Find (Ctrl+F focuses
the search), Remove from sequence (Delete, with confirmation), and one entry per pane.

View › Theme: the dark-mode work adds its submenu at `theme_place` (a separator kept for it),
`view_menu.insertMenu(menus.theme_place, theme_menu)`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QMenu

from app.workspace import Workspace
from ui.contacts.add_to_sequence import AddToSequence
from ui.contacts.removal import RemoveFromSequence
from ui.statusbar.undo_bar import UndoBar
from ui.widgets.accessible import tip_with_shortcut

if TYPE_CHECKING:
    from ui.main_window import MainWindow

Key = QKeySequence.StandardKey
Slot = Callable[[], object]


class WindowMenus(QObject):
    def __init__(self, window: MainWindow, workspace: Workspace, panes: tuple[str, ...]) -> None:
        super().__init__(window)
        self._window = window
        self.undo = UndoBar(window, workspace)
        contacts, sequences = window.contacts_pane, window.sequences_pane
        self.removals = {
            contacts: RemoveFromSequence(
                contacts.menu, contacts.table, workspace, contacts.sequence_combo.currentText
            ),
            sequences: RemoveFromSequence(
                sequences.menu, sequences.table, workspace, self._sequence_name
            ),
        }
        self.additions = [
            AddToSequence(pane.menu, pane.table, workspace) for pane in (contacts, sequences)
        ]
        say = partial(window.statusBar().showMessage, timeout=8000)
        for removal in self.removals.values():
            removal.removed.connect(self.undo.offer)
            removal.notice.connect(say)
        for addition in self.additions:
            addition.notice.connect(say)
        sequences.undoable.connect(self.undo.offer)
        help_menu = window.menuBar().actions()[-1]
        self.edit_menu = self._edit_menu()
        self.view_menu = self._view_menu(panes)
        window.menuBar().insertMenu(help_menu, self.edit_menu)
        window.menuBar().insertMenu(help_menu, self.view_menu)

    def _action(
        self, menu: QMenu, text: str, key: QKeySequence, slot: Callable[[], object]
    ) -> QAction:
        action = QAction(text, self._window, shortcut=key)
        action.triggered.connect(slot)
        menu.addAction(tip_with_shortcut(action))
        return action

    def _edit_menu(self) -> QMenu:
        menu = QMenu("&Edit", self._window)
        menu.addAction(self.undo.action)
        menu.addSeparator()
        everything = QKeySequence(Key.SelectAll)
        self.select_all = self._action(menu, "Select &all", everything, self.select_everything)
        self.find = self._action(menu, "&Find", QKeySequence(Key.Find), self.focus_search)
        menu.addSeparator()
        self.remove = self._action(
            menu, "&Remove from sequence…", QKeySequence(Key.Delete), self.remove_selected
        )
        return menu

    def _view_menu(self, panes: tuple[str, ...]) -> QMenu:
        menu = QMenu("&View", self._window)
        self.pane_actions: list[QAction] = []
        for i, name in enumerate(panes, start=1):
            key = QKeySequence(f"Ctrl+{i}")
            action = self._action(menu, f"&{name}", key, partial(self._window.show_pane, name))
            self.pane_actions.append(action)
        self.theme_place = menu.addSeparator()  # View › Theme goes here (dark mode)
        return menu

    # --- the actions ----------------------------------------------------------------------

    def _sequence_name(self) -> str:
        item = self._window.sequences_pane.list.currentItem()
        return item.text(0) if item is not None else "this sequence"

    def _current_table(self) -> QAbstractItemView | None:
        pane = self._window.stack.currentWidget()
        for owner in self.removals:
            if owner is pane:
                return owner.table  # type: ignore[attr-defined, no-any-return]
        return None

    def select_everything(self) -> None:
        focus = QApplication.focusWidget()
        if isinstance(focus, QLineEdit | QAbstractItemView):
            focus.selectAll()
            return
        table = self._current_table()
        if table is not None:
            table.selectAll()

    def focus_search(self) -> None:
        """The Contacts search: the one search of the window."""
        pane = self._window.contacts_pane
        self._window.show_pane("Contacts")
        pane.search_edit.setFocus()
        pane.search_edit.selectAll()

    def remove_selected(self) -> None:
        pane = self._window.stack.currentWidget()
        for owner, removal in self.removals.items():
            if owner is pane:
                removal.ask()
