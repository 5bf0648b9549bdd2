"""The centre's quality file: EQA visits with their sampling plan and actions (evidence
files kept in the store), complaints and appeals with the sessions they name; when the
awarding body was told of a malpractice report; remotely invigilated sessions (a flag on
the session, a location per candidate).

Revision ID: 0009
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "eqa_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("announced", sa.Boolean(), nullable=False),
        sa.Column("remote", sa.Boolean(), nullable=False),
        sa.Column("eqa_name", sa.String(length=120), nullable=False),
        sa.Column("planned_on", sa.Date(), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=False),
        sa.Column("period_to", sa.Date(), nullable=False),
        sa.Column("schedule_received_on", sa.Date(), nullable=True),
        sa.Column("sampling_plan_received_on", sa.Date(), nullable=True),
        sa.Column("inspector_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["inspector_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "visit_samples",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("candidate_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("looked_at", sa.DateTime(), nullable=True),
        sa.Column("looked_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["visit_id"], ["eqa_visits.id"]),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"]),
        sa.ForeignKeyConstraint(["candidate_id"], ["candidates.id"]),
        sa.ForeignKeyConstraint(["looked_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_visit_samples_visit_id", "visit_samples", ["visit_id"])
    op.create_table(
        "visit_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("evidence_reference", sa.Text(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("signed_off_at", sa.DateTime(), nullable=True),
        sa.Column("signed_off_by_id", sa.Integer(), nullable=True),
        sa.Column("signoff_reference", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["visit_id"], ["eqa_visits.id"]),
        sa.ForeignKeyConstraint(["signed_off_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_visit_actions_visit_id", "visit_actions", ["visit_id"])
    op.create_table(
        "action_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["action_id"], ["visit_actions.id"]),
        sa.ForeignKeyConstraint(["added_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_action_evidence_action_id", "action_evidence", ["action_id"])
    op.create_table(
        "complaints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("incident_on", sa.Date(), nullable=False),
        sa.Column("complainant", sa.String(length=200), nullable=False),
        sa.Column("about_person", sa.String(length=200), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=True),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["candidate_id"], ["candidates.id"]),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "complaint_sessions",
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"]),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"]),
        sa.PrimaryKeyConstraint("complaint_id", "session_id"),
    )
    # Plain ADD COLUMN (no table rebuild: other tables' foreign keys point at these).
    op.add_column("malpractice_reports", sa.Column("notified_on", sa.Date(), nullable=True))
    op.add_column(
        "malpractice_reports",
        sa.Column("notification_reference", sa.String(length=120), nullable=False, server_default=""),
    )
    op.add_column(
        "sessions", sa.Column("remote", sa.Boolean(create_constraint=False), nullable=False, server_default=sa.false())
    )
    op.add_column("allocations", sa.Column("location", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    for table, column in (
        ("allocations", "location"),
        ("sessions", "remote"),
        ("malpractice_reports", "notification_reference"),
        ("malpractice_reports", "notified_on"),
    ):
        op.drop_column(table, column)
    for table in (
        "complaint_sessions",
        "complaints",
        "action_evidence",
        "visit_actions",
        "visit_samples",
        "eqa_visits",
    ):
        op.drop_table(table)
