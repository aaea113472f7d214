"""Start the app exactly as `python main.py --data-dir D [--database-url U]` does, and report
two moments.

    python bench/launch_gui.py DATA_DIR EXPECTED_ROWS [DATABASE_URL]

Prints `shown` once the main window has painted for the first time, then opens the Contacts
pane, waits until it shows its first rows of EXPECTED_ROWS, prints `rows_ms N` (from opening
the pane to those rows) and `rss_kb N` (VmRSS), and closes the window so that the app shuts
down in its own order. The app is not changed: an application-wide event filter watches for
the first paint and is removed right after it.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# main first, as `python main.py` imports it: PySide6 reads the source of every module
# imported after it (shibokensupport's feature check, kept in linecache), so importing Qt
# first would charge the app's core modules with a cost the app does not have.
import main  # noqa: I001 (the order is the point)
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from ui.main_window import MainWindow


def rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


class Probe(QObject):
    def __init__(self, app: QApplication, expected_rows: int) -> None:
        super().__init__()
        self._app = app
        self._expected = expected_rows
        self._opened = 0.0
        self.window: MainWindow | None = None
        self._poll = QTimer(self, interval=10)
        self._poll.timeout.connect(self._check_rows)
        app.installEventFilter(self)

    def eventFilter(self, watched: Any, event: Any) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
            top = watched.window()
            if isinstance(top, MainWindow):
                self._app.removeEventFilter(self)
                self.window = top
                QTimer.singleShot(0, self._shown)  # after the rest of this first paint
        return False

    def _shown(self) -> None:
        print("shown", flush=True)
        assert self.window is not None
        self._opened = time.perf_counter()
        self.window.show_pane("Contacts")
        self._poll.start()

    def _check_rows(self) -> None:
        assert self.window is not None
        model = self.window.contacts_pane.model
        if model.total == self._expected and model.row_at(model.index(0, 0)) is not None:
            self._poll.stop()
            print(f"rows_ms {(time.perf_counter() - self._opened) * 1000:.0f}", flush=True)
            print(f"rss_kb {rss_kb()}", flush=True)
            self.window.close()


def run(data_dir: str, expected_rows: int, database_url: str | None = None) -> int:
    app = QApplication(sys.argv[:1])
    probe = Probe(app, expected_rows)
    argv = ["--data-dir", data_dir] + (["--database-url", database_url] if database_url else [])
    code = main.main(argv)
    del probe
    return code


if __name__ == "__main__":
    sys.exit(run(sys.argv[1], int(sys.argv[2]), *sys.argv[3:4]))
