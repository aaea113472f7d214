"""Schema migrations at start-up: back the file up first, refuse a database newer than us."""

from __future__ import annotations

import logging
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from app.errors import DatabaseTooNew
from app.store.progress import Progress, silent

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).with_name("migrations")
BACKUP_STEP = "Backing up the database"


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
    """Copy a SQLite file with the online backup API, so a WAL file is included consistently."""
    path = engine.url.database
    if engine.dialect.name != "sqlite" or not path:
        return None  # PostgreSQL: the team's DBA owns backups (pg_dump).
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = Path(path).with_name(f"{Path(path).name}.{revision}.{stamp}.bak")
    # sqlite3's own context manager commits but does not close; closing() does both jobs here.
    with closing(sqlite3.connect(path)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    log.info("backed up database to %s before migrating", target)
    return target
