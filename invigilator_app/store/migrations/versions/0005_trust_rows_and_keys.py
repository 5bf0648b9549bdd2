"""Rows in the audit chain and per-person keys: audit entries carry a version, per-field
hashes, a signature and the signer's certificate; user certificates issued by the centre
key; the station's private signing keys leave the store.

The existing rows are taken into the chain (hashed and signed) by the first coordinator
who opens the store after this upgrade (services.trust.baseline), recorded as such.

Revision ID: 0005
Revises: 0006b (after the quality file and the paper-log register; first written after 0004)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0006b"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_entries") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("fields", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("signature", sa.Text(), nullable=True))
        batch.add_column(sa.Column("certificate_id", sa.Integer(), nullable=True))
    op.create_index("ix_audit_entries_entity", "audit_entries", ["entity", "entity_id"])
    with op.batch_alter_table("audit_checkpoints") as batch:
        batch.add_column(sa.Column("certificate_id", sa.Integer(), nullable=True))
    op.create_table(
        "user_certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("certificate_pem", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_user_certificates_user_id", "user_certificates", ["user_id"])
    # Private keys readable with the data key alone go: the station's PDF key and audit key.
    # (Their public halves stay, for records and checkpoints signed before this upgrade.)
    op.execute("DELETE FROM store_meta WHERE key IN ('station_key_pem', 'audit_signing_key')")
    # A store with history: its rows are taken into the chain at the next coordinator's unlock.
    op.execute(
        "INSERT OR REPLACE INTO store_meta (key, value) SELECT 'rows_baseline_due', '0005' "
        "WHERE EXISTS (SELECT 1 FROM audit_entries)"
    )


def downgrade() -> None:
    op.drop_index("ix_user_certificates_user_id", "user_certificates")
    op.drop_table("user_certificates")
    with op.batch_alter_table("audit_checkpoints") as batch:
        batch.drop_column("certificate_id")
    op.drop_index("ix_audit_entries_entity", "audit_entries")
    with op.batch_alter_table("audit_entries") as batch:
        batch.drop_column("certificate_id")
        batch.drop_column("signature")
        batch.drop_column("fields")
        batch.drop_column("version")
