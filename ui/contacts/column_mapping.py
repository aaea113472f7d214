"""The import dialog's editable column mapping: one combo per column of the file, saying which
contact field it feeds, or "Not imported"."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
)

from app.api import CSV_FIELDS, EscapementError, ParsedCsv
from app.workspace import Workspace
from ui.widgets.accessible import described
from ui.widgets.wording import field_label

NOT_IMPORTED = "Not imported"
# "name" is one column split into first and last name: say so, or it reads like "Last name".
_LABELS = {"name": "Full name (split)"}


def choice_label(field: str) -> str:
    return _LABELS.get(field) or field_label(field)


def read_with_remembered_columns(
    ws: Workspace, path: Path
) -> tuple[ParsedCsv, dict[str, int] | None]:
    """The file read with the mapping last chosen for its layout, and that mapping; else as its
    header says, and None. Runs off the GUI thread: it reads the store."""
    parsed = ws.preview_csv(path)
    remembered = ws.csv_columns(parsed.layout_key)
    if remembered is None:
        return parsed, None
    try:
        return ws.preview_csv(path, remembered), remembered
    except EscapementError:
        return parsed, None  # a mapping that no longer fits this file: start from the header


class ColumnMappingEditor(QTableWidget):
    """Rows: the file's columns. `changed` carries the whole mapping (field -> column index)
    after the user picks a field; a field taken from another column leaves that one unset."""

    changed = Signal(object)

    def __init__(self) -> None:
        super().__init__(0, 2)
        self.setHorizontalHeaderLabels(["Column in your file", "Imports as"])
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setShowGrid(False)
        self.setAlternatingRowColors(True)
        self.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        )
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setDefaultSectionSize(34)
        self.combos: list[QComboBox] = []
        self.names: list[str] = []  # the file's column names, as shown
        described(self, "Column mapping", "Which contact field each column of the file feeds")

    def show_columns(self, header: Sequence[str], columns: dict[str, int]) -> None:
        by_index = {index: field for field, index in columns.items()}
        self.setRowCount(len(header))
        self.combos, self.names = [], []
        for row, cell in enumerate(header):
            name = " ".join(cell.split()) or f"Column {row + 1}"
            self.setItem(row, 0, QTableWidgetItem(name))
            combo = described(QComboBox(), f"Field for column {name}")
            combo.addItem(NOT_IMPORTED, None)
            for field in CSV_FIELDS:
                combo.addItem(choice_label(field), field)
            combo.setCurrentIndex(max(combo.findData(by_index.get(row)), 0))
            combo.currentIndexChanged.connect(lambda _, r=row: self._picked(r))
            self.setCellWidget(row, 1, combo)
            self.combos.append(combo)
            self.names.append(name)

    def columns(self) -> dict[str, int]:
        return {
            combo.currentData(): row
            for row, combo in enumerate(self.combos)
            if combo.currentData() is not None
        }

    def shown(self) -> dict[str, str]:
        """Column name -> the field it feeds, as the user reads them (for tests and logs)."""
        return {
            name: combo.currentText() for name, combo in zip(self.names, self.combos, strict=True)
        }

    def choose(self, column: int, field: str | None) -> None:
        """Pick `field` for the file's `column`, as the user would."""
        combo = self.combos[column]
        combo.setCurrentIndex(combo.findData(field) if field else 0)

    def _picked(self, row: int) -> None:
        field = self.combos[row].currentData()
        if field is not None:
            for other, combo in enumerate(self.combos):
                if other != row and combo.currentData() == field:
                    combo.blockSignals(True)  # one change, one re-read
                    combo.setCurrentIndex(0)
                    combo.blockSignals(False)
        self.changed.emit(self.columns())
