"""Index log entries by type (and session), so searches and follow-up lists filtered by
type stay fast on years of entries.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX IF NOT EXISTS ix_log_entries_type_session ON log_entries (type, session_id)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_log_entries_type_session")
