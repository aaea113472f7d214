"""A sequence's Syncing tab: its "Sync to Clockwork" toggle, its project, and a resync.

When the project changes after some of the sequence's contacts already synced, the tab offers
to add those contacts to the new project too, without blocking anything (a banner, not a
dialog). Changes are written on the thread pool, in the order they were made.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QFrame, QHBoxLayout, QVBoxLayout, QWidget

from app.api import EscapementError, ProjectInfo, ResyncScope, SequenceInfo
from app.workspace import Workspace
from ui.resync.controller import SyncActions
from ui.runtime.task_runner import SerialRunner, TaskRunner
from ui.widgets.basic import button, label, named
from ui.widgets.project_combo import ProjectCombo
from ui.widgets.wording import count

SYNC_NOTE = (
    "Turn this off before adding contacts you don't want synced; contacts already added keep "
    "their setting."
)
PROJECT_NOTE = (
    "Contacts of this sequence sync to this project instead of your default one. Changed it "
    "after some contacts synced? Escapement offers to add them to the new project too, which "
    "Interseller could not do."
)


class SyncingTab(QWidget):
    def __init__(self, workspace: Workspace, actions: SyncActions, parent: QWidget | None = None):
        super().__init__(parent)
        self._ws, self._actions = workspace, actions
        self._runner = SerialRunner(self)
        self._reader = TaskRunner(self)
        self.info: SequenceInfo | None = None
        self._projects_for: SequenceInfo | None = None
        self._picks = 0  # the user's project choices so far
        self.sync_box = QCheckBox("Sync to Clockwork")
        self.sync_box.setObjectName("sectionTitle")
        self.sync_box.clicked.connect(self._sync_clicked)
        self.project_combo = ProjectCombo("Use the default project")
        self.project_combo.chosen.connect(self._project_chosen)
        self.default_label = label("", "hint", wrap=True)
        self.resync_button = button("Resync to Clockwork…", on_click=self.resync)
        self.error_label = label("", "errorLabel", wrap=True)
        self.error_label.setTextFormat(Qt.TextFormat.RichText)
        self.error_label.hide()
        self.banner_label = label("", "", wrap=True)
        self.apply_button = button("Add them to the project", "primaryButton")
        self.apply_button.clicked.connect(self.apply_project)
        self.dismiss_button = button("Not now", on_click=self._hide_banner)
        self.banner = self._banner()
        self._build()

    def _banner(self) -> QFrame:
        banner = named(QFrame(), "banner")
        layout = QHBoxLayout(banner)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.addWidget(self.banner_label, 1)
        layout.addWidget(self.apply_button)
        layout.addWidget(self.dismiss_button)
        banner.hide()
        return banner

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 16, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.sync_box)
        layout.addWidget(label(SYNC_NOTE, "hint", wrap=True))
        layout.addSpacing(14)
        layout.addWidget(label("Project", "sectionTitle"))
        row = QHBoxLayout()
        row.addWidget(self.project_combo)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.default_label)
        layout.addWidget(label(PROJECT_NOTE, "hint", wrap=True))
        layout.addWidget(self.banner)
        layout.addWidget(self.error_label)
        layout.addSpacing(14)
        layout.addWidget(label("Resync", "sectionTitle"))
        layout.addWidget(
            label(
                "Contacts added before Clockwork was connected can be sent now, with their "
                "email activity. Contacts already in Clockwork are not updated.",
                "hint",
                wrap=True,
            )
        )
        resync_row = QHBoxLayout()
        resync_row.addWidget(self.resync_button)
        resync_row.addStretch(1)
        layout.addLayout(resync_row)
        layout.addStretch(1)

    def show_sequence(self, info: SequenceInfo) -> None:
        if self.info is None or info.id != self.info.id:
            self._hide_banner()
            self.error_label.hide()
        self.info = info
        self.sync_box.setChecked(info.sync_to_clockwork)
        ws = self._ws

        def read() -> tuple[list[ProjectInfo], str | None]:
            return ws.projects(), ws.clockwork_settings().default_project_id

        picks = self._picks
        self._reader.submit(read, lambda found: self._show_projects(info, picks, *found))

    @property
    def loaded(self) -> bool:
        """The projects of the shown sequence are on screen."""
        return self.info is not None and self._projects_for == self.info

    def _show_projects(
        self, info: SequenceInfo, picks: int, projects: list[ProjectInfo], default: str | None
    ) -> None:
        if info != self.info:
            return  # another sequence was chosen meanwhile
        self._projects_for = info
        if picks == self._picks:  # else the user picked while this was read: keep their pick
            self.project_combo.set_projects([p for p in projects if p.syncable], info.project_id)
        names = {p.id: p.name for p in projects}
        shown = names.get(default, default) if default else "none"
        self.default_label.setText(f"Your default project: {shown}.")

    # --- changes --------------------------------------------------------------------------

    def _sync_clicked(self, on: bool) -> None:
        if self.info is not None:
            seq = self.info.id
            self._write(lambda: self._ws.set_sequence_sync(seq, on))

    def _project_chosen(self, project_id: str | None) -> None:
        if self.info is None:
            return
        seq = self.info.id
        self._picks += 1
        self._hide_banner()

        def count_outside(_result: object) -> None:
            # Only once the change is saved, so it counts against the new project.
            self._runner.submit(
                lambda: self._ws.sync.synced_outside_project(seq), lambda n: self._offer(seq, n)
            )

        self._write(
            lambda: self._ws.set_sequence_project(seq, project_id),
            on_error=self.project_combo.revert,
            on_done=count_outside,
        )

    def _offer(self, seq: int, n: int) -> None:
        if n <= 0 or self.info is None or self.info.id != seq:
            return
        project = self.project_combo.currentText().split("  (")[0]
        them = "it" if n == 1 else "them"
        self.banner_label.setText(
            f"{count(n, 'contact')} of this sequence already synced to Clockwork "
            f"{'is' if n == 1 else 'are'} not in “{project}”. Add {them} to it too?"
        )
        self.apply_button.setText(f"Add {count(n, 'contact')} to the project")
        self.apply_button.setEnabled(True)
        self.apply_button.show()
        self.dismiss_button.setText("Not now")
        self.banner.show()

    def apply_project(self) -> None:
        if self.info is None or not self.apply_button.isEnabled():
            return
        seq = self.info.id
        self.apply_button.setEnabled(False)  # a second click must not queue them twice
        self._write(lambda: self._ws.sync.apply_project(seq), on_done=self._applied)

    def _applied(self, n: int) -> None:
        self.banner_label.setText(f"Queued: {count(n, 'contact')} will be added to the project.")
        self.apply_button.hide()
        self.dismiss_button.setText("OK")

    def _hide_banner(self) -> None:
        self.banner.hide()

    def resync(self) -> None:
        if self.info is not None:
            scope = ResyncScope(sequence_id=self.info.id)
            self._actions.resync(scope, f"the sequence “{self.info.name}”")

    def _write(
        self,
        fn: Callable[[], object],
        *,
        on_error: Callable[[], None] | None = None,
        on_done: Callable[[Any], None] | None = None,
    ) -> None:
        self.error_label.hide()

        def failed(exc: Exception) -> None:
            if not isinstance(exc, EscapementError):
                raise exc
            self.error_label.setText(f"<b>{escape(exc.title)}</b><br>{escape(exc.message)}")
            self.error_label.show()
            if on_error is not None:
                on_error()

        self._runner.submit(fn, on_done or (lambda _r: None), failed)
