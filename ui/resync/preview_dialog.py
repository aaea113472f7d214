"""Resync to Clockwork, step one: a dry run that says what would happen, and asks.

The preview looks the contacts' emails up in Clockwork (all of them, or a sample for a big
selection, which it says), so it runs as an asyncio task behind a busy bar; Cancel cancels
that task. Nothing is queued until "Resync N contacts" is pressed.
"""

from __future__ import annotations

import math
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from app.api import EscapementError, ResyncPreview, ResyncScope
from app.workspace import Workspace
from ui.runtime.async_action import AsyncAction
from ui.widgets.accessible import described
from ui.widgets.basic import label, named
from ui.widgets.wording import count

ESTIMATED = (
    "≈ estimated from a sample: with this many contacts, Clockwork was asked about a random "
    "sample of them."
)
ARTICLE_NOTE = (
    "Resync sends only contacts that have not synced to Clockwork yet, with their email "
    "activity. Contacts already in Clockwork are not updated."
)


class ResyncPreviewDialog(QDialog):
    def __init__(
        self, workspace: Workspace, scope: ResyncScope, what: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Resync to Clockwork")
        self.setMinimumWidth(620)
        self._ws = workspace
        self.scope = scope
        self.preview: ResyncPreview | None = None
        self.action = AsyncAction(self)
        self.heading = label(f"Resync {what}", "sectionTitle", wrap=True)
        self.busy = described(named(QProgressBar(), "busyBar"), "Counting contacts")
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.status_label = label("Checking Clockwork for these contacts…", "subtle", wrap=True)
        self.figures = QFormLayout()
        self.figures.setHorizontalSpacing(28)
        self.figures.setVerticalSpacing(8)
        self.figures.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.figures_box = QWidget()
        self.figures_box.setLayout(self.figures)
        self.figures.setContentsMargins(0, 0, 0, 0)
        self.figures_box.hide()
        self.estimate_label = label(ESTIMATED, "hint", wrap=True)
        self.estimate_label.hide()
        self.error_label = label("", "errorLabel", wrap=True)
        self.error_label.setTextFormat(Qt.TextFormat.RichText)
        self.error_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.start_button = self.buttons.addButton("Resync", QDialogButtonBox.ButtonRole.AcceptRole)
        self.start_button.setObjectName("primaryButton")
        self.start_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        layout.addWidget(self.heading)
        layout.addWidget(label(ARTICLE_NOTE, "subtle", wrap=True))
        layout.addWidget(self.busy)
        layout.addWidget(self.status_label)
        layout.addWidget(self.figures_box)
        layout.addWidget(self.estimate_label)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def start(self) -> None:
        """Run the dry run; call once the dialog is open."""
        self.action.start(lambda: self._ws.sync.preview(self.scope), self._show, self._failed)

    def reject(self) -> None:
        self.action.cancel()  # a preview still looking people up stops now
        super().reject()

    def accept(self) -> None:
        if self.preview is not None and self.preview.to_send > 0:
            super().accept()

    def _show(self, preview: ResyncPreview) -> None:
        self.preview = preview
        self.busy.hide()
        self.status_label.hide()
        for caption, value in preview_rows(preview):
            figure = label(value, "figure" if "\n" not in value else "figureList")
            self.figures.addRow(label(caption, "subtle"), figure)
        self.estimate_label.setVisible(preview.estimated)
        self.figures_box.show()
        self.adjustSize()  # grow to the figures, now that they are known
        n = preview.to_send
        self.start_button.setText(f"Resync {count(n, 'contact')}" if n else "Nothing to resync")
        self.start_button.setEnabled(n > 0)
        self.start_button.setDefault(n > 0)

    def _failed(self, exc: EscapementError) -> None:
        self.busy.hide()
        self.status_label.hide()
        self.error_label.setText(f"<b>{escape(exc.title)}</b><br>{escape(exc.message)}")
        self.error_label.show()


def preview_rows(preview: ResyncPreview) -> list[tuple[str, str]]:
    """The dry run's figures as caption/value pairs, in the order a recruiter reads them."""
    about = "≈ " if preview.estimated else ""
    rows = [
        ("Contacts selected", f"{preview.selected:,}"),
        ("To send", f"{preview.to_send:,}"),
        ("New in Clockwork", f"{about}{preview.will_create:,}"),
        ("Linked to an existing person", f"{about}{preview.will_link:,}"),
        ('Flagged "Exists in Clockwork"', f"{about}{preview.will_flag_existing:,}"),
    ]
    if preview.by_project:
        projects = sorted(preview.by_project.items(), key=lambda kv: (-kv[1], kv[0]))
        rows.append(("By project", "\n".join(f"{n:,}  ·  {name}" for name, n in projects)))
    if preview.estimated_requests:
        rows.append(("Time in Clockwork", duration_text(preview)))
    skipped = sum(preview.skipped.values())
    if skipped:
        reasons = sorted(preview.skipped.items(), key=lambda kv: (-kv[1], kv[0]))
        rows.append(
            (f"Skipped ({skipped:,})", "\n".join(f"{n:,}  ·  {reason}" for reason, n in reasons))
        )
    return rows


def duration_text(preview: ResyncPreview) -> str:
    """How long the requests take at the rate cap, then how many: an upper bound, as whether
    the firm takes a person's details in one request is known only after the first create."""
    minutes = math.ceil(preview.estimated_seconds / 60)
    if preview.estimated_seconds < 60:
        time = "under a minute"
    elif minutes < 120:
        time = f"about {minutes:,} min"
    else:
        time = f"about {preview.estimated_seconds / 3600:,.1f} h"
    return f"{time} at your current cap\nup to {preview.estimated_requests:,} requests"
