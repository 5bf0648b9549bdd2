"""Record fidelity, second part: who typed in a paper log (entries, identity checks,
checklist answers, pauses, the sign-off) beside who wrote it on paper; the register's
arrival time and transfers (to which session, why); access arrangements as data (supervised
rest breaks, reader, scribe, separate room).

Revision ID: 0006b
Revises: 0009
"""

from __future__ import annotations

from alembic import op

revision = "0006b"
down_revision = "0009"
branch_labels = None
depends_on = None

_COLUMNS = (
    ("log_entries", "typed_by_id", "INTEGER REFERENCES users(id)"),
    ("identity_checks", "typed_by_id", "INTEGER REFERENCES users(id)"),
    ("checklist_answers", "typed_by_id", "INTEGER REFERENCES users(id)"),
    ("clock_pauses", "typed_by_id", "INTEGER REFERENCES users(id)"),
    ("sessions", "sign_off_typed_by_id", "INTEGER REFERENCES users(id)"),
    ("allocations", "arrived_at", "DATETIME"),
    # no foreign key: joins between allocations and sessions stay unambiguous
    ("allocations", "transferred_to_session_id", "INTEGER"),
    ("allocations", "transfer_reason", "TEXT NOT NULL DEFAULT ''"),
    ("candidates", "rest_breaks", "BOOLEAN NOT NULL DEFAULT 0"),
    ("candidates", "reader", "TEXT NOT NULL DEFAULT ''"),
    ("candidates", "scribe", "TEXT NOT NULL DEFAULT ''"),
    ("candidates", "separate_room", "TEXT NOT NULL DEFAULT ''"),
)


def upgrade() -> None:
    for table, column, kind in _COLUMNS:
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")


def downgrade() -> None:
    for table, column, _ in reversed(_COLUMNS):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
