"""The store on PostgreSQL: the same migrations, refusals, and a clear word when unreachable."""

from __future__ import annotations

import json
import socket

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import make_url, text

from app.errors import DatabaseTooNew, StoreError
from app.store import open_store, search_index, statement_keys
from app.store.migrate import current_revision, head_revision
from app.store.models import Base
from tests.conftest import Cli

pytestmark = pytest.mark.postgres


def test_the_migrations_build_exactly_the_models_schema(pg_url: str) -> None:
    store = open_store(pg_url)
    try:
        assert current_revision(store.engine) == head_revision()
        with store.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"include_object": _declared_in_models})
            diff = compare_metadata(context, Base.metadata)
        assert diff == []
    finally:
        store.dispose()


def _declared_in_models(obj: object, name: str | None, kind: str, *_: object) -> bool:
    """`contact_pairs` and `contact_search` (with its trigram indexes) exist on PostgreSQL
    only, written by their triggers and search_index.py, never the ORM; the bulk add's
    foreign keys are statement triggers there (statement_keys.py)."""
    if kind == "table":
        return name not in (search_index.PAIRS_TABLE, search_index.SEARCH_TABLE)
    if kind == "foreign_key_constraint":
        return not statement_keys.is_statement_key(obj)
    return not (kind == "index" and name in search_index.TRIGRAM_INDEXES)


def test_the_search_indexes_exist(pg_url: str) -> None:
    store = open_store(pg_url)
    try:
        with store.engine.connect() as conn:
            names = set(conn.scalars(text("SELECT indexname FROM pg_indexes")))
        assert set(search_index.TRIGRAM_INDEXES) <= names
    finally:
        store.dispose()


def test_a_newer_database_is_refused(pg_url: str) -> None:
    store = open_store(pg_url)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    store.dispose()
    with pytest.raises(DatabaseTooNew, match="newer Escapement"):
        open_store(pg_url)


def test_an_unreachable_server_is_a_clear_store_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(StoreError, match="Could not open the team database") as failed:
        open_store(f"postgresql+psycopg://ana@127.0.0.1:{port}/escapement")
    assert failed.value.title == "Team database unavailable"


def test_the_cli_works_on_a_team_database(cli: Cli, pg_url: str) -> None:
    code, _, err = cli("--database-url", pg_url, "team", "add", "Ben", "--email", "ben@firm.com")
    assert code == 0, err
    code, out, _ = cli("--database-url", pg_url, "team", "list", "--json")
    assert code == 0
    assert "ben@firm.com" in {mate["email"] for mate in json.loads(out)}


def test_the_cli_refuses_a_password_in_the_url(cli: Cli, pg_url: str) -> None:
    with_password = make_url(pg_url).set(password="hunter2")
    raw = with_password.render_as_string(hide_password=False)
    code, out, err = cli("--database-url", raw, "team", "list")
    assert code == 2
    assert "Do not put the database password in the URL" in err
    assert "hunter2" not in out + err
