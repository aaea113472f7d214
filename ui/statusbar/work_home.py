"""A home for work that runs out of sight: a status-bar item that reopens a hidden resync
(where Cancel is) and says when it ended, a desktop notification when a resync or a mail pass
ends or fails while the window is hidden or minimized, and the question on quitting with
work left, saying what is left and that it resumes on the next start.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QDialog, QMainWindow, QPushButton

from ui.resync.controller import SyncActions
from ui.resync.progress_dialog import ResyncProgressDialog
from ui.runtime.bridge import EventBridge
from ui.runtime.notifier import Notifier
from ui.status_bar import StatusItems
from ui.widgets.basic import DialogSlot, destructive_confirm
from ui.widgets.wording import count

ENDED_SHOWN_MS = 60_000  # "Resync ended" stays a minute after a job ended out of sight


class WorkHome(QObject):
    def __init__(
        self,
        window: QMainWindow,
        actions: SyncActions,
        status: StatusItems,
        bridge: EventBridge,
    ) -> None:
        super().__init__(window)
        self._window, self._actions, self._status = window, actions, status
        self.notifier = Notifier(window)
        self.job_item = QPushButton()
        self.job_item.setObjectName("jobItem")
        self.job_item.setFlat(True)
        self.job_item.setCursor(Qt.CursorShape.PointingHandCursor)
        self.job_item.clicked.connect(self.reopen)
        self.job_item.hide()
        window.statusBar().insertPermanentWidget(0, self.job_item)
        self._job: ResyncProgressDialog | None = None
        self._fade = QTimer(self, singleShot=True, interval=ENDED_SHOWN_MS)
        self._fade.timeout.connect(self.job_item.hide)
        self.quit_question = DialogSlot()
        self.quit_confirmed = False
        actions.jobHidden.connect(self._job_hidden)
        actions.jobEnded.connect(self._job_ended)
        bridge.mailRun.connect(lambda run: self.mail_ran(run.sent, list(run.errors)))
        bridge.mailFailed.connect(lambda f: self.mail_ran(0, [f"{f.title}: {f.message}"]))

    # --- a resync out of sight ------------------------------------------------------------

    def _job_hidden(self, job: ResyncProgressDialog) -> None:
        self._fade.stop()
        self._job = job
        job.bar.valueChanged.connect(lambda _v: self._show_job(job))
        self._show_job(job)
        self.job_item.show()

    def _show_job(self, job: ResyncProgressDialog) -> None:
        if self._job is not job:
            return
        self.job_item.setText(f"Resync: {job.bar.value():,} of {job.bar.maximum():,} · Show")
        self.job_item.setToolTip("The resync runs on. Click to see its progress or cancel it.")

    def reopen(self) -> None:
        """Bring the hidden job's progress back; after it ended, the item just goes."""
        job, self._job = self._job, None
        self.job_item.hide()
        if job is not None and not job.finished_running:
            job.open()
            job.raise_()

    def _job_ended(self, text: str) -> None:
        failed = not text.startswith("Done") or "error" in text
        if self._job is not None:  # it ended out of sight: say so where it was
            self._job = None
            self.job_item.setText(f"Resync ended · {text}")
            self.job_item.setToolTip(text)
            self.job_item.show()
            self._fade.start()
        self.notifier.notify("Resync to Clockwork ended", text, failed=failed)

    # --- mail passes ----------------------------------------------------------------------

    def mail_ran(self, sent: int, errors: list[str]) -> None:
        if errors:
            self.notifier.notify("Mail pass failed", "\n".join(errors), failed=True)
        elif sent:  # a quiet pass (nothing due) is not news
            self.notifier.notify("Mail pass ended", f"{count(sent, 'email')} sent.")

    # --- quitting -------------------------------------------------------------------------

    def left_to_do(self) -> str:
        """What quitting now leaves undone, in a sentence; empty if nothing."""
        parts = []
        job = self._actions.running_job
        if job is not None and job.progress is not None and job.progress.pending:
            parts.append(f"a resync with {count(job.progress.pending, 'contact')} to go")
        elif job is not None:
            parts.append("a resync that is starting")
        if self._status.pending:
            parts.append(
                f"{count(self._status.pending, 'contact or note', 'contacts and notes')} "
                "waiting to be sent to Clockwork"
            )
        return " and ".join(parts)

    def ask_before_quit(self, quit_anyway: Callable[[], object]) -> bool:
        """True if a question is (now) open and the window should stay for the answer."""
        if self.quit_confirmed:
            return False
        if self.quit_question.dialog is not None:
            return True
        left = self.left_to_do()
        if not left:
            return False
        box = destructive_confirm(
            self._window,
            "Work left to do",
            f"Escapement still has {left}.",
            "Nothing is lost: it resumes when you next start Escapement. Clockwork is not "
            "updated meanwhile.",
            "Quit",
            lambda: self._confirmed(quit_anyway),
        )
        self.quit_question.open(box)
        return True

    @property
    def quit_box(self) -> QDialog | None:
        return self.quit_question.dialog

    def _confirmed(self, quit_anyway: Callable[[], object]) -> None:
        self.quit_confirmed = True
        quit_anyway()
