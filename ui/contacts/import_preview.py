"""What the import dialog shows once a file is read: counts, a sample, the mapping, rejects."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.contacts.column_mapping import ColumnMappingEditor
from ui.widgets.basic import label
from ui.widgets.wording import count

if TYPE_CHECKING:
    from app.api import ParsedCsv

SAMPLE_ROWS = 20
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}


class ImportPreview(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = label("", "previewSummary", wrap=True)
        self.sample = _table(["Name", "Email", "Company", "Title"])
        self.mapping = ColumnMappingEditor()
        self.unmapped = label("", "subtle", wrap=True)
        self.rejected = _table(["Line", "Reason"])
        self.tabs = QTabWidget(documentMode=True)
        self.tabs.addTab(self.sample, "Contacts")
        self.tabs.addTab(_with_note(self.mapping, self.unmapped), "Column mapping")
        self.tabs.addTab(self.rejected, "Rejected rows")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)

    def show_parsed(self, parsed: ParsedCsv) -> None:
        self.summary.setText(_summary(parsed))
        _fill(
            self.sample,
            [
                (f"{c.first_name} {c.last_name}".strip(), c.email, c.company, c.title)
                for c in parsed.contacts[:SAMPLE_ROWS]
            ],
        )
        self.mapping.show_columns(parsed.header, parsed.columns)
        self.unmapped.setText(_unmapped_note(parsed))
        _fill(self.rejected, [(str(r.line), r.reason) for r in parsed.rejected])
        shown = min(len(parsed.contacts), SAMPLE_ROWS)
        self.tabs.setTabText(0, f"Contacts (first {shown})" if shown else "Contacts")
        self.tabs.setTabText(2, f"Rejected rows ({len(parsed.rejected):,})")
        self.tabs.setTabEnabled(2, bool(parsed.rejected))


def _summary(parsed: ParsedCsv) -> str:
    parts = [f"<b>{count(len(parsed.contacts), 'contact')}</b> ready to import"]
    if parsed.merged_duplicates:
        parts.append(f"{count(parsed.merged_duplicates, 'duplicate')} merged")
    if parsed.rejected:
        parts.append(f"{count(len(parsed.rejected), 'row')} rejected")
    return "  ·  ".join(parts)


def _unmapped_note(parsed: ParsedCsv) -> str:
    delimiter = DELIMITER_NAMES.get(parsed.delimiter, repr(parsed.delimiter))
    note = f"Columns are separated by a {delimiter}."
    if parsed.mapping.unmapped:
        note += " Not imported: " + ", ".join(parsed.mapping.unmapped) + "."
    return note


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setDefaultAlignment(
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    )
    table.verticalHeader().setDefaultSectionSize(28)
    return table


def _fill(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.setItem(r, c, QTableWidgetItem(value))
    # A preview holds at most a few hundred cells, so measuring them is cheap.
    header = table.horizontalHeader()
    for c in range(table.columnCount() - 1):
        table.resizeColumnToContents(c)
        table.setColumnWidth(c, min(max(table.columnWidth(c) + 16, 90), 260))
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)


def _with_note(table: QWidget, note: QLabel) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(table, 1)
    layout.addWidget(note)
    return box
