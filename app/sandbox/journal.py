"""Every API request the sandbox received, for tests and for the curious.

Headers are not recorded at all, so no credential can end up here.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import asdict, dataclass
from typing import Any

MAX_ENTRIES = 20_000


@dataclass(frozen=True, slots=True)
class JournalEntry:
    seq: int
    at: float
    method: str
    path: str
    query: dict[str, str]
    body: Any
    status: int
    #: The fault injected into this request, if any: 429, 5xx, timeout, drop, malformed.
    fault: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class Journal:
    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self._lock = threading.Lock()
        self._entries: deque[JournalEntry] = deque(maxlen=max_entries)
        self._seq = 0

    def record(
        self,
        *,
        at: float,
        method: str,
        path: str,
        query: dict[str, str],
        body: Any,
        status: int,
        fault: str | None = None,
    ) -> JournalEntry:
        with self._lock:
            self._seq += 1
            entry = JournalEntry(self._seq, at, method, path, query, body, status, fault)
            self._entries.append(entry)
            return entry

    def entries(self) -> list[JournalEntry]:
        with self._lock:
            return list(self._entries)

    def writes(self) -> list[JournalEntry]:
        return [e for e in self.entries() if e.method != "GET"]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
