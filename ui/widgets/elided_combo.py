"""A combo box for names the data decides (a sequence's name), which must never widen the
window or be cut off mid-word.

A plain QComboBox sizes itself to its longest item once it is first shown: a 200-character
sequence name asked for 1,257 px, and a shorter box drew the name cut off at its edge, with
no "…" and no way to read the rest. This box asks for a fixed number of characters, draws the
current name shortened with "…" to the room it gets, shows the whole name as its tooltip
while it is shortened, and gives each item its whole name as a tooltip in the list.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QWidget,
)

#: What the box asks for, in average character widths, whatever its items.
MIN_CHARS = 24


class ElidedComboBox(QComboBox):
    def __init__(self, parent: QWidget | None = None, *, min_chars: int = MIN_CHARS) -> None:
        super().__init__(parent)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(min_chars)
        self._own_tip = ""
        self.model().rowsInserted.connect(self._name_items)
        self.currentIndexChanged.connect(self._update_tip)

    def setToolTip(self, tip: str) -> None:
        """A tooltip of the caller's own, shown while the current name fits."""
        self._own_tip = tip
        self._update_tip()

    @property
    def elided(self) -> bool:
        """Whether the current name is shortened at the box's present width."""
        return self._shown_text() != self.currentText()

    def paintEvent(self, event: Any) -> None:
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        option.currentText = self._shown_text(option)
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._update_tip()

    def _shown_text(self, option: QStyleOptionComboBox | None = None) -> str:
        """The current name as it fits the box; `option`: the box's, when the caller has it."""
        if option is None:
            option = QStyleOptionComboBox()
            self.initStyleOption(option)
        field = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, self
        )
        room = field.width() - (
            self.iconSize().width() + 4 if not option.currentIcon.isNull() else 0
        )
        return self.fontMetrics().elidedText(self.currentText(), Qt.TextElideMode.ElideRight, room)

    def _update_tip(self) -> None:
        super().setToolTip(self.currentText() if self.elided else self._own_tip)

    def _name_items(self, parent: QModelIndex, first: int, last: int) -> None:
        for row in range(first, last + 1):
            self.setItemData(row, self.itemText(row), Qt.ItemDataRole.ToolTipRole)
