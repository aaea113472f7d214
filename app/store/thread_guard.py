"""The GUI thread must never open a database session: a hook the GUI installs.

The rule (docs/architecture.md, "Threading"): a Workspace method that touches the store runs
off the GUI thread, through the GUI's one helper for that. The GUI registers its thread here
at start-up; from then on `Store.read()` and `Store.write()` report every session opened on
that thread to the installed handler. The app logs a warning; the GUI tests fail the test.
Without a registered thread (the CLI, the engine tests) the check is one comparison.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: Told the kind of session ("read" or "write") opened on the guarded thread.
Handler = Callable[[str], None]

_guarded: threading.Thread | None = None
_handler: Handler | None = None
_allowed = threading.local()


def guard(thread: threading.Thread, handler: Handler) -> None:
    """Report each session opened on `thread` to `handler` (which may raise)."""
    global _guarded, _handler
    _guarded, _handler = thread, handler


def release() -> None:
    global _guarded, _handler
    _guarded, _handler = None, None


def guarded() -> bool:
    return _handler is not None


@contextmanager
def allowed() -> Iterator[None]:
    """Start-up and shut-down: before the window shows and after it closed, nothing waits
    for the GUI thread, so it may open and close the database itself."""
    before = getattr(_allowed, "on", False)
    _allowed.on = True
    try:
        yield
    finally:
        _allowed.on = before


def check(kind: str) -> None:
    """Called by the store as a session opens."""
    handler = _handler
    if (
        handler is not None
        and threading.current_thread() is _guarded
        and not getattr(_allowed, "on", False)
    ):
        handler(kind)
