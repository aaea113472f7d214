"""The app's background sync loop: the core's SyncService, which is safe to wake from any thread."""

from __future__ import annotations

from app.sync.service import SyncService as BackgroundSync

__all__ = ["BackgroundSync"]
