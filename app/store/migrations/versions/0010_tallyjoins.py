"""tally joins: PostgreSQL's statement tally triggers look their rows up by index

Revision ID: tallyjoins
Revises: searchpad
Create Date: 2026-12-05

The insert and update tally trigger functions get `enable_hashjoin` and `enable_mergejoin`
off for their own queries (app/store/tallies.py `steer_joins`): a 10,000-row insert no longer
reads all of `enrollments` or `sync_records`. Nothing changes on SQLite.
"""

from __future__ import annotations

from alembic import op

from app.store import tallies

revision = "tallyjoins"
down_revision = "searchpad"
branch_labels = None
depends_on = None


def upgrade() -> None:
    tallies.steer_joins(op.get_bind())


def downgrade() -> None:
    tallies.steer_joins(op.get_bind(), by_index=False)
