"""A pane of cards: a title and cards in one column of limited width, in a scroll area.

The width limit is on the column holding the cards, not on each card: a vertical layout
works out wrapped text's height for its own full width, so a card narrower than the layout
was given less height than its text needs, and clipped.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from ui.widgets.basic import label, named

MAX_WIDTH = 900


def card_scroll(owner: QWidget, title: str, cards: Iterable[QWidget]) -> QScrollArea:
    """Lays `owner` out as the titled column of `cards`; returns its scroll area."""
    column_widget = QWidget()
    column_widget.setMaximumWidth(MAX_WIDTH)
    column = QVBoxLayout(column_widget)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(16)
    column.addWidget(label(title, "paneTitle"))
    for card in cards:
        column.addWidget(card)
    column.addStretch(1)
    content = named(QWidget(), "paneContent")
    row = QHBoxLayout(content)
    row.setContentsMargins(24, 20, 24, 24)
    row.addWidget(column_widget, 1)
    row.addStretch(0)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(content)
    layout = QVBoxLayout(owner)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(scroll)
    return scroll
