"""An empty PostgreSQL database for each test here (the session's, emptied)."""

from __future__ import annotations

import pytest
from sqlalchemy import URL

from tests.pg import database as pg


@pytest.fixture
def pg_url(pg_session_database: URL) -> str:
    pg.empty_schema(pg_session_database)
    return pg.render(pg_session_database)
