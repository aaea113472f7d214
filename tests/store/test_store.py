"""The local store: migrations, refusal of a newer database, SQLite settings, email uniqueness."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, text

from app.domain import ContactInput
from app.errors import DatabaseTooNew
from app.store import open_store
from app.store.migrate import _backup, current_revision, head_revision
from app.workspace import Workspace

pytestmark = pytest.mark.both_databases


def test_migration_from_empty_creates_every_table(db_url: str) -> None:
    store = open_store(db_url)
    tables = set(inspect(store.engine).get_table_names())
    assert {
        "contacts",
        "sequences",
        "enrollments",
        "outbox",
        "sync_log",
        "sync_records",
        "users",
    } <= tables
    assert current_revision(store.engine) == head_revision()
    store.dispose()


def test_opening_twice_is_a_no_op(db_url: str) -> None:
    open_store(db_url).dispose()
    store = open_store(db_url)
    assert current_revision(store.engine) == head_revision()
    store.dispose()


@pytest.mark.sqlite_only
def test_a_newer_database_is_refused_and_left_untouched(db_url: str, tmp_path: Path) -> None:
    open_store(db_url).dispose()
    path = tmp_path / "escapement.db"
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    before = path.read_bytes()
    with pytest.raises(DatabaseTooNew, match="newer Escapement"):
        open_store(db_url)
    assert path.read_bytes() == before


@pytest.mark.sqlite_only
def test_backup_copies_a_wal_database_consistently(db_url: str, tmp_path: Path) -> None:
    ws = Workspace.open(db_url)
    seq = ws.create_sequence("Backed up")
    ws.add_contacts(seq.id, [ContactInput(email="kept@example.com")])
    backup = _backup(ws.store.engine, head_revision())
    ws.close()
    assert backup is not None
    assert backup.exists()
    with closing(sqlite3.connect(backup)) as conn:
        assert conn.execute("SELECT email FROM contacts").fetchall() == [("kept@example.com",)]


@pytest.mark.sqlite_only
def test_sqlite_runs_in_wal_with_foreign_keys(workspace: Workspace) -> None:
    with workspace.store.read() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.execute(text("PRAGMA busy_timeout")).scalar() >= 1000
        assert session.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL


@pytest.mark.sqlite_only
def test_a_bulk_add_leaves_the_checkpoint_to_a_larger_log(
    workspace: Workspace, tmp_path: Path
) -> None:
    """SQLite's default copied the log back into the file after every commit past 4 MB; adding
    10,000 contacts logs about 16 MB, so each add paid for a checkpoint of its own."""
    seq = workspace.create_sequence("Bulk")
    many = [ContactInput(email=f"person{i}@example.com", company="Acme") for i in range(20_000)]
    workspace.add_contacts(seq.id, many)
    file = tmp_path / "escapement.db"
    with workspace.store.read() as session:
        pages = session.execute(text("PRAGMA page_count")).scalar_one()
        size = pages * session.execute(text("PRAGMA page_size")).scalar_one()
        assert file.stat().st_size < size / 2  # the add's pages are still in the log only
    with closing(sqlite3.connect(file)) as other:
        busy, logged, copied = other.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    assert logged > 1000
    assert (busy, copied) == (0, logged)
    assert file.stat().st_size == size  # one checkpoint copied them back whole


@pytest.mark.sqlite_only
def test_writes_take_the_write_lock_at_begin(workspace: Workspace, tmp_path: Path) -> None:
    other = sqlite3.connect(tmp_path / "escapement.db", timeout=0, isolation_level=None)
    with workspace.store.write() as session:
        session.execute(text("SELECT 1"))
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
    other.execute("BEGIN IMMEDIATE")
    other.execute("ROLLBACK")
    other.close()


@pytest.mark.sqlite_only
def test_reads_do_not_take_the_write_lock(workspace: Workspace, tmp_path: Path) -> None:
    other = sqlite3.connect(tmp_path / "escapement.db", timeout=0, isolation_level=None)
    with workspace.store.read() as session:
        session.execute(text("SELECT 1"))
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    other.close()


def test_email_is_unique_case_insensitively(workspace: Workspace) -> None:
    seq = workspace.create_sequence("One")
    workspace.add_contacts(seq.id, [ContactInput(email="Ada@Example.com", first_name="Ada")])
    report = workspace.add_contacts(
        seq.id, [ContactInput(email="ada@example.COM", last_name="Lovelace")]
    )
    assert (report.added, report.updated) == (0, 1)
    with workspace.store.read() as session:
        rows = session.execute(text("SELECT email, first_name, last_name FROM contacts")).all()
    assert rows == [("Ada@Example.com", "Ada", "Lovelace")]


def test_a_connection_handed_back_after_the_store_closed_is_closed(db_url: str) -> None:
    """A query still running on another thread when the store closes closes its connection
    as it ends, instead of leaving it open in the discarded pool."""
    store = open_store(db_url)
    held, closing_done = threading.Event(), threading.Event()
    raw: list[Any] = []

    def query() -> None:
        with store.read() as session:
            raw.append(session.connection().connection.driver_connection)
            held.set()
            closing_done.wait(10)

    worker = threading.Thread(target=query)
    worker.start()
    assert held.wait(10)
    store.dispose()
    closing_done.set()
    worker.join(10)
    with pytest.raises(Exception, match="closed"):
        raw[0].execute("SELECT 1")
    with store.read() as session:  # used again, it opens a fresh connection
        assert session.scalar(text("SELECT 1")) == 1
    store.dispose()
