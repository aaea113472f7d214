"""Errors a user can act on: each carries a short title and a user-ready message.

Anything that is not an `EscapementError` is a bug and goes to the excepthook.
"""

from __future__ import annotations


class EscapementError(Exception):
    """An error with a title and a message that can be shown to a recruiter as is."""

    title = "Something went wrong"
    #: Exit code for the CLI: 2 means the user's input or usage was wrong.
    exit_code = 1

    def __init__(self, message: str, *, title: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if title is not None:
            self.title = title

    def __str__(self) -> str:
        return self.message


class InputError(EscapementError):
    """Bad input from the user: a malformed file, an unknown name, an invalid value."""

    title = "Invalid input"
    exit_code = 2


class NotFoundError(InputError):
    title = "Not found"


class PermissionDenied(EscapementError):
    title = "Not allowed"
    exit_code = 2


class StoreError(EscapementError):
    title = "Local database problem"


class DatabaseTooNew(StoreError):
    title = "Database is newer than this app"


class SecretStoreUnavailable(EscapementError):
    title = "No secure key storage"


class DamagedStore(StoreError):
    """The database file cannot be used as it is; it was left untouched.

    `backup` is the newest backup that passed SQLite's check, or None; the GUI offers it
    and `app.store.backups.restore_backup` puts it in place.
    """

    title = "Local database damaged"

    def __init__(self, message: str, *, path: str, backup: str | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.backup = backup
