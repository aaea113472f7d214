"""Backups of the SQLite file: made before each migration, the newest few kept, and restored
in place of a damaged database on the user's word.

A backup is written to a `.partial` file and renamed only once whole, so a full disk leaves
no empty or half `.bak` that could later be offered as good.
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from app.errors import StoreError
from app.private_files import private_file
from app.store.file_checks import is_intact, translate

log = logging.getLogger(__name__)

#: How many backups of one database to keep; older ones are deleted after a new one is made.
KEEP = 5
_SUFFIX = ".bak"


def make_backup(db: Path, label: str) -> Path:
    """Copy `db` with SQLite's online backup API (a WAL file is included consistently)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    target = db.with_name(f"{db.name}.{label}.{stamp}{_SUFFIX}")
    partial = target.with_name(target.name + ".partial")
    try:
        private_file(partial)
        # sqlite3's own context manager commits but does not close; closing() does both.
        with closing(sqlite3.connect(db)) as src, closing(sqlite3.connect(partial)) as dst:
            src.backup(dst)
        _fsync(partial)
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        raise _backup_failed(db, exc) from None
    log.info("backed up database to %s", target)
    prune(db)
    return target


def list_backups(db: Path) -> list[Path]:
    """This database's backups, newest first."""
    found = [p for p in db.parent.glob(f"{db.name}.*{_SUFFIX}") if p.is_file()]
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name), reverse=True)


def latest_good_backup(db: Path) -> Path | None:
    return next((b for b in list_backups(db) if is_intact(b)), None)


def prune(db: Path, keep: int = KEEP) -> list[Path]:
    """Delete all but the newest `keep` backups; returns those deleted."""
    old = list_backups(db)[keep:]
    for path in old:
        path.unlink(missing_ok=True)
    return old


def restore_backup(db: Path, backup: Path | None = None) -> Path:
    """Put `backup` (default: the newest good one) in place of `db`.

    The file it replaces, with its -wal and -shm, is renamed aside, never deleted, and that
    new name is returned. Call only with no Workspace open on `db`.
    """
    chosen = backup or latest_good_backup(db)
    if chosen is None or not is_intact(chosen):
        raise StoreError(f"No good backup of {db} to restore.", title="No backup")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    aside = db.with_name(f"{db.name}.damaged-{stamp}")
    incoming = db.with_name(f"{db.name}.restoring")
    try:
        private_file(incoming)
        uri = f"{chosen.resolve().as_uri()}?mode=ro&immutable=1"
        with (
            closing(sqlite3.connect(uri, uri=True)) as src,
            closing(sqlite3.connect(incoming)) as dst,
        ):
            src.backup(dst)
        _fsync(incoming)
        for extra in ("", "-wal", "-shm"):
            if Path(f"{db}{extra}").exists():
                os.replace(f"{db}{extra}", f"{aside}{extra}")
        os.replace(incoming, db)
    except (OSError, sqlite3.Error) as exc:
        incoming.unlink(missing_ok=True)
        raise _backup_failed(db, exc, doing="restore the backup of") from None
    log.info("restored %s from %s; the old file is %s", db, chosen, aside)
    return aside


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _backup_failed(db: Path, exc: BaseException, doing: str = "back up") -> StoreError:
    known = translate(exc, db)
    no_room = isinstance(exc, OSError) and exc.errno == errno.ENOSPC
    if no_room or (known is not None and known.title == "Disk full"):
        return StoreError(
            f"No room on the disk to {doing} {db}; nothing was changed. Free some space and "
            "start again.",
            title="Disk full",
        )
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return StoreError(f"Could not {doing} {db}: {reason}. Nothing was changed.")
