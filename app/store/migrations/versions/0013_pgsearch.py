"""pg search: PostgreSQL's trigram indexes move to `contact_search`, filled after bulk adds

Revision ID: pgsearch
Revises: pgpairs
Create Date: 2026-12-05

Creates `contact_search` (each contact's searched values lower-cased), fills it in chunks of
ids, builds a trigram GIN index on each column with progress, adds the statement triggers on
`contacts` that keep it, and drops the trigram indexes on `contacts` (app/store/search_index.py).
A bulk add then leaves its new contacts to the search backlog's catch-up, as on SQLite. Only
where the trigram indexes are on `contacts`: without pg_trgm there are none, and a store that
went through `million` after this revision existed has the table already. Going down puts the
indexes back on `contacts`, which hold every contact, so nothing waits any more. Nothing
changes on SQLite.
"""

from __future__ import annotations

from alembic import context, op
from sqlalchemy import text

from app.store import search_backlog, search_index
from app.store.progress import Progress, silent

revision = "pgsearch"
down_revision = "pgpairs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql" or search_index.has_search_table(conn):
        return
    if not search_index.has_contacts_trigram(conn):
        return
    progress: Progress = context.config.attributes.get("progress", silent)
    search_index.create_search_table(conn, progress)
    search_index.drop_contacts_trigram(conn)


def downgrade() -> None:
    conn = op.get_bind()
    if not search_index.has_search_table(conn):
        return
    progress: Progress = context.config.attributes.get("progress", silent)
    search_index.create_contacts_trigram(conn, progress)
    search_index.drop_search_table(conn)
    conn.execute(text(f"DELETE FROM {search_backlog.TABLE}"))
