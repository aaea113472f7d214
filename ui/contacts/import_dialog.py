"""Import contacts from a CSV file into a sequence: choose, preview, import, see the result.

Reading and importing 100,000 rows takes seconds, so both run on the thread pool while a busy
bar moves; the dialog is opened with open(), never exec(), and cannot be closed mid-import
(the import is one transaction that would finish anyway).
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from app.api import EscapementError, ImportReport, SequenceInfo
from app.workspace import Workspace
from ui.contacts.column_mapping import read_with_remembered_columns
from ui.contacts.import_consequence import import_consequence
from ui.contacts.import_preview import ImportPreview
from ui.contacts.sequence_picker import NEW_SEQUENCE, SequencePicker
from ui.runtime.task_runner import TaskRunner
from ui.widgets.accessible import described
from ui.widgets.basic import button, label, named
from ui.widgets.wording import count

if TYPE_CHECKING:
    from app.api import ParsedCsv

HINT = "Escapement reads the file and shows what it found. Nothing is saved until you press Import."


def open_import_dialog(
    workspace: Workspace, parent: QWidget, sequence_id: int | None
) -> ImportDialog:
    """Open (window-modal, not exec) and return the dialog; it deletes itself when closed."""
    dialog = ImportDialog(workspace, sequence_id, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


class ImportDialog(QDialog):
    imported = Signal(object)  # the ImportReport

    def __init__(self, workspace: Workspace, sequence_id: int | None, parent: QWidget | None):
        super().__init__(parent)
        self.setWindowTitle("Import contacts from CSV")
        self.resize(860, 640)
        self._ws = workspace
        self._runner = TaskRunner(self)
        self._path: Path | None = None
        self._parsed: ParsedCsv | None = None
        #: The mapping chosen in the dialog or remembered for the layout; None: the header's.
        self._chosen: dict[str, int] | None = None
        self._reads = 0  # a re-read after a mapping change supersedes the ones before it
        self._importing = False
        self._done = False
        self._build()
        self._update_buttons()
        self._sequences_read = False
        self._runner.submit(
            workspace.sequences, lambda seqs: self._show_sequences(seqs, sequence_id)
        )

    @property
    def loaded(self) -> bool:
        """The sequences to choose from have been read."""
        return self._sequences_read

    def _show_sequences(self, sequences: list[SequenceInfo], selected: int | None) -> None:
        self._sequences_read = True
        self.picker.set_sequences(sequences, selected)

    def _build(self) -> None:
        self.path_edit = QLineEdit(readOnly=True, placeholderText="No file chosen")
        described(self.path_edit, "CSV file")
        self.browse_button = button("Choose file…", on_click=self.browse)
        self.picker = SequencePicker([])  # filled in when the sequences have been read
        self.picker.changed.connect(self._update_buttons)
        self.busy = named(QProgressBar(), "busyBar")
        self.busy.setRange(0, 0)  # no figures to show: an indeterminate, moving bar
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.status_label = label(HINT, "subtle", wrap=True)
        self.error_label = label("", "errorLabel", wrap=True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()
        self.result_label = label("", "successLabel", wrap=True)
        self.result_label.hide()
        self.preview = ImportPreview()
        self.preview.hide()
        self.preview.mapping.changed.connect(self._remap)
        # What Import will do in Clockwork: count, project, or why nothing is sent.
        self.consequence_label = label("", "hint", wrap=True)
        self.consequence_label.hide()
        self.picker.changed.connect(self._say_consequence)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(
            "Import", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.import_button.setObjectName("primaryButton")
        self.import_button.clicked.connect(self.start_import)
        self.close_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()

    def _lay_out(self) -> None:
        file_row = QHBoxLayout()
        file_row.setSpacing(8)
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.browse_button)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.setHorizontalSpacing(16)
        form.addRow("File", file_row)
        form.addRow("Add to sequence", self.picker)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.preview, 1)
        layout.addStretch(0)
        layout.addWidget(self.busy)
        layout.addWidget(self.consequence_label)
        layout.addWidget(self.status_label)
        layout.addWidget(self.result_label)
        layout.addWidget(self.buttons)

    # --- choosing and reading the file -----------------------------------------------------

    def browse(self) -> None:
        chooser = QFileDialog(self, "Choose a CSV file", str(Path.home()))
        chooser.setFileMode(QFileDialog.FileMode.ExistingFile)
        chooser.setNameFilters(["CSV files (*.csv *.txt)", "All files (*)"])
        chooser.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        chooser.fileSelected.connect(lambda name: self.set_path(Path(name)))
        chooser.open()

    def set_path(self, path: Path) -> None:
        """Read the file in the background and preview it."""
        if self._importing or self._done:
            return
        self._path, self._parsed, self._chosen = path, None, None
        self._reads += 1
        reads, ws = self._reads, self._ws
        self.path_edit.setText(str(path))
        self.picker.suggest_name(path.stem.replace("_", " ").strip())
        self._busy(f"Reading {path.name}…")
        self.preview.hide()
        self._runner.submit(
            lambda: read_with_remembered_columns(ws, path),
            lambda read: self._first_read(path, reads, *read),
            lambda exc: self._failed(path, exc),
        )

    def _first_read(
        self, path: Path, reads: int, parsed: ParsedCsv, remembered: dict[str, int] | None
    ) -> None:
        if reads == self._reads:
            self._chosen = remembered
        self._previewed(path, parsed, reads)

    def _remap(self, columns: dict[str, int]) -> None:
        """Read the file again with the mapping the user just chose."""
        path = self._path
        if path is None or self._importing or self._done:
            return
        self._chosen, self._parsed = columns, None
        self._reads += 1
        reads = self._reads
        self._busy(f"Reading {path.name} with the new column mapping…")
        self._runner.submit(
            lambda: self._ws.preview_csv(path, columns),
            lambda parsed: self._previewed(path, parsed, reads),
            lambda exc: self._remap_failed(reads, exc),
        )

    def _remap_failed(self, reads: int, exc: Exception) -> None:
        if reads == self._reads:
            self._failed(self._path, exc)  # the preview stays, so the mapping can be fixed

    def _previewed(self, path: Path, parsed: ParsedCsv, reads: int) -> None:
        if path != self._path or reads != self._reads:
            return  # the user chose another file or mapping while this one was read
        self._parsed = parsed
        self._idle("")
        self.preview.show_parsed(parsed)
        self.preview.show()
        self._update_buttons()
        self._say_consequence()

    def _say_consequence(self) -> None:
        if self._parsed is None or self._done:
            return
        n, target = len(self._parsed.contacts), self.picker.sequence_id()
        self._runner.submit(lambda: import_consequence(self._ws, target, n), self._show_consequence)

    def _show_consequence(self, text: str) -> None:
        self.consequence_label.setText(text)
        self.consequence_label.setVisible(not self._done)

    def _failed(self, path: Path | None, exc: Exception) -> None:
        if path != self._path:
            return
        self._idle("")
        self._update_buttons()
        if not isinstance(exc, EscapementError):
            raise exc  # a bug: the excepthook logs and reports it
        self._show_error(exc)

    # --- importing -------------------------------------------------------------------------

    def start_import(self) -> None:
        if self._importing or self._path is None or self._parsed is None:
            return  # a second click while the first import runs does nothing
        path, parsed = self._path, self._parsed
        self._importing = True
        self._busy(f"Importing {count(len(parsed.contacts), 'contact')}…")
        if self.picker.sequence_id() != NEW_SEQUENCE:
            self._import_into(path, self.picker.sequence_id())
            return
        ws, name = self._ws, self.picker.new_name()

        def create() -> tuple[int, list[SequenceInfo]]:
            return ws.create_sequence(name).id, ws.sequences()

        self._runner.submit(create, lambda made: self._created(path, *made), self._create_failed)

    def _created(self, path: Path, sequence_id: int, sequences: list[SequenceInfo]) -> None:
        # From here on it exists: a retry after a failed import must not create it twice.
        self.picker.set_sequences(sequences, sequence_id)
        self._import_into(path, sequence_id)

    def _create_failed(self, exc: Exception) -> None:
        self._importing = False
        self._failed(self._path, exc)

    def _import_into(self, path: Path, sequence_id: int) -> None:
        ws, columns = self._ws, self._chosen
        layout = self._parsed.layout_key if self._parsed is not None else ""

        def run() -> ImportReport:
            report = ws.import_csv(path, sequence_id, columns)
            if columns is not None:  # the next file of this layout starts from it
                ws.remember_csv_columns(layout, columns)
            return report

        self._runner.submit(
            run,
            self._imported,
            lambda exc: self._import_failed(path, exc),
        )

    def _imported(self, report: ImportReport) -> None:
        self._importing = False
        self._done = True
        self._idle("")
        self.consequence_label.hide()
        self.result_label.setText(_result_text(report))
        self.result_label.show()
        self.import_button.hide()
        self.close_button.setText("Close")
        self._update_buttons()
        self.imported.emit(report)

    def _import_failed(self, path: Path, exc: Exception) -> None:
        self._importing = False
        self._failed(path, exc)

    # --- state -----------------------------------------------------------------------------

    def _show_error(self, exc: EscapementError) -> None:
        # Messages quote the file's cells, which may hold "<": escape before rich text.
        self.error_label.setText(f"<b>{escape(exc.title)}</b><br>{escape(exc.message)}")
        self.error_label.show()

    def _busy(self, message: str) -> None:
        self.error_label.hide()
        self.busy.show()
        self.status_label.setText(message)
        self._update_buttons()

    def _idle(self, message: str) -> None:
        self.busy.hide()
        self.status_label.setText(message)

    def _update_buttons(self) -> None:
        ready = self._parsed is not None and bool(self._parsed.contacts)
        self.import_button.setEnabled(ready and self.picker.is_valid() and not self._importing)
        self.close_button.setEnabled(not self._importing)
        # Once imported, the dialog only reports: choosing another file starts a new import.
        for widget in (self.browse_button, self.picker, self.preview.mapping):
            widget.setEnabled(not self._importing and not self._done)

    def reject(self) -> None:
        if not self._importing:
            super().reject()

    def closeEvent(self, event: Any) -> None:
        if self._importing:
            event.ignore()  # the transaction finishes anyway; closing would hide its result
        else:
            super().closeEvent(event)


def _result_text(report: ImportReport) -> str:
    text = f"Import finished: {count(report.added, 'new contact')} added"
    if report.updated:
        text += f", {count(report.updated, 'existing contact')} updated"
    if report.rejected:
        text += f"; {count(len(report.rejected), 'row')} rejected"
    return text + "."
