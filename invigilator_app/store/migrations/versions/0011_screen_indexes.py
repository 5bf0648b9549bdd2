"""Index what is still outstanding, so the follow-up list stays instant on years of
records: log entries whose party is not yet told, and started attempts without a result.
Both are partial indexes: they hold only the outstanding rows, a handful however long
the store's history.

Revision ID: 0011
Revises: 0010 (after the centre's stations; first written after 0005)
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_log_entries_to_notify ON log_entries (at) "
        "WHERE notify_party != '' AND notified_at IS NULL"
    )
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_allocations_no_result ON allocations (started_at) "
        "WHERE started_at IS NOT NULL AND result IS NULL"
    )


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_allocations_no_result")
    op.execute("DROP INDEX IF EXISTS ix_log_entries_to_notify")
