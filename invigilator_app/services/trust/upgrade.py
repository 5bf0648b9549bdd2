"""What an unlock does for a store made before per-person keys and rows in the chain.

The first coordinator who unlocks an upgraded store (migration 0005) makes the centre key
(wrapped into their own slot), gets their own signing key and certificate, and takes
every existing row into the audit chain: one ``baseline`` entry per row, hashed and
signed by them, with a ``rows_baseline`` note saying who, when and how many. Rows the
chain already holds are left alone, and the baseline happens once.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from invigilator_app.domain.enums import Role
from invigilator_app.security import certificates
from invigilator_app.services.trust import keys
from invigilator_app.store import audit, rowhash
from invigilator_app.store.database import Database
from invigilator_app.store.models import AuditEntry, Base, Centre, Meta, User

BASELINE_DUE = "rows_baseline_due"
BASELINE_DONE = "rows_baseline"
BASELINE = "baseline"
PAGE = 20_000


def audited_tables() -> list[object]:
    return [t for t in Base.metadata.sorted_tables if t.name != AuditEntry.__tablename__]


def after_unlock(
    db: Database, user_id: int, wrapped: dict[str, bytes], rewrap: keys.Rewrap, now: datetime
) -> keys.Unlocked:
    """The unlocking user's keys; on an upgraded store, a coordinator's first unlock also
    makes the centre key, their own key, and the rows' baseline."""
    with db.session() as session:
        user = session.get(User, user_id)
        assert user is not None
        unlocked = keys.unlock(session, user, wrapped)
        has_centre = keys.centre_certificate(session) is not None
        due = session.get(Meta, BASELINE_DUE) is not None
    if db.read_only or user.role != Role.COORDINATOR.value:
        return unlocked
    if not has_centre or (unlocked.signer is None and unlocked.centre_key is not None):
        unlocked = _make_keys(db, user_id, unlocked, now)
        rewrap(
            keys.extras(unlocked.signer.key if unlocked.signer else None, unlocked.centre_key, Role.COORDINATOR.value)
        )
    if due and unlocked.signer is not None:
        with db.session() as session, session.begin():
            session.connection(execution_options={"immediate": True})
            if session.get(Meta, BASELINE_DUE) is not None:
                user = session.get(User, user_id)
                assert user is not None
                take_in_rows(session, user.name, now, unlocked.signer)
                audit.append_pending(session, user.name, now, unlocked.signer, keys.store_id(session))
    return unlocked


def _make_keys(db: Database, user_id: int, unlocked: keys.Unlocked, now: datetime) -> keys.Unlocked:
    with db.session() as session, session.begin():
        session.connection(execution_options={"immediate": True})
        user = session.get(User, user_id)
        assert user is not None
        centre_key = unlocked.centre_key
        centre_cert = keys.centre_certificate(session)
        if centre_cert is None:
            centre = session.scalars(select(Centre)).first()
            centre_key, centre_cert = certificates.new_centre(
                centre.name if centre else "", centre.number if centre else "", keys.store_id(session), now
            )
            session.add(Meta(key=keys.CENTRE_CERT, value=certificates.pem(centre_cert)))
            session.flush()
        assert centre_key is not None
        issued = keys.issue_key(session, centre_key, user, now, reason="new key after the upgrade")
        signer = issued.signer()
        audit.append_pending(session, user.name, now, signer, keys.store_id(session))
    keys.write_centre_file(db.paths.data_dir, centre_cert)
    return keys.Unlocked(signer, centre_key)


def _untaken_rows(conn: Any) -> Iterator[tuple[str, str, str, str, str]]:
    for table in audited_tables():
        shape = rowhash.shape(table)
        known = {
            r[0]
            for r in conn.exec_driver_sql(
                "SELECT DISTINCT entity_id FROM audit_entries WHERE entity = ? AND version = ?",
                (shape.name, audit.ROWS_VERSION),
            )
        }
        key_at = [shape.columns.index(k) for k in shape.keys]
        columns = ", ".join(f'"{c}"' for c in shape.columns)
        # Pages by rowid, each read in full before the baseline's own inserts go on.
        after = -(2**63)
        while True:
            page = conn.exec_driver_sql(
                f'SELECT rowid, {columns} FROM "{shape.name}" WHERE rowid > ? ORDER BY rowid LIMIT {PAGE}', (after,)
            ).fetchall()
            if not page:
                break
            after = page[-1][0]
            for raw in page:
                values = rowhash.raw_values(table, raw[1:])  # type: ignore[arg-type]
                key = ",".join(str(values[i]) for i in key_at)
                if key in known or (shape.name == Meta.__tablename__ and key == BASELINE_DUE):
                    continue
                yield BASELINE, shape.name, key, rowhash.digest(shape.name, values), rowhash.field_hashes(values)


def take_in_rows(session: Session, actor: str, now: datetime, signer: audit.EntrySigner | None) -> int:
    """A signed ``baseline`` entry for every row the chain holds no word on yet."""
    count = audit.append_rows(session, actor, now, _untaken_rows(session.connection()), signer, keys.store_id(session))
    due = session.get(Meta, BASELINE_DUE)
    revision = due.value if due is not None else ""
    if due is not None:
        session.delete(due)
    session.add(
        Meta(
            key=BASELINE_DONE,
            value=f"{count} rows taken into the audit chain at the upgrade to "
            f"{revision} by {actor}, {now.isoformat(timespec='seconds')}",
        )
    )
    session.flush()
    return count
