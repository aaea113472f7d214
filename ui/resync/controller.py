"""The sync actions every pane offers: resync (preview, then progress), retry, resolve a
duplicate, open a person in Clockwork, and the sync log. One instance per window.

Only one resync runs its dialogs at a time: a second "Resync…" while one is open brings that
one forward instead of starting another. Store writes run on the thread pool; what they did
is announced through `notice`, which the window shows in its status bar.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QWidget

from app.api import ContactRow, EscapementError, ResyncScope, person_url
from app.workspace import Workspace
from ui.resync.preview_dialog import ResyncPreviewDialog
from ui.resync.progress_dialog import ResyncProgressDialog
from ui.resync.sync_log_dialog import SyncLogDialog
from ui.runtime.bridge import EventBridge
from ui.runtime.task_runner import TaskRunner
from ui.widgets.wording import count


class SyncActions(QObject):
    notice = Signal(str)

    def __init__(
        self,
        workspace: Workspace,
        bridge: EventBridge,
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self._ws, self._bridge, self._window = workspace, bridge, window
        self._runner = TaskRunner(self)
        self.dialog: QDialog | None = None  # the resync flow's open dialog, if any
        self.log_dialog: SyncLogDialog | None = None

    # --- resync ---------------------------------------------------------------------------

    @property
    def resyncing(self) -> bool:
        return self.dialog is not None

    def resync(self, scope: ResyncScope, what: str) -> bool:
        """Preview, then on confirmation queue the job and follow it. False if one is open."""
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return False
        dialog = ResyncPreviewDialog(self._ws, scope, what, self._window)
        dialog.accepted.connect(lambda: self._queue(scope))
        dialog.rejected.connect(self._flow_ended)
        self._open(dialog)
        dialog.start()
        return True

    def _queue(self, scope: ResyncScope) -> None:
        # The dialog stays the flow's guard until the progress dialog replaces it.
        self._runner.submit(lambda: self._ws.sync.resync(scope), self._queued, self._queue_failed)

    def _queued(self, job: tuple[str, int]) -> None:
        job_id, n = job
        if n == 0:
            self.notice.emit("Nothing to resync: every contact there has synced already.")
            self._flow_ended()
            return
        dialog = ResyncProgressDialog(self._ws, job_id, n, self._window)
        # The log opens once the (window-modal) progress dialog is out of its way.
        dialog.showLog.connect(lambda: self._log_after(dialog))
        dialog.finished.connect(lambda _r: self._flow_ended())
        self._open(dialog)

    def _log_after(self, dialog: QDialog) -> None:
        dialog.accept()
        self.show_log()

    def _queue_failed(self, exc: Exception) -> None:
        self._flow_ended()
        self._report(exc)

    def _open(self, dialog: QDialog) -> None:
        self._flow_ended()
        self.dialog = dialog
        dialog.open()

    def _flow_ended(self) -> None:
        if self.dialog is not None and not self.dialog.isVisible():
            self.dialog.deleteLater()
            self.dialog = None

    # --- per contact ----------------------------------------------------------------------

    def retry(self, contact_ids: list[int]) -> None:
        def say(job: tuple[str, int]) -> str:
            return f"Retrying {count(job[1], 'contact')} with errors."

        self._write(lambda: self._ws.sync.retry(contact_ids), say)

    def resolve(self, contact_ids: list[int], *, link_existing: bool) -> None:
        how = "linked to the person in Clockwork" if link_existing else "created as new people"

        def say(n: int) -> str:
            return f"{count(n, 'contact')} will be {how}."

        self._write(lambda: self._ws.sync.resolve(contact_ids, link_existing=link_existing), say)

    def open_in_clockwork(self, row: ContactRow) -> bool:
        firm = self._ws.connection_state().firm
        if not firm or not row.clockwork_person_id:
            return False
        return QDesktopServices.openUrl(QUrl(person_url(firm, row.clockwork_person_id)))

    def show_log(self, contact_id: int | None = None, email: str = "") -> SyncLogDialog:
        if self.log_dialog is None:
            self.log_dialog = SyncLogDialog(self._ws, self._bridge, self.retry, self._window)
            self.log_dialog.finished.connect(self._log_closed)
        self.log_dialog.show_contact(contact_id, email)
        self.log_dialog.show()
        self.log_dialog.raise_()
        return self.log_dialog

    def _log_closed(self) -> None:
        if self.log_dialog is not None:
            self.log_dialog.deleteLater()
            self.log_dialog = None

    def _write(self, fn: Callable[[], Any], say: Callable[[Any], str]) -> None:
        self._runner.submit(fn, lambda result: self.notice.emit(say(result)), self._report)

    def _report(self, exc: Exception) -> None:
        if not isinstance(exc, EscapementError):
            raise exc
        self.notice.emit(f"{exc.title}: {exc.message}")
