"""Choosing the sequence an import goes into: an existing one, or a new one named inline."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QWidget

from app.api import SequenceInfo
from ui.widgets.accessible import described
from ui.widgets.elided_combo import ElidedComboBox

NEW_SEQUENCE = -1


class SequencePicker(QWidget):
    changed = Signal()

    def __init__(
        self,
        sequences: Sequence[SequenceInfo],
        selected: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.combo = described(ElidedComboBox(), "Sequence")
        self.combo.setMinimumWidth(260)
        self.name_edit = QLineEdit(placeholderText="Name of the new sequence")
        described(self.name_edit, "New sequence name")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        layout.addWidget(self.name_edit, 1)
        self.combo.currentIndexChanged.connect(self._on_choice)
        self.name_edit.textChanged.connect(self.changed)
        self.set_sequences(sequences, selected)

    def set_sequences(self, sequences: Sequence[SequenceInfo], selected: int | None) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        for info in sequences:
            self.combo.addItem(info.name, info.id)
        self.combo.addItem("New sequence…", NEW_SEQUENCE)
        # With no sequence yet, a new one is the only choice.
        index = self.combo.findData(selected if selected is not None else NEW_SEQUENCE)
        self.combo.setCurrentIndex(index if index >= 0 else 0)
        self.combo.blockSignals(False)
        self._on_choice()

    def sequence_id(self) -> int:
        return int(self.combo.currentData())

    def new_name(self) -> str:
        return self.name_edit.text()

    def suggest_name(self, name: str) -> None:
        """Offer the file's name for a new sequence, unless the user typed one already."""
        if not self.name_edit.isModified():
            self.name_edit.setText(name)

    def is_valid(self) -> bool:
        return self.sequence_id() != NEW_SEQUENCE or bool(self.new_name().strip())

    def _on_choice(self) -> None:
        self.name_edit.setVisible(self.sequence_id() == NEW_SEQUENCE)
        self.changed.emit()
