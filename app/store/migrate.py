"""Schema migrations at start-up: back the file up first, refuse a database newer than us.

Migrating runs under an exclusive lock (a lock file beside a SQLite database, an advisory
lock on PostgreSQL), and the revision is read again once the lock is held, so two first
starts at once migrate once and the second one finds the schema current.

Most starts find the schema at head. That is told without Alembic (about 0.2 s of imports):
the head is read from the scripts' `revision =` lines and the stored revision with one
SELECT; anything else (a new, older, newer or unreadable schema) goes to Alembic as before.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from filelock import FileLock
from sqlalchemy import Engine, inspect, text

from app.errors import DatabaseTooNew
from app.private_files import FILE_MODE
from app.store.backups import make_backup
from app.store.progress import Progress, silent

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).with_name("migrations")
BACKUP_STEP = "Backing up the database"
#: pg_advisory_lock key for migrating: any constant, the same in every Escapement.
_PG_LOCK_KEY = 0x45534341  # "ESCA"
#: Alembic's table of the stored revision (its default name; env.py does not change it).
VERSION_TABLE = "alembic_version"
_REVISION_LINE = re.compile(r'^revision = "([^"]+)"$', re.MULTILINE)
_DOWN_REVISION_LINE = re.compile(r'^down_revision = (?:"([^"]+)"|None)$', re.MULTILINE)


def _config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None, "the app ships at least one migration"
    return head


@cache
def scripted_head() -> str | None:
    """The head as the scripts' header lines give it, without Alembic; None when they do not
    form one line of revisions (a merge, a branch, an unusual header): then Alembic decides."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS / "versions").glob("[0-9]*.py"):
        source = script.read_text(encoding="utf-8")
        revision, down = _REVISION_LINE.search(source), _DOWN_REVISION_LINE.search(source)
        if revision is None or down is None:
            return None
        revisions.add(revision[1])
        if down[1] is not None:
            parents.add(down[1])
    heads = revisions - parents
    one_line = len(heads) == 1 and len(parents) == len(revisions) - 1
    return heads.pop() if one_line else None


def stored_revisions(engine: Engine) -> list[str]:
    """The revisions the database says it is at: none for a new database."""
    with engine.connect() as conn:
        if not inspect(conn).has_table(VERSION_TABLE):
            return []
        return list(conn.scalars(text(f"SELECT version_num FROM {VERSION_TABLE}")))


def is_at_head(engine: Engine) -> bool:
    """True when the schema is surely current, told without importing Alembic."""
    head = scripted_head()
    return head is not None and stored_revisions(engine) == [head]


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

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
    if is_at_head(engine):
        return None
    return _upgrade_with_alembic(engine, progress)


def _upgrade_with_alembic(engine: Engine, progress: Progress) -> Path | None:
    from alembic import command
    from alembic.script import ScriptDirectory

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
