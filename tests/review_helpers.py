"""Helpers for the review, search, pattern and inspection tests: a demo store with closed
sessions and an inspector account (read-only connection)."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from invigilator_app.domain.enums import Role, SessionState
from invigilator_app.services.access import open_station
from invigilator_app.services.admin.accounts import add_user
from invigilator_app.services.demo import DEMO_COORDINATOR, build_demo
from invigilator_app.services.station import Station
from invigilator_app.store.models import Session as SessionRow

INSPECTOR = "Dana Inspector"
INSPECTOR_PASSWORD = "quality assurer visit thursday"
TODAY = date(2026, 11, 23)


class FixedClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


_BUILT: list[tuple[Path, str]] = []


def demo_store(tmp_path: Path) -> tuple[Path, str]:
    """A copy of the demo store (sessions a week ago and today, 23 Nov 2026) with an
    inspector; built once per test run."""
    if not _BUILT:
        root = Path(tempfile.mkdtemp(prefix="review-demo-"))
        atexit.register(shutil.rmtree, root, True)
        data_dir, password = build_demo(root / "demo", today=TODAY)
        add_inspector(data_dir, password)
        _BUILT.append((data_dir, password))
    source, password = _BUILT[0]
    target = tmp_path / "demo"
    shutil.copytree(source, target)
    return target, password


def clock_at(day: date = TODAY, hour: int = 17) -> FixedClock:
    return FixedClock(datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC))


def coordinator(data_dir: Path, password: str, clock: FixedClock | None = None) -> Station:
    return open_station(data_dir, password, user=DEMO_COORDINATOR, clock=clock or clock_at())


def inspector(data_dir: Path, clock: FixedClock | None = None) -> Station:
    return open_station(data_dir, INSPECTOR_PASSWORD, user=INSPECTOR, clock=clock or clock_at())


def add_inspector(data_dir: Path, password: str) -> None:
    """An inspector account with its own key slot and certificate, for a long visit."""
    station = coordinator(data_dir, password)
    try:
        add_user(station, INSPECTOR, Role.INSPECTOR, INSPECTOR_PASSWORD, expires=date(2099, 12, 31))
    finally:
        station.close()


def close(station: Station, session_id: int, when: datetime | None = None) -> None:
    """Mark a session closed by its invigilator (as the invigilator's sign-off would)."""
    with station.write() as session:
        row = session.get(SessionRow, session_id)
        assert row is not None
        row.state = SessionState.CLOSED.value
        row.signed_off_by_id = row.invigilator_id
        row.signed_off_at = when or station.now()
        row.ended_at = row.ended_at or (when or station.now()) - timedelta(minutes=5)
