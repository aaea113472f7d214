"""A pane built the first time it is shown, so panes nobody opens cost nothing at start-up.

Every widget built before the window's first paint delays it: the style sheet is matched
against each one. The Integration pane's four cards cost about 0.25 s; the Email pane reads
the keyring when it loads, and the keyring library's first use looks for its backends, about
0.2 s of Python on any thread. Built on first show, that cost moves to the moment the user
opens the pane.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QVBoxLayout, QWidget


class LazyPane[P: QWidget](QWidget):
    def __init__(self, build: Callable[[], P], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build = build
        self._pane: P | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    @property
    def built(self) -> bool:
        return self._pane is not None

    @property
    def pane(self) -> P:
        """The pane, built now if it was not yet."""
        if self._pane is None:
            self._pane = self._build()
            self._layout.addWidget(self._pane)
            # The layout would show it only from the event loop: a caller that opens the
            # pane and then focuses a field in it needs it visible now.
            self._pane.show()
        return self._pane

    def showEvent(self, event: Any) -> None:
        self.pane  # noqa: B018 (builds it)
        super().showEvent(event)
