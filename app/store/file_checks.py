"""What can be wrong with a SQLite file, found before SQLite writes to it, and SQLite's own
errors turned into one line a recruiter can act on.

A damaged file is never repaired or replaced here: it is refused with the newest backup that
could take its place, and the user decides.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from contextlib import closing
from pathlib import Path

from app.errors import DamagedStore, StoreError
from app.front_end import is_cli

HEADER = b"SQLite format 3\x00"
_HEADER_SIZE = 100
#: SQLite result codes (sqlite3 errors' `sqlite_errorname`) that mean the file is damaged.
_DAMAGED = ("SQLITE_CORRUPT", "SQLITE_NOTADB")
_FULL = ("SQLITE_FULL",)
_READ_ONLY = ("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")


def check_database_file(path: Path) -> None:
    """Refuse a file that cannot be an intact database, or that Escapement cannot write."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(f"Cannot read the database {path}: {_why(exc)}.") from None
    if stat.S_ISDIR(info.st_mode):
        raise damaged(path, "is a folder, not a database file")
    if not stat.S_ISREG(info.st_mode):
        raise damaged(path, "is not a regular file")
    header, problem = _judged(path, info.st_size)
    if problem:
        raise damaged(path, problem)
    if not _has_wal(path) and not _counted(header) and not is_intact(path):
        # SQLite rewrites such a header on its first write, so the damage must be found now
        # (a WAL beside the file holds the newer header, so the file's own says nothing then).
        raise damaged(path, "is damaged (its header does not match its pages)")
    for target in (path, path.parent):
        if not os.access(target, os.W_OK):
            raise read_only(path)


def header_problem(path: Path, size: int) -> str | None:
    """Why the file's first 100 bytes or its length cannot be a whole SQLite database."""
    return _judged(path, size)[1]


def _judged(path: Path, size: int) -> tuple[bytes, str | None]:
    """The file's header, read once (b"" if there is none to read), and its problem if any."""
    if size == 0:
        return b"", "is empty (0 bytes)"
    try:
        with path.open("rb") as fh:
            header = fh.read(_HEADER_SIZE)
    except OSError as exc:
        return b"", f"cannot be read ({_why(exc)})"
    if len(header) < _HEADER_SIZE or not header.startswith(HEADER):
        return header, "is not an Escapement database (it is not a SQLite file)"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # A checkpoint cut short leaves the file shorter for now: only with no WAL beside it.
    if _counted(header) and size < page_size * pages and not _has_wal(path):
        return header, f"is cut short ({size:,} of {page_size * pages:,} bytes)"
    return header, None


def _counted(header: bytes) -> bool:
    """Whether the header's page count is vouched for by its "valid for" counter, as SQLite
    (3.7.0 and later, every Escapement store) always leaves it."""
    return header[24:28] == header[92:96]


def _has_wal(path: Path) -> bool:
    wal = Path(f"{path}-wal")
    return wal.exists() and wal.stat().st_size > 0


def is_intact(path: Path) -> bool:
    """SQLite's own quick check on a file nobody else is writing (a backup)."""
    try:
        if header_problem(path, path.stat().st_size):
            return False
        uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            return bool(conn.execute("PRAGMA quick_check").fetchone() == ("ok",))
    except (OSError, sqlite3.Error):
        return False


def translate(exc: BaseException, path: Path | None) -> StoreError | None:
    """The user-facing error for a SQLite failure of the file at `path`, or None if not one."""
    orig = getattr(exc, "orig", exc)
    if not isinstance(orig, sqlite3.Error):
        return None
    name = getattr(orig, "sqlite_errorname", "") or ""
    shown = path if path is not None else "the database"
    base = name
    if base.startswith("SQLITE_IOERR") or base in _DAMAGED:
        if path is not None and base in _DAMAGED:
            return damaged(path, "is damaged (SQLite: " + str(orig).strip().splitlines()[0] + ")")
        return StoreError(f"Cannot use the database {shown}: {orig}.", title="Disk problem")
    if base in _FULL:
        return StoreError(
            f"The disk holding {shown} is full; nothing was saved. Free some space and retry.",
            title="Disk full",
        )
    if any(base.startswith(code) for code in _READ_ONLY):
        return read_only(path) if path is not None else StoreError(f"{orig}.")
    return None


def damaged(path: Path, problem: str) -> DamagedStore:
    from app.store.backups import latest_good_backup

    backup = latest_good_backup(path)
    # The GUI's dialog offers the backup itself (DamagedStore.backup); the CLI names the command.
    how = "; restore it with: escapement backup restore" if is_cli() else "."
    offer = (
        f" The newest good backup is {backup}{how}"
        if backup
        else " No backup of it was found; move it aside to start a new, empty database."
    )
    return DamagedStore(
        f"The database {path} {problem}. It was left untouched.{offer}",
        path=str(path),
        backup=str(backup) if backup else None,
    )


def read_only(path: Path) -> StoreError:
    return StoreError(
        f"Escapement cannot write its database {path}: the file or its folder is read-only.",
        title="Database is read-only",
    )


def _why(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__
