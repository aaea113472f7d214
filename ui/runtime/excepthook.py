"""The one place bugs go: log them, tell the user once, keep the app running.

Without this, PySide prints an exception raised in a slot to stderr, where a recruiter never
sees it. A bug inside a timer or a per-row callback can fire many times a second, so each
distinct error gets one dialog and at most a few are ever open together.
"""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.api import EscapementError

log = logging.getLogger(__name__)

MAX_OPEN_DIALOGS = 3
Fingerprint = tuple[str, str, str]


class ErrorDialog(QMessageBox):
    """Non-modal: the window behind it stays usable, and nothing waits on the answer."""

    def __init__(self, title: str, text: str, details: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setIcon(QMessageBox.Icon.Critical)
        self.setWindowTitle(title)
        self.setText(title)
        self.setInformativeText(text)
        self.setDetailedText(details)
        self.setStandardButtons(QMessageBox.StandardButton.Close)


class ExceptHook:
    def __init__(self) -> None:
        self._seen: set[Fingerprint] = set()
        self._open: list[QWidget] = []

    def __call__(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        log.error("Unhandled error", exc_info=(kind, exc, tb))
        key = _fingerprint(kind, exc, tb)
        if key in self._seen:
            return
        self._seen.add(key)
        self._show(kind, exc, tb)

    @property
    def open_dialogs(self) -> list[QWidget]:
        return list(self._open)

    def _show(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if QApplication.instance() is None or len(self._open) >= MAX_OPEN_DIALOGS:
            return  # logged above; a fourth dialog would only bury the window
        title, text = _describe(exc)
        details = "".join(traceback.format_exception(kind, exc, tb))
        # No parent: the dialog must outlive whichever window was active (an import dialog
        # that deletes itself on close would take it along).
        dialog = ErrorDialog(title, text, details)
        self._open.append(dialog)
        dialog.finished.connect(lambda _r: self._forget(dialog))
        dialog.show()

    def _forget(self, dialog: QWidget) -> None:
        if dialog in self._open:
            self._open.remove(dialog)


def _describe(exc: BaseException) -> tuple[str, str]:
    if isinstance(exc, EscapementError):
        return exc.title, exc.message
    summary = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return (
        "Escapement ran into a problem",
        f"{summary}\n\nYour data is safe and the app keeps running. "
        "The details below were written to the log file.",
    )


def _fingerprint(
    kind: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> Fingerprint:
    where = ""
    frames = traceback.extract_tb(tb)
    if frames:
        last = frames[-1]
        where = f"{last.filename}:{last.lineno}"
    return (kind.__qualname__, str(exc), where)


def install_excepthook() -> ExceptHook:
    hook = ExceptHook()
    sys.excepthook = hook
    return hook
