"""Remove the selected contacts from the sequence shown, after a confirmation; Undo follows.

The contacts stay in Escapement (and in other sequences); only their place in this sequence,
with its email history, goes, which is why the window offers Undo right after."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from app.api import ContactRow, EscapementError
from app.workspace import Workspace
from ui.contacts.menu import ContactsMenu
from ui.contacts.view import ContactsTableView
from ui.runtime.task_runner import TaskRunner
from ui.widgets.basic import DialogSlot, destructive_confirm
from ui.widgets.wording import count


class RemoveFromSequence(QObject):
    removed = Signal(str)  # what was removed, for the Undo bar
    notice = Signal(str)

    def __init__(
        self,
        menu: ContactsMenu,
        view: ContactsTableView,
        workspace: Workspace,
        sequence_name: Callable[[], str],
    ) -> None:
        super().__init__(menu)
        self._menu, self._view, self._ws = menu, view, workspace
        self._name = sequence_name
        self._runner = TaskRunner(self)
        self.question = DialogSlot()
        menu.remove = self.ask

    def sequence_id(self) -> int | None:
        return self._view.contacts_model().shown_filter.sequence_id

    def ask(self) -> None:
        sequence_id = self.sequence_id()
        if sequence_id is None:
            self.notice.emit("Choose a sequence first: contacts are removed from one sequence.")
            return
        if self.question.dialog is not None or not self._menu.selected_ranges():
            return
        self._menu.with_selection(lambda rows: self._confirm(sequence_id, rows))

    def _confirm(self, sequence_id: int, rows: list[ContactRow]) -> None:
        if not rows:
            return
        who = rows[0].email if len(rows) == 1 else count(len(rows), "contact")
        name = self._name()
        box = destructive_confirm(
            self._view,
            "Remove from sequence",
            f"Remove {who} from “{name}”?",
            "They stay in Escapement and in their other sequences; no more emails of this "
            "sequence go to them. You can undo this right after.",
            "Remove",
            lambda: self._remove(sequence_id, [row.id for row in rows]),
        )
        self.question.open(box)

    def _remove(self, sequence_id: int, ids: list[int]) -> None:
        def done(n: int) -> None:
            self.removed.emit(f"{count(n, 'contact')} removed from the sequence.")

        remove = self._ws.remove_from_sequence
        self._runner.submit(lambda: remove(sequence_id, ids), done, self._failed)

    def _failed(self, exc: Exception) -> None:
        if not isinstance(exc, EscapementError):
            raise exc
        self.notice.emit(f"{exc.title}: {exc.message}")
