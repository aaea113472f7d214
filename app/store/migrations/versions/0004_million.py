"""a million contacts: text indexes for the search, and contact tallies kept by triggers

Revision ID: million
Revises: oauth
Create Date: 2026-12-05

Written by hand: the FTS5 table, pg_trgm indexes and triggers are outside SQLAlchemy's
metadata (app/store/search_index.py and app/store/tallies.py hold them). Filling the search
index reports its progress through the callback `app.store.migrate.upgrade` was given.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

from app.store import search_index, tallies
from app.store.progress import Progress, silent

revision = "million"
down_revision = "oauth"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contact_tallies",
        sa.Column("sequence_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("sequence_id", "state"),
    )
    conn = op.get_bind()
    progress: Progress = context.config.attributes.get("progress", silent)
    tallies.rebuild(conn)
    tallies.create_triggers(conn)
    search_index.create(conn, progress)


def downgrade() -> None:
    conn = op.get_bind()
    search_index.drop(conn)
    tallies.drop_triggers(conn)
    op.drop_table("contact_tallies")
