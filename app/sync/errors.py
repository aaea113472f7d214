"""Sync failures that are about the data, not the network: retrying will not help."""

from __future__ import annotations

from app.errors import EscapementError


class PermanentStepError(EscapementError):
    title = "Cannot sync this contact"
