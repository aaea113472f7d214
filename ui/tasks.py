"""Run blocking Workspace calls off the GUI thread and get the answer back on it.

Database queries on 100,000 contacts take 10-150 ms, and an import takes seconds: far more
than a frame. Each widget that needs this owns one `TaskRunner` as a child, so when the widget
is deleted its pending answers are dropped instead of reaching a dead object.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal

OnDone = Callable[[Any], None]
OnError = Callable[[Exception], None]


class _Relay(QObject):
    # `object`, not a Qt type: a Python value crosses threads untouched (no QVariant copy).
    finished = Signal(int, object, object)


class TaskRunner(QObject):
    """Submits plain functions to a thread pool; callbacks run later on the GUI thread."""

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._relay = _Relay(self)
        self._relay.finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._callbacks: dict[int, tuple[OnDone, OnError | None]] = {}
        self._tokens = itertools.count()

    @property
    def busy(self) -> bool:
        return bool(self._callbacks)

    def submit(
        self, fn: Callable[[], Any], on_done: OnDone, on_error: OnError | None = None
    ) -> int:
        """Run `fn` on the pool. Without `on_error`, a failure goes to the excepthook."""
        token = next(self._tokens)
        self._callbacks[token] = (on_done, on_error)
        relay = self._relay

        def job() -> None:
            try:
                result, error = fn(), None
            except Exception as exc:
                result, error = None, exc
            # The owner may have been deleted meanwhile: then nobody is waiting for this answer.
            with contextlib.suppress(RuntimeError):
                relay.finished.emit(token, result, error)

        self._pool.start(job)
        return token

    def _deliver(self, token: int, result: Any, error: Exception | None) -> None:
        on_done, on_error = self._callbacks.pop(token)
        if error is None:
            on_done(result)
        elif on_error is not None:
            on_error(error)
        else:
            raise error


def wait_for_all(timeout_ms: int = 10_000) -> bool:
    """Block until every queued job has finished; used on quit, before the Workspace closes."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
