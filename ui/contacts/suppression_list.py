"""The suppression list: everyone who may not be emailed, added by hand, imported, exported,
and undone with a reason. Opened from the Contacts pane."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.api import EscapementError
from app.workspace import Workspace
from ui.contacts.optout_details import source_text, when
from ui.contacts.reason_form import ReasonForm
from ui.runtime.task_runner import TaskRunner
from ui.widgets.basic import button, field, label
from ui.widgets.wording import count

HEADERS = ("Email", "Source", "Trigger or note", "Added", "By", "Undone")
UNDONE = HEADERS.index("Undone")
PickPath = Callable[[QWidget], Path | None]


def pick_csv_to_open(parent: QWidget) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, "Import opt-outs", "", "CSV files (*.csv)")
    return Path(name) if name else None


def pick_csv_to_save(parent: QWidget) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, "Export opt-outs", "optouts.csv", "*.csv")
    return Path(name) if name else None


class SuppressionListDialog(QDialog):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("suppressionList")
        self.setWindowTitle("Opt-out list")
        self._ws = workspace
        self._runner = TaskRunner(self)
        # The file pickers, replaceable in tests (a native dialog cannot be driven there).
        self.pick_open: PickPath = pick_csv_to_open
        self.pick_save: PickPath = pick_csv_to_save
        self.entries: list[Any] = []
        self._build()
        self.reload()

    def _build(self) -> None:
        self.include_undone = QCheckBox("Include undone")
        self.include_undone.toggled.connect(lambda _on: self.reload())
        self.count_label = label("", "countLabel")
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("suppressionTable")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        )
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.message = label("", "subtle", wrap=True)
        self.error_label = label("", "errorLabel", wrap=True)
        self.error_label.hide()
        self.add_button = button("Add…", "primaryButton", on_click=self.add)
        self.remove_button = button("Remove…", on_click=self.remove)
        self.remove_button.setEnabled(False)
        self.import_button = button("Import CSV…", on_click=self.import_csv)
        self.export_button = button("Export CSV…", on_click=self.export_csv)
        top = QHBoxLayout()
        top.addWidget(label("Opt-out list", "sectionTitle"))
        top.addStretch(1)
        top.addWidget(self.include_undone)
        top.addWidget(self.count_label)
        actions = QHBoxLayout()
        for widget in (self.add_button, self.remove_button, self.import_button):
            actions.addWidget(widget)
        actions.addStretch(1)
        actions.addWidget(self.export_button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(
            label("Nobody on this list gets an email from any sequence of anyone.", "hint")
        )
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.message)
        layout.addLayout(actions)
        layout.addWidget(close)
        self.resize(1040, 480)

    # --- reading --------------------------------------------------------------------------

    def reload(self) -> None:
        lifted = self.include_undone.isChecked()
        self._runner.submit(
            lambda: self._ws.suppression.listing(include_lifted=lifted), self._fill, self._fail
        )

    def _fill(self, entries: list[Any]) -> None:
        self.entries = entries
        self.table.setRowCount(len(entries))
        for r, info in enumerate(entries):
            undone = f"{when(info.lifted_at)}: {info.lifted_reason}" if info.lifted_at else ""
            texts = (
                info.email,
                source_text(info.source),
                info.trigger,
                when(info.created_at),
                info.created_by or "",
                undone,
            )
            for c, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        self.table.setColumnHidden(UNDONE, not self.include_undone.isChecked())
        self.table.resizeColumnsToContents()
        self.count_label.setText(count(len(entries), "address", "addresses"))

    def selected_emails(self) -> list[str]:
        rows = sorted({index.row() for index in self.table.selectedIndexes()})
        return [self.entries[r].email for r in rows if self.entries[r].active]

    def _selection_changed(self) -> None:
        self.remove_button.setEnabled(bool(self.selected_emails()))

    # --- writing --------------------------------------------------------------------------

    def _write(self, fn: Callable[[], Any], say: Callable[[Any], str]) -> None:
        self.error_label.hide()

        self._runner.submit(fn, lambda result: self._written(say(result)), self._fail)

    def _fail(self, exc: Exception) -> None:
        if not isinstance(exc, EscapementError):
            raise exc
        self.error_label.setText(exc.message)
        self.error_label.show()

    def add(self) -> AddDialog:
        dialog = AddDialog(self._ws, self)
        dialog.accepted.connect(lambda: self._written(dialog.said))
        dialog.open()
        return dialog

    def remove(self) -> RemoveDialog:
        dialog = RemoveDialog(self._ws, self.selected_emails(), self)
        dialog.accepted.connect(lambda: self._written(dialog.said))
        dialog.open()
        return dialog

    def _written(self, said: str) -> None:
        self.message.setText(said)
        self.reload()

    def import_csv(self) -> None:
        path = self.pick_open(self)
        if path is not None:
            self._write(lambda: self._ws.suppression.import_csv(path), report_text)

    def export_csv(self) -> None:
        path = self.pick_save(self)
        if path is not None:
            self._write(
                lambda: self._ws.suppression.export_csv(path),
                lambda n: f"Exported {count(n, 'address', 'addresses')} to {path.name}.",
            )


def report_text(report: Any) -> str:
    parts = [f"Added {count(len(report.added), 'address', 'addresses')}"]
    if report.already:
        parts.append(f"{len(report.already):,} already on the list")
    if report.sequences_ended:
        parts.append(f"{count(report.sequences_ended, 'sequence enrollment')} ended")
    if report.rejected:
        line, reason = report.rejected[0]
        parts.append(f"{len(report.rejected):,} skipped (first: {line}: {reason})")
    return "; ".join(parts) + "."


class AddDialog(QDialog):
    """Addresses, one a line (or separated by commas), and an optional note."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add to the opt-out list")
        self._ws = workspace
        self._runner = TaskRunner(self)
        self.said = ""
        self.emails = QPlainTextEdit(placeholderText="ada@example.com\nbob@example.org")
        self.note = QLineEdit(placeholderText="Note (optional): why, who asked")
        self.error_label = label("", "errorLabel", wrap=True)
        self.error_label.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(field(self.emails, "Every sequence of anyone ends for these people."))
        layout.addWidget(field(self.note, "", self.error_label))
        layout.addWidget(buttons)

    def submit(self) -> None:
        text = self.emails.toPlainText().replace(",", "\n")
        emails = [line for line in text.splitlines() if line.strip()]
        note = self.note.text()
        self.error_label.hide()
        self._runner.submit(lambda: self._ws.suppression.add(emails, note), self._done, self._fail)

    def _done(self, report: Any) -> None:
        self.said = report_text(report)
        self.accept()

    def _fail(self, exc: Exception) -> None:
        if not isinstance(exc, EscapementError):
            raise exc
        self.error_label.setText(exc.message)
        self.error_label.show()


class RemoveDialog(QDialog):
    """Undo opt-outs: the addresses may be emailed again; the reason is kept."""

    def __init__(self, workspace: Workspace, emails: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Remove from the opt-out list")
        self._ws, self._emails = workspace, emails
        self.said = ""
        shown = ", ".join(emails[:3]) + (
            f" and {len(emails) - 3:,} more" if len(emails) > 3 else ""
        )
        self.reason = ReasonForm("Kept with your name and the time.")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Remove")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label(f"Allow emails to {shown} again?", wrap=True))
        layout.addWidget(self.reason)
        layout.addWidget(buttons)

    def submit(self) -> None:
        emails = self._emails

        def done(lifted: list[str]) -> None:
            self.said = f"Removed {count(len(lifted), 'address', 'addresses')} from the list."
            self.accept()

        self.reason.submit(lambda reason: self._ws.suppression.remove(emails, reason), done)
