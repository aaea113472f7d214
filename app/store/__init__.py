"""The local store: models, engine set-up, migrations and the queries the Workspace runs."""

from __future__ import annotations

import errno
from pathlib import Path

from sqlalchemy import URL, Engine
from sqlalchemy.exc import DBAPIError, OperationalError

from app.errors import StoreError
from app.private_files import private_dir, private_file
from app.store.backups import restore_backup
from app.store.engine import Store, make_engine
from app.store.file_checks import check_database_file, read_only, translate
from app.store.migrate import migration_lock, upgrade_locked
from app.store.progress import Progress, silent
from app.store.urls import PASSWORD_ENV, describe, parse_database_url, resolve_database_url

_READ_ONLY_ERRNOS = (errno.EACCES, errno.EPERM, errno.EROFS)


def open_store(url: str | URL, progress: Progress = silent) -> Store:
    """Open (creating if needed) and migrate the database at `url`, telling `progress`.

    A SQLite file that is damaged, not a database, or not writable is refused with a
    `StoreError` (a `DamagedStore` names the newest good backup) before SQLite writes to it.
    """
    resolved = resolve_database_url(url)
    path = sqlite_file(resolved)
    engine = make_engine(resolved)
    try:
        _open(engine, path, progress)
    except DBAPIError as exc:
        engine.dispose()
        if isinstance(exc, OperationalError) and resolved.get_backend_name() == "postgresql":
            raise _unreachable(resolved, exc) from None
        known = translate(exc, path)
        if known is None:
            raise
        raise known from None
    except OSError as exc:
        engine.dispose()
        if path is None:
            raise
        raise _os_error(path, exc) from None
    except BaseException:
        engine.dispose()
        raise
    return Store(engine)


def _open(engine: Engine, path: Path | None, progress: Progress) -> None:
    if path is not None:
        private_dir(path.parent)
    # The checks, creating the file and migrating are one step under the lock: a second
    # first start must not find the first one's file half made.
    with migration_lock(engine):
        if path is None:
            upgrade_locked(engine, progress)
            return
        check_database_file(path)
        created = not path.exists()
        # Made 0600 before SQLite opens it (SQLite gives -wal and -shm the same mode); an
        # older, world-readable file is narrowed.
        private_file(path)
        try:
            upgrade_locked(engine, progress)
        except BaseException:
            if created:  # nothing of the user's is in it: leave no half-made file behind
                engine.dispose()
                for extra in ("", "-wal", "-shm"):
                    Path(f"{path}{extra}").unlink(missing_ok=True)
            raise


def sqlite_file(url: URL) -> Path | None:
    """The file of a SQLite URL; None for PostgreSQL or an in-memory database."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def _os_error(path: Path, exc: OSError) -> StoreError:
    if exc.errno in _READ_ONLY_ERRNOS:
        return read_only(path)
    if exc.errno == errno.ENOSPC:
        return StoreError(
            f"The disk holding {path} is full; nothing was saved. Free some space and retry.",
            title="Disk full",
        )
    return StoreError(f"Cannot use the database {path}: {exc.strerror or type(exc).__name__}.")


def _unreachable(url: URL, exc: OperationalError) -> StoreError:
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
    hint = ""
    if url.password is None and "password" in reason:
        hint = f" Store the password in the keyring or set {PASSWORD_ENV}."
    return StoreError(
        f"Could not open the team database {describe(url)}: {reason}.{hint}",
        title="Team database unavailable",
    )


def restore_latest_backup(url: str | URL, backup: Path | None = None) -> Path:
    """Put `backup` (default: the newest good one) in place of the SQLite database at `url`,
    after `open_store` refused it with a `DamagedStore`. Returns where the old file was set
    aside. No Store may be open on it."""
    path = sqlite_file(parse_database_url(url))
    if path is None:
        raise StoreError("Backups are kept for a local SQLite database only.")
    return restore_backup(path, backup)


__all__ = ["Store", "open_store", "restore_latest_backup", "sqlite_file"]
