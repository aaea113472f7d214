"""Add the selected contacts to a sequence (another one, or a new one named here).

The dialog says who, into which sequence, and what that does in Clockwork, in the import
dialog's own sentence; Add then enrols them as importing them there would: the sync rules
apply and the suppression list keeps people out (Workspace.add_to_sequence). What happened is
said in the status bar; "Remove from sequence…" takes them out again.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from app.api import AddToSequenceReport, ContactRow, EscapementError, SequenceInfo
from app.workspace import Workspace
from ui.contacts.import_consequence import import_consequence
from ui.contacts.menu import ContactsMenu
from ui.contacts.sequence_picker import NEW_SEQUENCE, SequencePicker
from ui.contacts.view import ContactsTableView
from ui.runtime.task_runner import TaskRunner
from ui.widgets.basic import DialogSlot, label
from ui.widgets.wording import count


class AddToSequence(QObject):
    """The menu's "Add to sequence…" for one contacts table."""

    notice = Signal(str)  # what was added, or why nothing was

    def __init__(self, menu: ContactsMenu, view: ContactsTableView, workspace: Workspace) -> None:
        super().__init__(menu)
        self._menu, self._view, self._ws = menu, view, workspace
        self.dialog = DialogSlot()
        menu.add_to = self.ask

    def ask(self) -> None:
        if self.dialog.dialog is not None or not self._menu.selected_ranges():
            return
        self._menu.with_selection(self._open)

    def _open(self, rows: list[ContactRow]) -> None:
        if not rows or self.dialog.dialog is not None:
            return
        shown = self._view.contacts_model().shown_filter.sequence_id
        dialog = AddToSequenceDialog(self._view, self._ws, rows, shown)
        dialog.added.connect(self.notice)
        self.dialog.open(dialog)


class AddToSequenceDialog(QDialog):
    added = Signal(str)

    def __init__(
        self,
        parent: QWidget,
        workspace: Workspace,
        rows: list[ContactRow],
        shown_sequence: int | None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add to sequence")
        self._ws, self._ids = workspace, [row.id for row in rows]
        self._shown = shown_sequence  # not offered: they are in it already
        self._runner = TaskRunner(self)
        self._adding = False
        self.loaded = False
        who = rows[0].email if len(rows) == 1 else count(len(rows), "contact")
        self.question = label(f"Add {who} to this sequence:", wrap=True)
        self.picker = SequencePicker([])  # filled in when the sequences have been read
        self.consequence = label("", "hint", wrap=True)
        self.error = label("", "errorLabel", wrap=True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.add_button = self.buttons.addButton("Add", QDialogButtonBox.ButtonRole.AcceptRole)
        self.add_button.setObjectName("primaryButton")
        self.add_button.setEnabled(False)
        self.buttons.accepted.connect(self.add)
        self.buttons.rejected.connect(self.reject)
        self.picker.changed.connect(self._changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        for widget in (self.question, self.picker, self.consequence, self.error, self.buttons):
            layout.addWidget(widget)
        self.setMinimumWidth(520)
        self._runner.submit(workspace.sequences, self._show_sequences, self._failed)

    def _show_sequences(self, sequences: list[SequenceInfo]) -> None:
        others = [info for info in sequences if info.id != self._shown]
        self.picker.set_sequences(others, others[0].id if others else None)
        self.loaded = True
        self._changed()

    def _changed(self) -> None:
        self.add_button.setEnabled(self.loaded and not self._adding and self.picker.is_valid())
        target, n, ws = self.picker.sequence_id(), len(self._ids), self._ws
        chosen = None if target == NEW_SEQUENCE else target
        self._runner.submit(partial(import_consequence, ws, chosen, n, "Adding them"), self._say)

    def _say(self, consequence: str) -> None:
        self.consequence.setText(consequence)
        self.adjustSize()  # a top-level window does not grow for a label that wraps on its own

    def add(self) -> None:
        if self._adding or not self.add_button.isEnabled():
            return
        self._adding = True
        self.add_button.setEnabled(False)
        self.error.hide()
        ws, ids, target = self._ws, self._ids, self.picker.sequence_id()
        name = self.picker.new_name() if target == NEW_SEQUENCE else self.picker.combo.currentText()

        def work() -> tuple[str, AddToSequenceReport]:
            if target == NEW_SEQUENCE:
                made = ws.create_sequence(name)
                return made.name, ws.add_to_sequence(made.id, ids)
            return name, ws.add_to_sequence(target, ids)

        self._runner.submit(work, lambda done: self._done(*done), self._failed)

    def _done(self, name: str, report: AddToSequenceReport) -> None:
        self.added.emit(said(name, report))
        self.accept()

    def _failed(self, exc: Exception) -> None:
        if not isinstance(exc, EscapementError):
            raise exc  # a bug: the excepthook logs and reports it
        self._adding = False
        self.error.setText(f"{exc.title}: {exc.message}")
        self.error.show()
        self.adjustSize()
        self._changed()


def said(name: str, report: AddToSequenceReport) -> str:
    """ "2 contacts added to “Board search”; 1 was in it already; 1 is on the suppression list
    and was not added."""
    parts = [f"{count(report.added, 'contact')} added to “{name}”"]
    if report.already:
        verb = "was" if report.already == 1 else "were"
        parts.append(f"{report.already:,} {verb} in it already")
    if report.suppressed:
        n = len(report.suppressed)
        verb = "is" if n == 1 else "are"
        parts.append(f"{n:,} {verb} on the suppression list and not added")
    return "; ".join(parts) + "."
