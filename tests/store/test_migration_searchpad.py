"""Migration 'searchpad' on a SQLite store whose search index has the old shape: the index is
rebuilt in the new one, and every search, old contact and new, equals the scan again."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import text

from app.domain import ContactFilter, ContactInput
from app.store import migrate, search_index
from app.store.engine import make_engine
from app.workspace import Workspace
from tests.store.test_search_index import assert_same_as_scan

NAMES = ["Northwind", "Quinn", "Élodie", "Straße", "x", ""]


def move(url: str, target: str, down: bool) -> str:
    """Migrate the store at `url` to `target`; the index design it has afterwards."""
    engine = make_engine(url)
    config = migrate._config()
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            (command.downgrade if down else command.upgrade)(config, target)
            return "padded" if search_index.present(conn) is search_index.PADDED else "phrases"
    finally:
        engine.dispose()


def phrase_hits(url: str, phrase: str) -> list[int]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            found = conn.execute(
                text("SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH :q ORDER BY rowid"),
                {"q": f'"{phrase}"'},
            )
            return list(found.scalars())
    finally:
        engine.dispose()


def test_an_old_shaped_index_is_rebuilt_and_kept_current(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'escapement.db'}"
    ws = Workspace.open(url)
    seq = ws.create_sequence("Old")
    ws.add_contacts(
        seq.id, [ContactInput(email=f"p{i}@ex.com", company=n) for i, n in enumerate(NAMES)]
    )
    ws.close()
    assert move(url, "bulkpause", down=True) == "phrases"
    # The old shape is whole: its phrase queries find the contacts it had.
    assert len(phrase_hits(url, "northwind")) == 1
    assert move(url, "head", down=False) == "padded"

    ws = Workspace.open(url)
    try:
        ws.add_contacts(seq.id, [ContactInput(email="new@ex.com", company="Quayside")])
        with ws.store.write() as session:  # the delete trigger, with the padded values
            session.execute(text("DELETE FROM contacts WHERE email_key = 'p1@ex.com'"))
        for search in ("northwind", "q", "Qu", "é", "ß", "x", "@ex", "quayside", "zz"):
            assert_same_as_scan(ws, search)
        assert ws.count_contacts(ContactFilter(search="q")) == 1  # Quinn went, Quayside came
    finally:
        ws.close()
