"""Migration 'million' on a store that already has contacts: backup first, progress reported,
and the existing contacts searchable and counted afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, column, insert, table, text

from app.domain import ContactFilter
from app.store import migrate, search_index
from app.store.engine import make_engine
from app.store.models import Contact, Enrollment, SyncRecord, User
from app.workspace import Workspace

pytestmark = pytest.mark.both_databases


def store_before_million_with_contacts(url: str, n: int) -> int:
    """A store at "oauth" with `n` contacts in one sequence; returns the sequence's id."""
    engine = make_engine(url)
    config = migrate._config()
    try:
        return _fill_before_million(engine, config, n)
    finally:
        engine.dispose()


def _fill_before_million(engine: Engine, config: Config, n: int) -> int:
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "oauth")
        user = conn.execute(
            insert(User).values(email="r@ex.com", email_key="r@ex.com", name="R")
        ).inserted_primary_key
        # The table as it was at "oauth": the model has columns later migrations add.
        old_sequences = table(
            "sequences",
            column("id"),
            column("name"),
            column("owner_id"),
            column("sync_to_clockwork"),
        )
        seq = conn.execute(
            insert(old_sequences)
            .values(name="Old", owner_id=user[0], sync_to_clockwork=True)
            .returning(old_sequences.c.id)
        ).one()
        conn.execute(
            insert(Contact),
            [
                {"email": f"old{i}@ex.com", "email_key": f"old{i}@ex.com", "company": f"Firm {i}"}
                for i in range(n)
            ],
        )
        ids = list(conn.scalars(text("SELECT id FROM contacts ORDER BY id")))
        conn.execute(
            insert(SyncRecord), [{"contact_id": cid, "state": "not_synced"} for cid in ids]
        )
        conn.execute(
            insert(Enrollment), [{"contact_id": cid, "sequence_id": seq[0]} for cid in ids]
        )
    return int(seq[0])


def test_the_migration_backs_up_reports_progress_and_indexes_old_contacts(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_index, "_FILL_CHUNK", 4)  # several steps to report on SQLite
    sequence_id = store_before_million_with_contacts(db_url, 10)
    heard: list[tuple[str, float]] = []
    ws = Workspace.open(db_url, progress=lambda step, done: heard.append((step, done)))
    try:
        assert heard[0] == (migrate.BACKUP_STEP, 0.0)
        indexing = [done for step, done in heard if step == search_index.STEP]
        assert indexing == sorted(indexing)
        assert len(indexing) >= 2
        assert indexing[-1] == 1.0
        if db_url.startswith("sqlite"):
            assert list(tmp_path.glob("*.oauth.*.bak"))
        assert ws.count_contacts(ContactFilter(search="firm 7")) == 1
        assert ws.count_contacts(ContactFilter()) == 10
        # The later migrations keep them enrolled (a batch copy of sequences once cascaded).
        assert ws.count_contacts(ContactFilter(sequence_id=sequence_id)) == 10
        assert ws.contact_count(ContactFilter(search="FIRM")).value == 10
    finally:
        ws.close()
