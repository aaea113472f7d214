"""pg keys: PostgreSQL checks the bulk add's foreign keys once per statement

Revision ID: pgkeys
Revises: pgsearch
Create Date: 2026-12-06

Drops the declared foreign keys of enrollments, sync_records and outbox on contacts,
sequences and users, and creates the statement triggers that keep the same rules
(app/store/statement_keys.py): a 10,000-contact add ran up to 50,000 row checks. Instant on a
store of any size: nothing is rewritten or checked again. Going down declares the keys again,
which checks every stored row once. Nothing changes on SQLite.
"""

from __future__ import annotations

from alembic import op

from app.store import statement_keys

revision = "pgkeys"
down_revision = "pgsearch"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql" and not statement_keys.present(conn):
        statement_keys.adopt(conn)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql" and statement_keys.present(conn):
        statement_keys.restore(conn)
