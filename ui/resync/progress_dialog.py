"""Resync to Clockwork, step two: the job's progress, and a Cancel that stops it for real.

Progress is read from the store every POLL_MS on the thread pool (one read at a time). Cancel
asks the background sync to stop its running drain, in-flight requests included, and then
drops the rest of the job, whose contacts go back to Not synced. Hide leaves the job running.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from app.api import ContactSyncState, JobProgress
from app.workspace import Workspace
from ui.runtime.async_action import AsyncAction
from ui.runtime.task_runner import TaskRunner
from ui.widgets.accessible import Figure, described
from ui.widgets.basic import label, repolish
from ui.widgets.wording import count

POLL_MS = 250
FLAGGED = (ContactSyncState.EXISTS_IN_CLOCKWORK.value, ContactSyncState.POSSIBLE_DUPLICATE.value)
FIGURES = ("Synced", "Flagged", "Errors", "Remaining")


class ResyncProgressDialog(QDialog):
    showLog = Signal()

    def __init__(
        self,
        workspace: Workspace,
        job_id: str,
        total: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Resyncing to Clockwork")
        self.setMinimumWidth(520)
        self._ws, self.job_id = workspace, job_id
        self._runner = TaskRunner(self)
        self.cancel_action = AsyncAction(self)
        self.progress: JobProgress | None = None
        self.finished_running = False
        self.dropped: int | None = None
        self._samples: list[tuple[float, int]] = []
        self.heading = label(f"Sending {count(total, 'contact')} to Clockwork", "sectionTitle")
        self.bar = described(QProgressBar(), "Resync progress", "Contacts sent so far")
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(0)
        self.bar.setFormat("%v of %m")
        self.figures = {name: Figure(name) for name in FIGURES}
        self.speed_label = label("Starting…", "subtle")
        self.result_label = label("", "successLabel", wrap=True)
        self.result_label.hide()
        self.buttons = QDialogButtonBox()
        self.hide_button = self.buttons.addButton("Hide", QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button = self.buttons.addButton(
            "Cancel resync", QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.cancel_button.setObjectName("dangerButton")
        self.cancel_button.clicked.connect(self.cancel_job)
        self.log_button = self.buttons.addButton(
            "Show sync log", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.log_button.clicked.connect(self.showLog)
        self.log_button.hide()
        self.buttons.rejected.connect(self.reject)
        self._lay_out()
        self._timer = QTimer(self, interval=POLL_MS)
        self._timer.timeout.connect(self.poll)
        self._timer.start()
        self.poll()

    def _lay_out(self) -> None:
        grid = QGridLayout()
        grid.setHorizontalSpacing(28)
        grid.setVerticalSpacing(2)
        for column, name in enumerate(FIGURES):
            grid.addWidget(label(name, "subtle"), 0, column)
            grid.addWidget(self.figures[name], 1, column)
        grid.setColumnStretch(len(FIGURES), 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        layout.addWidget(self.heading)
        layout.addWidget(self.bar)
        layout.addLayout(grid)
        layout.addWidget(self.speed_label)
        layout.addWidget(self.result_label)
        layout.addWidget(self.buttons)

    # --- progress -------------------------------------------------------------------------

    def poll(self) -> None:
        if not self._runner.busy and not self.finished_running:
            self._runner.submit(lambda: self._ws.sync.progress(self.job_id), self._show)

    def _show(self, progress: JobProgress) -> None:
        if self.finished_running:
            return
        self.progress = progress
        processed = progress.done + progress.failed
        self.bar.setMaximum(max(progress.total, 1))
        self.bar.setValue(processed)
        flagged = sum(progress.counts.get(state, 0) for state in FLAGGED)
        synced = progress.counts.get(ContactSyncState.SYNCED.value, 0)
        for name, value in zip(
            FIGURES, (synced, flagged, progress.failed, progress.pending), strict=True
        ):
            self.figures[name].setText(f"{value:,}")
        self.speed_label.setText(self._speed(processed, progress.pending))
        if progress.finished:
            self._end(_summary(synced, flagged, progress.failed))

    def _speed(self, processed: int, remaining: int) -> str:
        now = time.monotonic()
        self._samples.append((now, processed))
        # The last ~10 s, so the rate follows the sync as it speeds up or slows down.
        self._samples = [(t, n) for t, n in self._samples if now - t <= 10] or [(now, processed)]
        (t0, n0), (t1, n1) = self._samples[0], self._samples[-1]
        if t1 - t0 < 1 or n1 == n0:
            return "Measuring the speed…" if remaining else ""
        per_minute = (n1 - n0) / (t1 - t0) * 60
        eta = remaining / per_minute * 60
        return f"{per_minute:,.0f} contacts/min  ·  about {_duration(eta)} left"

    # --- the end, either way --------------------------------------------------------------

    def cancel_job(self) -> None:
        if self.finished_running:
            return
        self._timer.stop()
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText("Stopping…")
        self.cancel_action.start(self._cancel, self._cancelled)

    async def _cancel(self) -> int:
        # Stops the background loop's work on the job first, when the loop runs.
        return await self._ws.sync.cancel_job(self.job_id)

    def _cancelled(self, dropped: int) -> None:
        self.dropped = dropped
        left = count(dropped, "contact")
        self._end(f"Cancelled. {left} left unsent; they are back to Not synced.")
        # The figures as they stand after the stop.
        self._runner.submit(lambda: self._ws.sync.progress(self.job_id), self._final)

    def _final(self, progress: JobProgress) -> None:
        self.progress = progress
        self.bar.setValue(progress.done + progress.failed)
        self.figures["Remaining"].setText("0")
        self.figures["Errors"].setText(f"{progress.failed:,}")

    def _end(self, text: str) -> None:
        self.finished_running = True
        self._timer.stop()
        self.speed_label.hide()
        failed = self.progress.failed if self.progress else 0
        calm = self.dropped is None and not failed  # finished, and nothing went wrong
        self.result_label.setObjectName("successLabel" if calm else "warningLabel")
        repolish(self.result_label)
        self.result_label.setText(text)
        self.result_label.show()
        self.cancel_button.hide()
        self.hide_button.setText("Close")
        self.log_button.setVisible(failed > 0)
        self.adjustSize()  # room for the result, which may wrap


def _summary(synced: int, flagged: int, failed: int) -> str:
    parts = [f"{count(synced, 'contact')} synced"]
    if flagged:
        parts.append(f'{flagged:,} flagged "Exists in Clockwork" or possible duplicate')
    if failed:
        parts.append(f"{count(failed, 'error')} (see the sync log)")
    return "Done: " + ", ".join(parts) + "."


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{max(1, round(seconds))} s"
    minutes = seconds / 60
    return f"{round(minutes)} min" if minutes < 90 else f"{minutes / 60:.1f} h"
