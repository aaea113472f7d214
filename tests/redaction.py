"""Tests that register made-up secrets must forget them, or later tests' text gets masked."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from app.clockwork import redact


@contextmanager
def secrets_forgotten_after() -> Iterator[None]:
    with redact._lock:
        before = set(redact._secrets)
    try:
        yield
    finally:
        with redact._lock:
            redact._secrets.intersection_update(before)
