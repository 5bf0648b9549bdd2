"""Proving the store unaltered: every page through SQLCipher's HMAC check, and the audit chain."""

from __future__ import annotations

from sqlalchemy import select, text

from invigilator_app.domain.enums import Role
from invigilator_app.domain.errors import StoreDamaged, VerificationFailed
from invigilator_app.services.station import Station
from invigilator_app.store import audit
from invigilator_app.store.models import AuditEntry


def verify_store(station: Station) -> str:
    """A one-paragraph report, or VerificationFailed (exit 4) naming the first problem."""
    station.require(Role.COORDINATOR, Role.INSPECTOR, Role.INVIGILATOR, action="verify the store")
    with station.db.engine.connect() as conn:
        problems = [row[0] for row in conn.execute(text("PRAGMA cipher_integrity_check"))]
        if not problems:
            quick = [row[0] for row in conn.execute(text("PRAGMA quick_check"))]
    if problems:
        raise StoreDamaged(
            f"The store {station.db.paths.db} failed the page check: {problems[0]}"
            + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else "")
        )
    if quick != ["ok"]:
        raise StoreDamaged(f"The store {station.db.paths.db} is inconsistent: {quick[0]}")
    with station.read() as session:
        report = audit.walk_chain(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    if not report.ok:
        raise VerificationFailed(f"The audit trail is broken: {report.problem}.")
    return (
        f"OK: every page of {station.db.paths.db} passed SQLCipher's integrity check; "
        f"the audit trail holds {report.entries} entries, chain head {report.head}."
    )
