"""bulk pause: SQLite's insert triggers for tallies and search skip while a bulk write runs

Revision ID: bulkpause
Revises: cwstatus
Create Date: 2026-12-05

Adds the `bulk_writes` marker table (on both engines, so the schema is one) and recreates
SQLite's three insert triggers with the WHEN clause that reads it (app/store/bulk_pause.py).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.store import bulk_pause

revision = "bulkpause"
down_revision = "senderror"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        bulk_pause.MARKER,
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    bulk_pause.make_pausable(op.get_bind())


def downgrade() -> None:
    bulk_pause.make_pausable(op.get_bind(), pausable=False)
    op.drop_table(bulk_pause.MARKER)
