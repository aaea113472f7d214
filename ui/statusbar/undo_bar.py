"""Undo for the last destructive action (contacts removed from a sequence, a sequence
deleted): an "Undo" button in the status bar for as long as a notification stays on screen,
and Edit › Undo (Ctrl+Z) meanwhile. The Workspace keeps what was removed and puts it back."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QPushButton

from app.api import EscapementError
from app.workspace import Workspace
from ui.runtime.notifier import MESSAGE_MS
from ui.runtime.task_runner import TaskRunner
from ui.widgets.basic import label


class UndoBar(QObject):
    def __init__(self, window: QMainWindow, workspace: Workspace) -> None:
        super().__init__(window)
        self._window, self._ws = window, workspace
        self._runner = TaskRunner(self)
        self.text_label = label("", "statusItem")
        self.button = QPushButton("Undo")
        self.button.setObjectName("undoButton")
        self.button.clicked.connect(self.undo)
        self.action = QAction("&Undo", window, shortcut=QKeySequence(QKeySequence.StandardKey.Undo))
        self.action.triggered.connect(self.undo)
        self._timer = QTimer(self, singleShot=True, interval=MESSAGE_MS)
        self._timer.timeout.connect(self.withdraw)
        bar = window.statusBar()
        bar.addWidget(self.text_label)
        bar.addWidget(self.button)
        self.withdraw()

    def offer(self, text: str) -> None:
        self.text_label.setText(text)
        self.text_label.show()
        self.button.show()
        self.button.setEnabled(True)
        self.action.setEnabled(True)
        self.action.setText("&Undo " + text.rstrip(".").lower().split(":")[0])
        self._timer.start()

    def withdraw(self) -> None:
        self._timer.stop()
        self.text_label.hide()
        self.button.hide()
        self.action.setEnabled(False)
        self.action.setText("&Undo")

    @property
    def offered(self) -> bool:
        return self.action.isEnabled()

    def undo(self) -> None:
        if not self.offered or self._runner.busy:
            return
        self.button.setEnabled(False)
        self._runner.submit(self._ws.undo_removal, self._done, self._failed)

    def _done(self, said: str) -> None:
        self.withdraw()
        self._window.statusBar().showMessage(said, MESSAGE_MS)

    def _failed(self, exc: Exception) -> None:
        if not isinstance(exc, EscapementError):
            raise exc
        self.withdraw()
        self._window.statusBar().showMessage(f"{exc.title}: {exc.message}", MESSAGE_MS)
