"""Record fidelity: declaration changes (INV-2/INV-3) with their reason; who typed in a
paper log (entries, identity checks, checklist answers, pauses, sign-off); the register's
arrival time and transfers.

Revision ID: 0006
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None


_COLUMNS = (
    ("log_entries", "typed_by_id", "users"),
    ("identity_checks", "typed_by_id", "users"),
    ("checklist_answers", "typed_by_id", "users"),
    ("clock_pauses", "typed_by_id", "users"),
    ("sessions", "sign_off_typed_by_id", "users"),
    ("allocations", "arrived_at", None),
    ("allocations", "transferred_to_session_id", ""),
    ("allocations", "transfer_reason", None),
)


def upgrade() -> None:
    op.create_table(
        "declaration_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=20), nullable=False),
        sa.Column("original", sa.Boolean(), nullable=False),
        sa.Column("changed", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False, server_default=""),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["confirmed_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_declaration_changes_user_id", "declaration_changes", ["user_id"])
    for table, column, target in _COLUMNS:
        kind = "DATETIME" if target is None and column.endswith("_at") else ("TEXT NOT NULL DEFAULT ''" if target is None else "INTEGER")
        # target "" is a plain integer column (no foreign key)
        reference = f" REFERENCES {target}(id)" if target else ""
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}{reference}")


def downgrade() -> None:
    for table, column, _ in reversed(_COLUMNS):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    op.drop_index("ix_declaration_changes_user_id", table_name="declaration_changes")
    op.drop_table("declaration_changes")
