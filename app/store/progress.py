"""How a long migration reports progress: a callback the CLI prints and the GUI can show."""

from __future__ import annotations

from collections.abc import Callable

#: Called with what is being done ("Indexing contacts for search") and the fraction done, 0 to 1.
Progress = Callable[[str, float], None]


def silent(_step: str, _done: float) -> None:
    """No one is watching: a test, or a database with nothing to migrate."""
