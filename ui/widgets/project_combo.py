"""A combo of the Clockwork projects contacts can sync into (open, Pitch or On Hold).

The first entry means "no project of its own" ("None" for the account's default, "Use the
default project" for a sequence). A saved project Clockwork no longer lists stays visible as
such, so the combo never silently shows something other than what is saved.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QWidget

from app.api import ProjectInfo

ACTIVE_WORDS = {"", "active", "open"}


class ProjectCombo(QComboBox):
    chosen = Signal(object)  # the project id, or None; only when the user picks

    def __init__(self, none_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._none_text = none_text
        self._saved: str | None = None
        self._before: str | None = None
        self.setMinimumWidth(320)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(28)
        self.activated.connect(self._picked)

    def set_projects(self, projects: Sequence[ProjectInfo], current: str | None) -> None:
        self._saved = current
        self.blockSignals(True)
        self.clear()
        self.addItem(self._none_text, None)
        for project in projects:
            self.addItem(project_text(project), project.id)
            tip = f"{project.company} · {project.status}" if project.company else project.status
            self.setItemData(self.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        if current is not None and self.findData(current) < 0:
            self.addItem(f"Project {current} (no longer offered by Clockwork)", current)
        self.setCurrentIndex(max(self.findData(current), 0) if current is not None else 0)
        self.blockSignals(False)

    def project_id(self) -> str | None:
        data = self.currentData()
        return None if data is None else str(data)

    def revert(self) -> None:
        """Show the earlier choice again (after the workspace refused the new one)."""
        self._saved = self._before
        self.setCurrentIndex(max(self.findData(self._saved), 0) if self._saved else 0)

    def _picked(self, _index: int) -> None:
        if self.project_id() != self._saved:
            self._before, self._saved = self._saved, self.project_id()
            self.chosen.emit(self._saved)


def project_text(project: ProjectInfo) -> str:
    status = project.status.strip()
    return project.name if status.casefold() in ACTIVE_WORDS else f"{project.name}  ({status})"
