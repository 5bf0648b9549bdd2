"""The retention purge passes the closed-record guard by an explicit permission naming the
sessions it may delete: nothing else (another closed session, or a change) gets through."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from invigilator_app.domain.errors import NotPermitted
from invigilator_app.services.console.sessions import list_sessions
from invigilator_app.services.review import amendments
from invigilator_app.services.station import Station
from invigilator_app.store.models import LogEntry
from tests.review_helpers import close, coordinator, demo_store


def _delete_an_entry(station: Station, of_session: int, permitted: list[int] | None) -> None:
    with station.write() as session:
        entry = session.scalars(select(LogEntry).where(LogEntry.session_id == of_session)).first()
        assert entry is not None
        if permitted is None:
            session.delete(entry)
            return
        with amendments.permit_purge(session, permitted):
            session.delete(entry)


def _change_an_entry(station: Station, of_session: int, permitted: list[int]) -> None:
    with station.write() as session, amendments.permit_purge(session, permitted):
        entry = session.scalars(select(LogEntry).where(LogEntry.session_id == of_session)).first()
        assert entry is not None
        entry.note = "rewritten"


def test_the_permission_covers_only_the_named_sessions_and_only_deletions(tmp_path: Path) -> None:
    station = coordinator(*demo_store(tmp_path))
    try:
        first, second = [s.id for s in list_sessions(station)][:2]
        close(station, first)
        close(station, second)
        with pytest.raises(NotPermitted, match=f"Session {second} is closed"):
            _delete_an_entry(station, second, permitted=[first])
        with pytest.raises(NotPermitted, match="change note"):
            _change_an_entry(station, first, permitted=[first])
        _delete_an_entry(station, first, permitted=[first])
        with pytest.raises(NotPermitted, match="closed"):
            _delete_an_entry(station, second, permitted=None)
    finally:
        station.close()
