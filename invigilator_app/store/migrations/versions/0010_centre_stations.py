"""One centre, many rooms: the hub's enrolled stations, the sessions out at them, and the
bundles that travelled. New tables only: no existing row changes, so the rows already in
the audit chain keep their hashes.

Revision ID: 0010
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.String(length=64), nullable=False),
        sa.Column("certificate_pem", sa.Text(), nullable=False),
        sa.Column("recipient", sa.Text(), nullable=False),
        sa.Column("enrolled_at", sa.DateTime(), nullable=False),
        sa.Column("enrolled_by_id", sa.Integer(), nullable=True),
        sa.Column("last_in_seq", sa.Integer(), nullable=False),
        sa.Column("last_in_at", sa.DateTime(), nullable=True),
        sa.Column("last_out_seq", sa.Integer(), nullable=False),
        sa.Column("last_out_at", sa.DateTime(), nullable=True),
        sa.Column("chain_entries", sa.Integer(), nullable=False),
        sa.Column("chain_head", sa.String(length=64), nullable=False),
        sa.Column("records_as_of", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["enrolled_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
        sa.UniqueConstraint("number"),
        sa.UniqueConstraint("store_id"),
    )
    op.create_table(
        "station_sessions",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("held", sa.Boolean(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("returned_at", sa.DateTime(), nullable=True),
        sa.Column("cancel_sent", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"]),
        sa.ForeignKeyConstraint(["station_id"], ["stations.id"]),
        sa.PrimaryKeyConstraint("session_id"),
    )
    op.create_index("ix_station_sessions_station_id", "station_sessions", ["station_id"])
    op.create_table(
        "bundle_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("peer", sa.String(length=60), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("segment", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("bundle_log")
    op.drop_index("ix_station_sessions_station_id", table_name="station_sessions")
    op.drop_table("station_sessions")
    op.drop_table("stations")
