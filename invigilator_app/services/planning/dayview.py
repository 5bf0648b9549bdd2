"""One day across every room: its sessions on a timeline, and how many assessments each
candidate has that day (CAND-3 allows two)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from invigilator_app.domain.timefmt import time_text
from invigilator_app.domain.timezones import local, to_utc
from invigilator_app.services.station import Station
from invigilator_app.store.models import Allocation, Assessment
from invigilator_app.store.models import Session as SessionRow

DEFAULT_MINUTES = 60
"""A session whose assessments have no planned duration is drawn this long."""
DAILY_LIMIT = 2


@dataclass(frozen=True)
class DaySession:
    id: int
    room: str
    start: time
    end: time
    """Planned: the start plus the longest planned assessment (with extra time)."""
    invigilator: str
    state: str
    candidates: int
    assessments: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DayCandidate:
    registration_number: str
    name: str
    count: int
    sittings: list[str] = field(default_factory=list)
    """e.g. "09:30 IT Suite: MOT4-ONL-02"."""

    @property
    def over_limit(self) -> bool:
        return self.count > DAILY_LIMIT


@dataclass(frozen=True)
class DayView:
    day: date
    rooms: list[str]
    sessions: list[DaySession]
    candidates: list[DayCandidate]


def day_view(station: Station, day: date) -> DayView:
    """Every session starting on ``day`` (centre time) and every candidate in them."""
    zone = station.zone
    begin, end = to_utc(day, time(0, 0), zone), to_utc(day + timedelta(days=1), time(0, 0), zone)
    with station.read() as session:
        rows = session.scalars(
            select(SessionRow)
            .where(SessionRow.start_utc >= begin, SessionRow.start_utc < end)
            .options(joinedload(SessionRow.room), joinedload(SessionRow.invigilator))
            .order_by(SessionRow.start_utc, SessionRow.id)
        ).all()
        allocs = session.scalars(
            select(Allocation)
            .where(Allocation.session_id.in_([r.id for r in rows]), Allocation.cancelled.is_(False))
            .options(
                joinedload(Allocation.candidate), joinedload(Allocation.assessment).joinedload(Assessment.qualification)
            )
            .order_by(Allocation.planned_start_utc, Allocation.id)
        ).all()
        by_session: dict[int, list[Allocation]] = {}
        for a in allocs:
            by_session.setdefault(a.session_id, []).append(a)
        sessions = []
        for r in rows:
            mine = by_session.get(r.id, [])
            minutes = max(
                (
                    (a.assessment.planned_minutes or DEFAULT_MINUTES) * (100 + a.candidate.extra_time_percent) // 100
                    for a in mine
                ),
                default=DEFAULT_MINUTES,
            )
            start = local(r.start_utc, zone)
            finish = start + timedelta(minutes=minutes)
            end_time = finish.time() if finish.date() == start.date() else time(23, 59)
            sessions.append(
                DaySession(
                    r.id,
                    r.room.name,
                    start.time(),
                    end_time,
                    r.invigilator.name,
                    r.state,
                    len(mine),
                    sorted({a.assessment.code for a in mine}),
                )
            )
        rooms_of = {r.id: r.room.name for r in rows}
        people: dict[str, tuple[str, list[str]]] = {}
        for a in allocs:
            c = a.candidate
            entry = people.setdefault(c.registration_number, (c.full_name, []))
            entry[1].append(f"{time_text(a.planned_start_utc, zone)} {rooms_of[a.session_id]}: {a.assessment.code}")
        candidates = sorted(
            (DayCandidate(reg, name, len(sittings), sittings) for reg, (name, sittings) in people.items()),
            key=lambda c: (-c.count, c.name.casefold(), c.registration_number),
        )
        return DayView(day, sorted({r.room.name for r in rows}), sessions, candidates)
