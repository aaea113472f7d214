"""search backlog: SQLite's bulk adds leave the search index to a catch-up after them

Revision ID: searchbacklog
Revises: tallyjoins
Create Date: 2026-12-05

Adds `search_backlog` (on both engines, so the schema is one) and recreates SQLite's three
`contacts_fts` triggers so they skip the contacts waiting in it (app/store/search_backlog.py).
Going down indexes whatever still waits first, then puts the triggers back as they were.
On PostgreSQL the same holds for `contact_search`'s triggers, where a store has that table
already (it went through `million` after migration `pgsearch` existed).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.store import bulk_pause, search_backlog, search_index

revision = "searchbacklog"
down_revision = "tallyjoins"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        search_backlog.TABLE,
        sa.Column("low", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("high", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("low"),
    )
    _retrigger()


def downgrade() -> None:
    search_backlog.drain(op.get_bind())
    op.drop_table(search_backlog.TABLE)
    _retrigger()


def _retrigger() -> None:
    """The index's triggers for the tables there are now (search_index.not_waiting)."""
    conn = op.get_bind()
    if search_index.has_search_table(conn):
        search_index.write_search_triggers(conn)
    if conn.dialect.name != "sqlite":
        return
    search_index.write_triggers(conn, search_index.present(conn))
    bulk_pause.make_pausable(conn)
