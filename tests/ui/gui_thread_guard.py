"""Fails a GUI test whose widgets opened a database session on the GUI thread.

Tests themselves may set up data on the GUI thread; a session counts when the nearest frame
of `ui/` or `tests/` on the stack is in `ui/`: a pane (or a task the app started) calling a
blocking Workspace method where it must go through the task runner.
"""

from __future__ import annotations

import sys
import threading
import traceback
from pathlib import Path

from app.store import thread_guard

ROOT = Path(__file__).resolve().parents[2]
UI, TESTS = ROOT / "ui", ROOT / "tests"


class GuiThreadSessions:
    def __init__(self) -> None:
        self.found: list[str] = []
        self.sites: set[str] = set()

    def __enter__(self) -> GuiThreadSessions:
        thread_guard.guard(threading.current_thread(), self._opened)
        return self

    def __exit__(self, *_: object) -> None:
        thread_guard.release()

    def _opened(self, kind: str) -> None:
        frame = sys._getframe(1)
        while frame is not None:
            path = Path(frame.f_code.co_filename)
            if path.is_relative_to(TESTS):
                return  # the test's own call
            if path.is_relative_to(UI):
                where = f"{path.relative_to(UI.parent)}:{frame.f_lineno} ({frame.f_code.co_name})"
                stack = "".join(traceback.format_stack(sys._getframe(1), limit=12))
                self.sites.add(f"{kind} at {where}")
                self.found.append(f"a {kind} session on the GUI thread at {where}:\n{stack}")
                return
            frame = frame.f_back
