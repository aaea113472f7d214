"""A sequence's Steps tab: the list of steps, the editor of the chosen one, and its preview.

Edits are drafts until saved (see step_drafts): moving to another step or sequence keeps
them, and the list marks the steps with unsaved changes. Saves and removals are written on
the thread pool, one after another; the core's refusals show inline and the draft stays.
"""

from __future__ import annotations

from dataclasses import asdict

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.api import EscapementError, SequenceInfo, StepInfo
from app.workspace import Workspace
from ui.runtime.task_runner import SerialRunner, TaskRunner
from ui.sequences.steps.drafts import NEW, Draft, Drafts
from ui.sequences.steps.editor import StepEditor
from ui.sequences.steps.preview import StepPreview
from ui.sequences.steps.step_list import StepList
from ui.widgets.basic import DialogSlot, button, label

NO_STEPS = (
    "This sequence sends nothing yet. Each step is an email: the first goes out when a "
    "contact is added, follow-ups a few days apart until they reply."
)


class StepsTab(QWidget):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._runner = SerialRunner(self)
        self._reader = TaskRunner(self)
        self._reads = self._shown_read = 0
        self.info: SequenceInfo | None = None
        self.steps: list[StepInfo] = []
        self.drafts = Drafts()
        self._rows: dict[int, int] = {}  # the step last shown, per sequence
        self._shown: tuple[int, int] | None = None  # (sequence, key) in the editor
        self._saving = False
        self._dialogs = DialogSlot()
        self.column = StepList()
        self.step_list = self.column.list
        self.step_list.currentRowChanged.connect(self._row_chosen)
        self.column.add_button.clicked.connect(self.add_step)
        self.column.remove_button.clicked.connect(self.remove_step)
        self.list_error = self.column.error_label
        self.first_button = button("Add the first step", "primaryButton", on_click=self.add_step)
        self.editor = StepEditor()
        self.editor.edited.connect(self._edited)
        self.editor.save_button.clicked.connect(self.save)
        self.editor.revert_button.clicked.connect(self.revert)
        self.preview = StepPreview(workspace)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._empty_page())
        self.stack.addWidget(self._content_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 16, 0, 0)
        layout.addWidget(self.stack)

    def _empty_page(self) -> QWidget:
        page = QWidget()
        text = label(NO_STEPS, "emptyState", wrap=True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(48, 0, 48, 0)
        layout.addStretch(1)
        layout.addWidget(text)
        layout.addSpacing(8)
        layout.addWidget(self.first_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        return page

    def _content_page(self) -> QWidget:
        page = QWidget()
        layout = QHBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        layout.addWidget(self.column, 2)
        layout.addWidget(self.editor, 4)
        layout.addWidget(self.preview, 3)
        return page

    # --- showing ---------------------------------------------------------------------------

    def show_sequence(self, info: SequenceInfo) -> None:
        if self.info is None or self.info.id != info.id:
            self.list_error.hide()
        self.info = info
        self.preview.show_sequence(info.id, info.contact_count)
        self.reload()

    def reload(self) -> None:
        """Re-read the saved steps; drafts and the step being edited stay as they are."""
        if self.info is None:
            return
        seq = self.info.id
        self._reads += 1
        token = self._reads
        self._reader.submit(
            lambda: self._ws.mail.steps(seq),
            lambda steps: self._show_steps(token, seq, steps),
            lambda exc: self._steps_refused(token, seq, exc),
        )

    @property
    def loaded(self) -> bool:
        """The newest read of the steps is on screen."""
        return self._shown_read == self._reads

    def _steps_refused(self, token: int, seq: int, exc: Exception) -> None:
        if not isinstance(exc, EscapementError):
            raise exc
        if token == self._reads:  # deleted meanwhile: the pane moves on by itself
            self.column.show_error(exc)
            self._show_steps(token, seq, [])

    def _show_steps(self, token: int, seq: int, steps: list[StepInfo]) -> None:
        if token != self._reads:
            return
        self._shown_read = token
        self.steps = steps
        self.drafts.prune(seq, self.steps)
        self._render(seq)

    def _render(self, seq: int) -> None:
        """Show the saved steps and the drafts; in memory only."""
        rows = len(self.steps) + self.drafts.has(seq, NEW)
        self.stack.setCurrentIndex(1 if rows else 0)
        row = min(self._rows.get(seq, 0), rows - 1)
        labels = [
            (self._draft_or_saved(seq, r), self.drafts.has(seq, self._key(r))) for r in range(rows)
        ]
        self.column.fill(labels, row)
        if rows:
            self._show_row(row)
        else:
            self._shown = None
            self.preview.clear()

    def _key(self, row: int) -> int:
        return row if row < len(self.steps) else NEW

    def _current(self) -> tuple[int, int] | None:
        """(sequence, key) of the step in the editor."""
        row = self.step_list.currentRow()
        return None if self.info is None or row < 0 else (self.info.id, self._key(row))

    def _draft_or_saved(self, seq: int, row: int) -> Draft:
        draft = self.drafts.get(seq, self._key(row))
        return draft if draft is not None else Draft.of(self.steps[row])

    def _row_chosen(self, row: int) -> None:
        if row >= 0:
            self._show_row(row)

    def _show_row(self, row: int) -> None:
        assert self.info is not None
        seq, key = self.info.id, self._key(row)
        self._rows[seq] = row
        shown = self._draft_or_saved(seq, row)
        if self._shown != (seq, key):
            self.editor.clear_error()
        if self._shown != (seq, key) or self.editor.values() != shown:
            self.editor.load(row, shown, new=key == NEW)
        else:
            self.editor.set_step(row, new=key == NEW)
        self._shown = (seq, key)
        self._show_state(seq, key)
        self.preview.request(seq, row, shown)

    def _show_state(self, seq: int, key: int) -> None:
        self.editor.set_dirty(self.drafts.has(seq, key), busy=self._saving)

    # --- editing ---------------------------------------------------------------------------

    def _edited(self) -> None:
        current = self._current()
        if current is None:
            return
        seq, key = current
        draft = self.editor.values()
        self.drafts.put(seq, key, draft, None if key == NEW else self.steps[key])
        row = self.step_list.currentRow()
        self.column.set_row(row, draft, self.drafts.has(seq, key))
        self._show_state(seq, key)
        self.preview.request(seq, row, draft)

    def add_step(self) -> None:
        if self.info is None:
            return
        seq = self.info.id
        if not self.drafts.has(seq, NEW):
            follow_up = bool(self.steps)
            self.drafts.put(seq, NEW, Draft("", "", 3 if follow_up else 0, True), None)
        self._rows[seq] = len(self.steps)
        self._render(seq)
        (self.editor.body_edit if self.steps else self.editor.subject_edit).setFocus()

    def save(self) -> None:
        current = self._current()
        if current is None or self._saving or not self.drafts.has(*current):
            return
        seq, key = current
        draft = self.editor.values()
        fields = asdict(draft)  # subject, body, delay_days, same_thread: the façade's names
        mail = self._ws.mail

        def write() -> StepInfo:
            if key == NEW:
                return mail.add_step(seq, **fields)
            return mail.update_step(seq, key, **fields)

        self._saving = True
        self.editor.clear_error()
        self._show_state(seq, key)
        self._runner.submit(
            write,
            lambda step: self._saved(seq, key, draft, step),
            lambda exc: self._save_failed(seq, key, exc),
        )

    def _saved(self, seq: int, key: int, submitted: Draft, step: StepInfo) -> None:
        self._saving = False
        if key == NEW:
            typed = self.drafts.get(seq, NEW)
            self.drafts.drop(seq, NEW)
            if typed is not None and typed != submitted:  # typed on while it was saved
                self.drafts.put(seq, step.index, typed, step)
            if self._rows.get(seq) == step.index and self._shown == (seq, NEW):
                self._shown = (seq, step.index)  # the same step, now saved: keep the cursor
        self.reload()

    def _save_failed(self, seq: int, key: int, exc: Exception) -> None:
        self._saving = False
        if not isinstance(exc, EscapementError):
            raise exc
        current = self._current()
        if current == (seq, key):  # else the list still marks that step as unsaved
            self.editor.show_error(exc)  # the draft stays as typed
        if current is not None:
            self._show_state(*current)

    def revert(self) -> None:
        current = self._current()
        if current is not None:
            self.drafts.drop(*current)
            self.editor.clear_error()
            self._render(current[0])

    # --- removing --------------------------------------------------------------------------

    @property
    def dialog(self) -> QDialog | None:
        """The open confirmation, if any."""
        return self._dialogs.dialog

    def remove_step(self) -> None:
        current = self._current()
        if current is None or self.dialog is not None:
            return
        seq, key = current
        row = self.step_list.currentRow()
        self.list_error.hide()
        draft = self._draft_or_saved(seq, row)
        if key == NEW and not (draft.subject.strip() or draft.body.strip()):
            self._discard_new(seq)  # nothing typed, nothing to ask about
            return
        if key == NEW:
            box = self.column.confirm(row, new=True, on_yes=lambda: self._discard_new(seq))
        else:
            box = self.column.confirm(row, on_yes=lambda: self._remove_confirmed(seq, key))
        self._dialogs.open(box)

    def _remove_confirmed(self, seq: int, index: int) -> None:
        self._runner.submit(
            lambda: self._ws.mail.remove_step(seq, index),
            lambda _r: self._removed(seq, index),
            self.column.show_error,
        )

    def _discard_new(self, seq: int) -> None:
        self.drafts.drop(seq, NEW)
        self._render(seq)

    def _removed(self, seq: int, index: int) -> None:
        self.drafts.removed(seq, index)
        self._shown = None  # the row now holds the next step
        self.reload()
