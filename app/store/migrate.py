"""Schema migrations at start-up: back the file up first, refuse a database newer than us.

Migrating runs under an exclusive lock (a lock file beside a SQLite database, an advisory
lock on PostgreSQL), and the revision is read again once the lock is held, so two first
starts at once migrate once and the second one finds the schema current.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from filelock import FileLock
from sqlalchemy import Engine, text

from app.errors import DatabaseTooNew
from app.private_files import FILE_MODE
from app.store.backups import make_backup
from app.store.progress import Progress, silent

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).with_name("migrations")
BACKUP_STEP = "Backing up the database"
#: pg_advisory_lock key for migrating: any constant, the same in every Escapement.
_PG_LOCK_KEY = 0x45534341  # "ESCA"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None, "the app ships at least one migration"
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, progress: Progress = silent) -> Path | None:
    """Bring the schema to head. Returns the backup file made first, if one was needed.

    `progress` hears of the backup and of any long step (indexing a million contacts).
    """
    with migration_lock(engine):
        return upgrade_locked(engine, progress)


@contextmanager
def migration_lock(engine: Engine) -> Iterator[None]:
    """Held by one process at a time for the database behind `engine`."""
    path = sqlite_path(engine)
    if path is not None:
        with FileLock(f"{path}.lock", mode=FILE_MODE):
            yield
    elif engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _PG_LOCK_KEY})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_LOCK_KEY})
                conn.commit()
    else:
        yield


def sqlite_path(engine: Engine) -> Path | None:
    database = engine.url.database
    if engine.dialect.name != "sqlite" or database in (None, "", ":memory:"):
        return None
    return Path(database)


def upgrade_locked(engine: Engine, progress: Progress = silent) -> Path | None:
    """`upgrade` for a caller already holding `migration_lock`."""
    current = current_revision(engine)
    script = ScriptDirectory.from_config(_config())
    known = {rev.revision for rev in script.walk_revisions()}
    if current is not None and current not in known:
        raise DatabaseTooNew(
            f"This database was written by a newer Escapement (schema {current}). "
            "Update Escapement to open it; the file was left untouched."
        )
    if current == head_revision():
        return None
    if current is not None:
        progress(BACKUP_STEP, 0.0)
    backup = _backup(engine, current) if current is not None else None
    config = _config()
    config.attributes["progress"] = progress
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    log.info("database migrated from %s to %s", current, head_revision())
    return backup


def _backup(engine: Engine, revision: str) -> Path | None:
    path = sqlite_path(engine)
    if path is None:
        return None  # PostgreSQL: the team's DBA owns backups (pg_dump).
    return make_backup(path, revision)
