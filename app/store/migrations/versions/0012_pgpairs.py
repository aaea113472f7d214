"""pg pairs: PostgreSQL serves one- and two-character searches from its trigram indexes

Revision ID: pgpairs
Revises: searchbacklog
Create Date: 2026-12-05

Creates `contact_pairs`, every pair of adjacent characters in the searched values, filled in
chunks of ids with progress, and the statement triggers on `contacts` that keep it
(app/store/search_index.py); search.py turns a short search into LIKE patterns from it.
Only where the trigram indexes exist (pg_trgm was available). Nothing changes on SQLite.
"""

from __future__ import annotations

from alembic import context, op

from app.store import search_index
from app.store.progress import Progress, silent

revision = "pgpairs"
down_revision = "searchbacklog"
branch_labels = None
depends_on = None


def upgrade() -> None:
    progress: Progress = context.config.attributes.get("progress", silent)
    search_index.create_pairs(op.get_bind(), progress)


def downgrade() -> None:
    search_index.drop_pairs(op.get_bind())
