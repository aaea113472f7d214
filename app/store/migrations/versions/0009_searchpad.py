"""search pad: SQLite's search index serves one- and two-character searches, and writes less

Revision ID: searchpad
Revises: bulkpause
Create Date: 2026-12-05

Rebuilds `contacts_fts` as a contentless trigram index of each value followed by two padding
characters, without positions (`detail=none`), plus the `fts5vocab` table over it
(app/store/search_index.py, fts_query.py). Only a store whose index has the old shape is
rebuilt: one that went through `million` after this revision existed already has the new one.
Nothing changes on PostgreSQL.
"""

from __future__ import annotations

from alembic import context, op

from app.store import bulk_pause, search_index
from app.store.progress import Progress, silent

revision = "searchpad"
down_revision = "bulkpause"
branch_labels = None
depends_on = None


def upgrade() -> None:
    _reshape(search_index.PADDED)


def downgrade() -> None:
    _reshape(search_index.PHRASES)


def _reshape(design: search_index.FtsDesign) -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite" or search_index.present(conn) is design:
        return
    progress: Progress = context.config.attributes.get("progress", silent)
    search_index.drop(conn)
    search_index.create(conn, progress, design)
    bulk_pause.make_pausable(conn)
