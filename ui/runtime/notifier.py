"""Desktop notifications for work that ends while the window is out of sight.

A system-tray message where the desktop has a tray; elsewhere (no tray, or a platform without
messages) the taskbar entry asks for attention and the status bar keeps the sentence. Either
way `notified` says what was announced and how, which is what tests check.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMainWindow, QSystemTrayIcon

from ui.runtime import assets

MESSAGE_MS = 10_000  # how long a tray message stays; Undo and status items last as long


class Notifier(QObject):
    notified = Signal(str, str, str)  # title, text, "tray" or "alert"

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._tray: QSystemTrayIcon | None = None

    def out_of_sight(self) -> bool:
        w = self._window
        return not w.isVisible() or bool(w.windowState() & Qt.WindowState.WindowMinimized)

    def notify(self, title: str, text: str, *, failed: bool = False) -> bool:
        """Announce when the window is hidden or minimized; True if it was announced."""
        if not self.out_of_sight():
            return False
        if QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages():
            icon = QSystemTrayIcon.MessageIcon
            self.tray().showMessage(
                title, text, icon.Warning if failed else icon.Information, MESSAGE_MS
            )
            via = "tray"
        else:
            QApplication.alert(self._window)
            self._window.statusBar().showMessage(f"{title}: {text}", MESSAGE_MS)
            via = "alert"
        self.notified.emit(title, text, via)
        return True

    def tray(self) -> QSystemTrayIcon:
        if self._tray is None:
            self._tray = QSystemTrayIcon(assets.app_icon(), self)
            self._tray.setToolTip("Escapement")
            self._tray.messageClicked.connect(self._bring_back)
            self._tray.show()
        return self._tray

    def _bring_back(self) -> None:
        self._window.showNormal()
        self._window.raise_()
        self._window.activateWindow()
