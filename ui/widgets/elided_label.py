"""A one-line label for text the user or the data decides (a sequence's name, a count, a
message), which must never widen the window.

A plain QLabel asks for its whole text as its minimum width, and a top-level window grows to
honour its children's minimums: a 100-character sequence name made the main window 1,898 px
wide, wider than most screens, and it stayed so. This label asks for little, draws its text
shortened with "…" to the room it gets, and then shows the whole text as its tooltip. `text()`
and the accessible name stay the whole text.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

#: What the label asks for at least, in average character widths.
MIN_CHARS = 8


class ElidedLabel(QLabel):
    def __init__(
        self, text: str = "", name: str = "", parent: QWidget | None = None, *, room_for: str = ""
    ) -> None:
        """room_for: a text the label always has room for (in its own font, once styled)."""
        super().__init__(text, parent)
        if name:
            self.setObjectName(name)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._own_tip = ""
        self._room_for = room_for

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        metrics = self.fontMetrics()
        if self._room_for:  # the same whatever the text, so the window never shifts
            margins = self.contentsMargins()
            room = metrics.horizontalAdvance(self._room_for) + margins.left() + margins.right()
            return QSize(room, hint.height())
        return QSize(min(hint.width(), metrics.averageCharWidth() * MIN_CHARS), hint.height())

    def setToolTip(self, tip: str) -> None:
        """A tooltip of the caller's own, shown instead of the whole text."""
        self._own_tip = tip
        super().setToolTip(tip)
        self._update_tip()  # none of its own: the whole text again, when shortened

    @property
    def elided(self) -> bool:
        """Whether the text is shortened at the label's present width."""
        return self.fontMetrics().horizontalAdvance(self.text()) > self.contentsRect().width()

    def paintEvent(self, event: Any) -> None:
        if not self.elided:
            super().paintEvent(event)
            return
        rect = self.contentsRect()
        elide = Qt.TextElideMode.ElideRight
        shown = self.fontMetrics().elidedText(self.text(), elide, rect.width())
        painter = QPainter(self)
        # The style draws it, so the style sheet's colour for this label applies.
        self.style().drawItemText(
            painter,
            rect,
            int(self.alignment()),
            self.palette(),
            self.isEnabled(),
            shown,
            QPalette.ColorRole.WindowText,
        )

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._update_tip()

    def setText(self, text: str) -> None:
        super().setText(text)
        self._update_tip()

    def _update_tip(self) -> None:
        if not self._own_tip:
            super().setToolTip(self.text() if self.elided else "")
