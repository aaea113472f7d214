"""The PostgreSQL side of the `db_url` fixture: one fresh database per test session, emptied
between tests.

ESCAPEMENT_TEST_PG_URL names a server and a database the tests may connect to for admin work
(`.ci/postgres.sh start` sets it). The session creates its own database beside it, so a
developer's data is never touched, and drops it at the end.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import URL, Engine, create_engine, make_url, text
from sqlalchemy.pool import NullPool

PG_ENV = "ESCAPEMENT_TEST_PG_URL"
SKIP_REASON = f'{PG_ENV} is not set; start a server with: eval "$(bash .ci/postgres.sh start)"'


def base_url() -> URL:
    """The server named by the environment; skips the calling test when there is none."""
    raw = os.environ.get(PG_ENV, "").strip()
    if not raw:
        pytest.skip(SKIP_REASON)
    return make_url(raw)


def render(url: URL) -> str:
    return url.render_as_string(hide_password=False)


@contextmanager
def admin_engine(url: URL) -> Iterator[Engine]:
    engine = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        yield engine
    finally:
        engine.dispose()


def create_database(name: str) -> URL:
    """A new, empty database named `name` on the test server (dropped first if left over)."""
    server = base_url()
    with admin_engine(server) as engine, engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return server.set(database=name)


def drop_database(url: URL) -> None:
    with admin_engine(base_url()) as engine, engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))


def empty_schema(url: URL) -> None:
    """Drop every table, so the next open migrates a brand-new database, as on SQLite."""
    with admin_engine(url) as engine, engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
