"""Run blocking Workspace calls off the GUI thread and get the answer back on it.

Database queries on 100,000 contacts take 10-150 ms, and an import takes seconds: far more
than a frame. Each widget that needs this owns one `TaskRunner` as a child, so when the widget
is deleted its pending answers are dropped instead of reaching a dead object.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal

OnDone = Callable[[Any], None]
OnError = Callable[[Exception], None]


class _Hub(QObject):
    """Carries every answer back to the GUI thread. It lives as long as the process: a pool
    thread may be emitting on it at the very moment a widget (and its runner) is deleted, and
    emitting on an object being deleted on another thread can crash."""

    # `object`, not a Qt type: a Python value crosses threads untouched (no QVariant copy).
    finished = Signal(int, int, object, object)  # runner, token, result, error

    def __init__(self) -> None:
        super().__init__()
        self.runners: dict[int, TaskRunner] = {}
        self.finished.connect(self._dispatch, Qt.ConnectionType.QueuedConnection)

    def _dispatch(self, runner: int, token: int, result: Any, error: Exception | None) -> None:
        owner = self.runners.get(runner)
        if owner is not None:  # else its widget was deleted: nobody waits for this answer
            owner._deliver(token, result, error)


_hub: _Hub | None = None
_runner_ids = itertools.count()


def _the_hub() -> _Hub:
    """Made by the first runner, on the GUI thread, so it belongs to that thread."""
    global _hub
    if _hub is None:
        _hub = _Hub()
    return _hub


class TaskRunner(QObject):
    """Submits plain functions to a thread pool; callbacks run later on the GUI thread."""

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._callbacks: dict[int, tuple[OnDone, OnError | None]] = {}
        self._tokens = itertools.count()
        hub, key = _the_hub(), next(_runner_ids)
        self._key = key
        hub.runners[key] = self
        self.destroyed.connect(lambda *_: hub.runners.pop(key, None))

    @property
    def busy(self) -> bool:
        return bool(self._callbacks)

    def submit(
        self, fn: Callable[[], Any], on_done: OnDone, on_error: OnError | None = None
    ) -> int:
        """Run `fn` on the pool. Without `on_error`, a failure goes to the excepthook."""
        token = next(self._tokens)
        self._callbacks[token] = (on_done, on_error)
        hub, key = _the_hub(), self._key

        def job() -> None:
            try:
                result, error = fn(), None
            except Exception as exc:
                result, error = None, exc
            hub.finished.emit(key, token, result, error)

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


class SerialRunner(TaskRunner):
    """Like TaskRunner, but one job at a time, in the order submitted: for writes such as
    settings, where a later click must not land before an earlier one."""

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent, pool)
        self._queue: list[tuple[Callable[[], Any], OnDone, OnError | None]] = []

    @property
    def busy(self) -> bool:
        return super().busy or bool(self._queue)

    def submit(
        self, fn: Callable[[], Any], on_done: OnDone, on_error: OnError | None = None
    ) -> int:
        self._queue.append((fn, on_done, on_error))
        if not super().busy:
            self._next()
        return len(self._queue)

    def _next(self) -> None:
        if not self._queue:
            return
        fn, on_done, on_error = self._queue.pop(0)

        def done(result: Any) -> None:
            self._next()
            on_done(result)

        def failed(error: Exception) -> None:
            self._next()
            if on_error is None:
                raise error
            on_error(error)

        super().submit(fn, done, failed)


def wait_for_all(timeout_ms: int = 10_000) -> bool:
    """Block until every queued job has finished; used on quit, before the Workspace closes."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
