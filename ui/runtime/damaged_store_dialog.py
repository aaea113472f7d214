"""The start-up dialog for a damaged local database: restore its newest good backup, or quit.

`open_store` refuses a damaged file with a `DamagedStore` and leaves it untouched; it names the
newest backup that passed SQLite's check. Restoring sets the damaged file aside (never deletes
it), so the dialog says where it went before the app opens the Workspace again.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLayout, QVBoxLayout, QWidget

from app.api import DamagedStore, EscapementError
from app.workspace import Workspace
from ui.runtime import assets
from ui.runtime.task_runner import TaskRunner
from ui.widgets.basic import label

RESTORE = "Restore this backup"
OPEN = "Open Escapement"
QUIT = "Quit"


class DamagedStoreDialog(QDialog):
    """Accepted once the backup is back in place and the user chose to open the app again."""

    def __init__(self, error: DamagedStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._error = error
        self._runner = TaskRunner(self)
        self.restored_aside: Path | None = None
        self.setWindowTitle(error.title)
        self.setWindowIcon(assets.app_icon())
        self.message = label(error.message, wrap=True)
        self.status = label("", "hint", wrap=True)
        self.status.hide()
        self.buttons = QDialogButtonBox()
        self.quit_button = self.buttons.addButton(QUIT, QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button = None
        for text in (self.message, self.status):
            text.setMinimumWidth(480)  # long paths wrap instead of making a tall, thin box
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        layout.addWidget(self.message)
        # Grows with the status line, so a long path never overlaps the message.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        if error.backup is not None:  # the message names it already
            self.restore_button = self.buttons.addButton(
                RESTORE, QDialogButtonBox.ButtonRole.AcceptRole
            )
            self.restore_button.setDefault(True)
            self.restore_button.clicked.connect(self._restore)
            self.setTabOrder(self.restore_button, self.quit_button)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.quit_button.clicked.connect(self.reject)

    def _restore(self) -> None:
        button = self.restore_button
        assert button is not None
        assert self._error.backup is not None
        if self.restored_aside is not None:  # the button now says "Open Escapement"
            self.accept()
            return
        button.setEnabled(False)
        self.quit_button.setEnabled(False)
        self._say("Restoring the backup…")
        url = database_url(Path(self._error.path))
        backup = Path(self._error.backup)
        self._runner.submit(
            lambda: Workspace.restore_latest_backup(url, backup), self._restored, self._failed
        )

    def _restored(self, aside: Path) -> None:
        self.restored_aside = aside
        self._say(f"The backup is back in place. The old file is kept as {aside}.")
        button = self.restore_button
        assert button is not None
        button.setText(OPEN)
        button.setEnabled(True)
        button.setFocus()
        self.quit_button.setEnabled(True)

    def _failed(self, error: Exception) -> None:
        if not isinstance(error, EscapementError):
            raise error
        self._say(error.message)
        self.quit_button.setEnabled(True)
        self.quit_button.setFocus()

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.show()
        self.adjustSize()


def database_url(path: Path) -> str:
    """The SQLite URL of the damaged file, as `open_store` was given it."""
    return f"sqlite:///{path}"


def offer_backup(error: DamagedStore, parent: QWidget | None = None) -> bool:
    """Shows the dialog (blocking: no event loop runs yet); True when the backup was restored
    and the Workspace should be opened again."""
    dialog = DamagedStoreDialog(error, parent)
    return dialog.exec() == QDialog.DialogCode.Accepted
