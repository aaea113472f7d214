"""What `sync run` and `resync` say while they drain and when they stop.

Progress goes to stderr, at most once a second, so a run against a failing Clockwork is never
silent; the closing line (stdout) says what was done, what is left and why, in one line.
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from app.sync.outbox import MAX_ATTEMPTS
from app.sync.worker import GAVE_UP, DrainResult

#: `sync run --timeout`'s default, in seconds.
DEFAULT_TIMEOUT = 600.0
_PROGRESS_EVERY = 1.0


class ProgressLine:
    """Prints the drain's running counts on stderr, throttled; `done()` ends the line."""

    def __init__(self, time_limit: float, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.time_limit = time_limit
        self._last = 0.0
        self._printed = False

    def __call__(self, _outcome: str, result: DrainResult) -> None:
        now = time.monotonic()
        if now - self._last < _PROGRESS_EVERY:
            return
        self._last = now
        counts = ", ".join(f"{n} {name}" for name, n in sorted(result.counts.items()))
        left = max(0.0, self.time_limit - (now - self.started))
        error = f"; last error: {result.last_error}" if result.last_error else ""
        print(f"\rsync: {counts}; {left:.0f} s to the time limit{error}", end="", file=self.stream)
        self.stream.flush()
        self._printed = True

    def done(self) -> None:
        if self._printed:
            print(file=self.stream)


def result_dict(result: DrainResult) -> dict[str, Any]:
    return {
        "counts": result.counts,
        "remaining": result.remaining,
        "paused": result.paused,
        "timed_out": result.timed_out,
        "next_due_in": None if result.next_due_in is None else round(result.next_due_in, 1),
        "last_error": result.last_error,
    }


def summary_line(summary: dict[str, Any], time_limit: float) -> str:
    counts = ", ".join(f"{n} {outcome}" for outcome, n in sorted(summary["counts"].items()))
    counts = counts or ("nothing finished" if summary["remaining"] else "nothing to do")
    line = f"{counts}; {summary['remaining']} left in the queue"
    line += f" ({why_left(summary, time_limit)})." if summary["remaining"] else "."
    if summary["counts"].get(GAVE_UP):
        line += (
            f" {summary['counts'][GAVE_UP]} gave up after {MAX_ATTEMPTS} failed attempts without"
            " progress: they are errors on their contacts, and `sync retry --errors` queues them"
            " again."
        )
    if summary.get("paused"):
        line += f" Paused: {summary['paused']}"
    return line


def why_left(summary: dict[str, Any], time_limit: float) -> str:
    if summary.get("paused"):
        reason = "the queue is paused"
    elif summary.get("timed_out"):
        reason = f"stopped at the {time_limit:g} s time limit; run `sync run` again"
    elif summary.get("next_due_in") is not None:
        reason = (
            f"the next retry is due in {summary['next_due_in']:.0f} s,"
            " later than this run waits; run `sync run` again"
        )
    else:
        reason = "still queued"
    if summary.get("last_error"):
        reason += f"; last error: {summary['last_error']}"
    return reason


def exit_code(result: DrainResult) -> int:
    """1 when anything is left: queued, paused, or given up in this run. Permanent errors
    found otherwise (a deleted project) show on their contacts and do not count."""
    if result.paused or result.remaining or result.counts.get(GAVE_UP):
        return 1
    return 0
