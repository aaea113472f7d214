"""Engine set-up and the two kinds of session: reads, and writes that take the lock up front.

SQLite gets WAL (readers never wait for the sync worker), foreign keys and a busy timeout,
and write transactions start with BEGIN IMMEDIATE so two writers never deadlock half-way
through a transaction. PostgreSQL needs none of this.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from app.store import thread_guard
from app.store.file_checks import translate

BUSY_TIMEOUT_MS = 10_000
# The log is copied back into the file (a checkpoint) once it holds this many pages (40 MB),
# not SQLite's 1,000: adding 10,000 contacts logs about 16 MB, so each such add also ran a
# checkpoint (0.1 s of the first add into a million, docs/performance.md), and pages that
# several commits change were copied back each time.
CHECKPOINT_PAGES = 10_000
# The log file shrinks back to this size after a checkpoint, so it does not stay at its peak.
WAL_KEPT_BYTES = 64 * 1024 * 1024
_IMMEDIATE = "escapement_immediate"


def make_engine(url: str | URL, **kwargs: Any) -> Engine:
    if make_url(url).get_backend_name() == "postgresql":
        # A desktop app holds connections for hours; a server restart must not break them.
        kwargs.setdefault("pool_pre_ping", True)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN, not the sqlite3 module.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        # FULL, not NORMAL: a power cut must not undo a committed "sent" (docs/architecture.md).
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA wal_autocheckpoint={CHECKPOINT_PAGES}")
        cursor.execute(f"PRAGMA journal_size_limit={WAL_KEPT_BYTES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(_IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Store:
    """The database: `read()` for queries, `write()` for one atomic change."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._disposed = False
        self._reader = sessionmaker(engine, expire_on_commit=False)
        self._writer = sessionmaker(
            engine.execution_options(**{_IMMEDIATE: True}), expire_on_commit=False
        )

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def read(self) -> Iterator[Session]:
        thread_guard.check("read")
        with self._translated(), self._reader() as session, session.begin():
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """Commits on success, rolls back on any exception: all of the change or none of it."""
        thread_guard.check("write")
        with self._translated(), self._writer() as session, session.begin():
            yield session

    @contextmanager
    def _translated(self) -> Iterator[None]:
        """A damaged, full or read-only SQLite file raises a `StoreError`, not a DB-API error."""
        try:
            yield
        except DBAPIError as exc:
            database = self.engine.url.database
            path = (
                Path(database)
                if self.is_sqlite and database not in (None, "", ":memory:")
                else None
            )
            known = translate(exc, path) if self.is_sqlite else None
            if known is None:
                raise
            raise known from exc

    def dispose(self) -> None:
        """Close the pool's connections. One that a query on another thread still holds (an
        asyncio worker thread nobody waits for) is closed when that query hands it back: the
        discarded pool would keep it open until the garbage collector found it."""
        if not self._disposed:
            self._disposed = True
            event.listen(self.engine, "checkin", _close_on_checkin)
        self.engine.dispose()


def _close_on_checkin(_dbapi_conn: Any, record: Any) -> None:
    # A later checkout, if any, opens a fresh connection.
    record.invalidate()
