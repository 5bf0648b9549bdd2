"""Index registration numbers case-insensitively, so a candidate is found by index when
an entry names them (the look-ups compare upper(registration_number)).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX IF NOT EXISTS ix_candidates_registration_upper ON candidates (upper(registration_number))")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_candidates_registration_upper")
