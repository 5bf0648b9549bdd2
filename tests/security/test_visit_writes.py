"""The inspector's two writes at a visit (sign-off of an action, ticking the sampling plan)
go through a narrow transaction; used for anything else it refuses and writes nothing.
Written as the attack: code holding the inspector's unlocked station tries to use it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from invigilator_app.domain.errors import NotPermitted
from invigilator_app.services.quality import actions, visits
from invigilator_app.services.quality.access import visit_write
from invigilator_app.services.station import Station
from invigilator_app.store.models import AuditEntry, LogEntry, User
from invigilator_app.store.quality_models import VisitAction
from tests.review_helpers import INSPECTOR, coordinator, demo_store, inspector


def _attempt(station: Station, change: Callable[[Session], object]) -> None:
    with visit_write(station) as session:
        change(session)


def test_the_narrow_write_refuses_every_other_change(tmp_path: Path) -> None:
    data_dir, password = demo_store(tmp_path)
    station = coordinator(data_dir, password)
    try:
        visit = visits.record_visit(
            station,
            visits.VisitInput(
                "Pat Quinn", date(2026, 11, 24), date(2026, 11, 1), date(2026, 11, 23), inspector=INSPECTOR
            ),
        )
        action = actions.add_action(station, visit.id, "Label the spare PCs", date(2026, 12, 1))
    finally:
        station.close()
    station = inspector(data_dir)
    try:
        with station.read() as session:
            audit_before = session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1))
        with pytest.raises(NotPermitted, match="change note"):
            _attempt(station, lambda session: setattr(session.scalars(select(LogEntry)).first(), "note", "rewritten"))
        with pytest.raises(NotPermitted, match="change due_on"):
            _attempt(station, lambda session: setattr(session.get(VisitAction, action.id), "due_on", date(2027, 1, 1)))
        with pytest.raises(NotPermitted, match="add a User"):
            _attempt(
                station, lambda session: session.add(User(name="Mallory", role="coordinator", created_at=station.now()))
            )
        with pytest.raises(NotPermitted, match="delete"):
            _attempt(station, lambda session: session.delete(session.get(VisitAction, action.id)))
        with pytest.raises(NotPermitted, match="read-only"), station.write():
            pass
        with station.read() as session:
            assert session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1)) == audit_before
            assert session.get(VisitAction, action.id).due_on == date(2026, 12, 1)  # type: ignore[union-attr]
            assert session.scalars(select(User).where(User.name == "Mallory")).first() is None
    finally:
        station.close()
