"""Coroutines from widgets: start them on the running qasync loop and get the answer back.

A button's slot cannot `await`; it calls `AsyncAction.start(...)`, which runs the coroutine as
an asyncio task on the loop that qasync runs inside Qt's. The action keeps a strong reference
to its task, refuses a second start while one runs (a double click starts nothing), and
cancels the task when its owner widget is deleted, so no answer reaches a dead widget.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.api import EscapementError

_running: set[asyncio.Task[Any]] = set()


def spawn[T](coro: Coroutine[Any, Any, T], name: str | None = None) -> asyncio.Task[T]:
    """Run `coro` on the running loop, keeping the task alive until it ends.

    An exception nobody handles reaches the loop's exception handler (the excepthook)."""
    task = asyncio.get_running_loop().create_task(coro, name=name)
    _running.add(task)
    task.add_done_callback(_finished)
    return task


def _finished(task: asyncio.Task[Any]) -> None:
    _running.discard(task)
    if task.cancelled():
        return
    exc = task.exception()
    if exc is not None:
        # Retrieved here, so asyncio does not also complain at garbage collection.
        task.get_loop().call_exception_handler(
            {"message": "A GUI task failed", "exception": exc, "task": task}
        )


class AsyncAction(QObject):
    """One coroutine at a time for a widget; `busyChanged` drives its busy look."""

    busyChanged = Signal(bool)

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._task: asyncio.Task[Any] | None = None
        self._busy = False
        # Qt deletes this action with its owner; the task must not outlive them.
        tasks = self._tasks = set[asyncio.Task[Any]]()
        self.destroyed.connect(lambda *_: [task.cancel() for task in tasks])

    @property
    def busy(self) -> bool:
        return self._busy

    def start[T](
        self,
        work: Callable[[], Coroutine[Any, Any, T]],
        on_done: Callable[[T], object],
        on_error: Callable[[EscapementError], object] | None = None,
    ) -> bool:
        """Start `work()` unless already running. An EscapementError goes to `on_error`
        (if given); anything else is a bug and goes to the excepthook."""
        if self.busy:
            return False
        coro = self._run(work, on_done, on_error)
        try:
            self._task = task = spawn(coro)
        except RuntimeError:  # no running loop: a bug in the caller, but leave no debris
            coro.close()
            raise
        self._busy = True
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        # Cancelled before its first step, the coroutine never ran its own settling.
        task.add_done_callback(lambda t: self._settle() if t.cancelled() and self._busy else None)
        self.busyChanged.emit(True)
        return True

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    async def _run[T](
        self,
        work: Callable[[], Coroutine[Any, Any, T]],
        on_done: Callable[[T], object],
        on_error: Callable[[EscapementError], object] | None,
    ) -> None:
        try:
            result = await work()
        except EscapementError as exc:
            self._settle()
            if on_error is None:
                raise
            on_error(exc)
            return
        except BaseException:
            self._settle()
            raise
        self._settle()
        on_done(result)

    def _settle(self) -> None:
        self._busy = False
        # The owner may have gone while the work ran; then nobody is listening.
        with contextlib.suppress(RuntimeError):
            self.busyChanged.emit(False)
