"""Writes of the quality file, including the two an inspector makes at a visit.

An inspector's connection is query-only. At a visit the EQA still signs off actions and
ticks off the sampling plan's items as they look at them; those two writes go through
``visit_write``: one short transaction on a separate connection to the same encrypted
store, whose every flush is checked to change only the sign-off columns of an action or
the "looked at" columns of a sample — any other insert, change or deletion is refused and
nothing is written. The changes are chained in the audit trail like every write."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from invigilator_app.domain.errors import NotPermitted
from invigilator_app.services.station import Station
from invigilator_app.store.database import Database
from invigilator_app.store.engine import make_engine
from invigilator_app.store.models import AuditEntry
from invigilator_app.store.quality_models import VisitAction, VisitSample

LIMIT_KEY = "visit_write_limit"
INSPECTOR_COLUMNS: dict[type, frozenset[str]] = {
    VisitAction: frozenset({"signed_off_at", "signed_off_by_id", "signoff_reference"}),
    VisitSample: frozenset({"looked_at", "looked_by_id"}),
}


@event.listens_for(Session, "before_flush")
def _only_visit_marks(session: Session, _context: Any, _instances: Any) -> None:
    limit: dict[type, frozenset[str]] | None = session.info.get(LIMIT_KEY)
    if limit is None:
        return
    for obj in session.new:
        if not isinstance(obj, AuditEntry):
            raise NotPermitted(f"An inspector may not add a {type(obj).__name__} at a visit.")
    for obj in session.deleted:
        raise NotPermitted(f"An inspector may not delete a {type(obj).__name__}.")
    for obj in session.dirty:
        state = inspect(obj)
        changed = {a.key for a in state.mapper.column_attrs if state.attrs[a.key].history.has_changes()}
        if changed - limit.get(type(obj), frozenset()):
            raise NotPermitted(f"An inspector may not change {', '.join(sorted(changed))} of a {type(obj).__name__}.")


@contextmanager
def visit_write(station: Station) -> Iterator[Session]:
    """``station.write()``; for a read-only (inspector's) station, the narrow write above."""
    if not station.db.read_only:
        with station.write() as session:
            yield session
        return
    if station.locked:
        raise NotPermitted("The station is locked: unlock it again with your password.")
    key = bytearray(station.db.key)
    db = Database(station.db.paths, make_engine(station.db.paths.db, key), False, key)
    try:
        writer = Station(db, station.actor, station.clock, station.signer)
        with writer.write() as session:
            session.info[LIMIT_KEY] = INSPECTOR_COLUMNS
            yield session
            session.flush()
    finally:
        db.close()
