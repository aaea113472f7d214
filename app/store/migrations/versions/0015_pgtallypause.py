"""pg tally pause: PostgreSQL's tally insert triggers pause for a bulk add

Revision ID: pgtallypause
Revises: pgkeys
Create Date: 2026-12-06

Recreates the insert functions of `tally_sync_insert` and `tally_enrol_insert` with a first
line that returns at once while the transaction's `escapement.tallies_paused` setting is on:
a bulk add of a run of new contacts then counts them in one statement (app/store/bulk_pause.py,
app/store/tallies.py). Instant. Nothing changes on SQLite, whose triggers pause already.
"""

from __future__ import annotations

from alembic import op

from app.store import tallies

revision = "pgtallypause"
down_revision = "pgkeys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    tallies.pausable_inserts(op.get_bind())


def downgrade() -> None:
    tallies.pausable_inserts(op.get_bind(), pausable=False)
