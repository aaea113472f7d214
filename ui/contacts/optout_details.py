"""One opted-out contact's entry on the suppression list: how, when and by whom, the words
that triggered it, and "Undo opt-out…" with a required reason."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QVBoxLayout, QWidget

from app.workspace import Workspace
from ui.contacts.reason_form import ReasonForm
from ui.runtime.task_runner import TaskRunner
from ui.widgets.basic import button, label

#: How an address came onto the list (app.optout.types.Source's values), in words.
SOURCES = {
    "mailto": "Unsubscribe email",
    "reply": "Reply asking to stop",
    "manual": "Added by hand",
    "import": "Imported from a CSV file",
}


def source_text(source: object) -> str:
    return SOURCES.get(str(source), str(source))


def when(at: datetime | None) -> str:
    local = at.astimezone() if at is not None and at.tzinfo else at  # stored in UTC
    return f"{local:%d %b %Y at %H:%M}" if local else "—"


class OptOutDetails(QDialog):
    """Opened from the contacts menu; reads the entry off the GUI thread."""

    undone = Signal(str)

    def __init__(self, workspace: Workspace, email: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("optOutDetails")
        self.setWindowTitle("Opted out")
        self._ws, self._email = workspace, email
        self._runner = TaskRunner(self)
        self.title = label(email, "sectionTitle")
        self.form = QFormLayout()
        self.fields = {
            name: label("…", wrap=True)
            for name in ("Source", "Trigger", "When", "Who", "Undone", "Reason")
        }
        for name, widget in self.fields.items():
            self.form.addRow(name, widget)
        self.reason = ReasonForm(
            "Why may this address be emailed again? It is kept with your name."
        )
        self.undo_button = button("Undo opt-out…", "destructiveButton", on_click=self.undo)
        self.undo_button.setEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.undo_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(self.form)
        layout.addWidget(self.reason)
        layout.addWidget(buttons)
        self.resize(460, 0)
        self._runner.submit(lambda: workspace.suppression.get(email), self._show)

    def _show(self, info: Any) -> None:
        if info is None:
            self.fields["Source"].setText("Not on the suppression list.")
            return
        texts = {
            "Source": source_text(info.source),
            "Trigger": info.trigger or "—",
            "When": when(info.created_at),
            "Who": info.created_by or "—",
            "Undone": f"{when(info.lifted_at)} by {info.lifted_by or '—'}"
            if info.lifted_at
            else "No",
            "Reason": info.lifted_reason or "—",
        }
        for name, text in texts.items():
            self.fields[name].setText(text)
        self.undo_button.setEnabled(info.active)
        self.reason.setEnabled(info.active)

    def undo(self) -> None:
        email = self._email

        def done(_lifted: object) -> None:
            self.undone.emit(email)
            self.accept()

        self.reason.submit(lambda reason: self._ws.suppression.remove([email], reason), done)
