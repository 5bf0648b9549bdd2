"""The exam clock: real time, start and finish times (not a countdown).

Each candidate's planned finish is their start plus the assessment's planned duration,
stretched by their extra time (access arrangements), plus every clock pause that applied
to them (fire alarm evacuation, IT failure). Pauses are on the record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from invigilator_app.domain.enums import IncidentType
from invigilator_app.domain.errors import BadInput
from invigilator_app.domain.timezones import local
from invigilator_app.services.console.sessions import (
    get_session_row,
    hhmm,
    session_for_write,
)
from invigilator_app.services.station import Station
from invigilator_app.store.models import (
    Allocation,
    Centre,
    ClockPause,
    ClockPauseAllocation,
    LogEntry,
)


@dataclass(frozen=True)
class CandidateClock:
    workstation: str
    candidate_name: str
    registration_number: str
    state: str
    start: str
    planned_finish: str
    extra_time_percent: int
    paused_minutes: int
    paused_now: bool
    finish_at: datetime | None = None
    assessment_id: str = ""
    assessment_title: str = ""

    def time_up(self, now: datetime) -> bool:
        """Still working (started, not finished, not paused) and past the planned finish."""
        return self.state == "started" and not self.paused_now and self.finish_at is not None and now >= self.finish_at


@dataclass(frozen=True)
class SessionClock:
    session_start: str
    started_at: datetime | None
    candidates: list[CandidateClock]
    open_pause: bool
    centre: str = ""
    room: str = ""
    day: date | None = None

    def assessments_running(self) -> list[str]:
        """The assessments someone is sitting now, "MOT-4-A Light vehicle maintenance"."""
        running = {(c.assessment_id, c.assessment_title) for c in self.candidates if c.state == "started"}
        return [f"{code} {title}".strip() for code, title in sorted(running)]


def planned_finish(alloc: Allocation, paused: timedelta) -> datetime | None:
    minutes = alloc.assessment.planned_minutes
    if alloc.started_at is None or not minutes:
        return None
    allowed = minutes * (100 + alloc.candidate.extra_time_percent) / 100
    return alloc.started_at + timedelta(minutes=allowed) + paused


def _pauses(session: Session, session_id: int) -> tuple[list[ClockPause], dict[int, set[int]]]:
    pauses = list(
        session.scalars(select(ClockPause).where(ClockPause.session_id == session_id).order_by(ClockPause.id))
    )
    covered: dict[int, set[int]] = {}
    if pauses:
        for link in session.scalars(
            select(ClockPauseAllocation).where(ClockPauseAllocation.pause_id.in_([p.id for p in pauses]))
        ):
            covered.setdefault(link.pause_id, set()).add(link.allocation_id)
    return pauses, covered


def session_clock(station: Station, session_id: int) -> SessionClock:
    zone, now = station.zone, station.now()
    with station.read() as session:
        row = get_session_row(session, session_id)
        pauses, covered = _pauses(session, session_id)
        open_ids = {p.id for p in pauses if p.ended_at is None}
        totals = pauses_by_allocation(session, session_id, now)
        allocs = session.scalars(
            select(Allocation)
            .where(Allocation.session_id == session_id, Allocation.cancelled.is_(False))
            .options(joinedload(Allocation.candidate), joinedload(Allocation.assessment))
            .order_by(Allocation.workstation_label)
        ).all()
        rows = []
        for a in allocs:
            paused = totals.get(a.id, timedelta())
            finish = planned_finish(a, paused)
            rows.append(
                CandidateClock(
                    a.workstation_label,
                    a.candidate.full_name,
                    a.candidate.registration_number,
                    a.state,
                    hhmm(a.started_at, zone),
                    hhmm(finish, zone),
                    a.candidate.extra_time_percent,
                    int(paused.total_seconds() // 60),
                    any(a.id in covered.get(pid, set()) for pid in open_ids),
                    finish,
                    a.assessment.code,
                    a.assessment.title,
                )
            )
        centre = session.scalars(select(Centre)).first()
        return SessionClock(
            hhmm(row.start_utc, zone),
            row.started_at,
            rows,
            bool(open_ids),
            centre.name if centre else "",
            row.room.name,
            local(row.start_utc, zone).date(),
        )


def pause_clock(
    station: Station, session_id: int, registration_numbers: Sequence[str], reason: str, entry_id: int | None = None
) -> int:
    """Stop the clock for these candidates (e.g. everyone, for a fire alarm)."""
    if not registration_numbers:
        raise BadInput("Choose the candidates whose clock stops.")
    with station.write() as session:
        session_for_write(station, session, session_id)
        wanted = {r.upper() for r in registration_numbers}
        allocs = [
            a
            for a in session.scalars(
                select(Allocation).where(Allocation.session_id == session_id).options(joinedload(Allocation.candidate))
            )
            if a.candidate.registration_number.upper() in wanted and a.started_at is not None and a.finished_at is None
        ]
        if not allocs:
            raise BadInput("None of those candidates is working at the moment; there is no clock to stop.")
        pause = ClockPause(
            session_id=session_id,
            started_at=station.now(),
            reason=reason.strip(),
            entry_id=entry_id,
            by_id=station.actor.id,
        )
        session.add(pause)
        session.flush()
        for a in allocs:
            session.add(ClockPauseAllocation(pause_id=pause.id, allocation_id=a.id))
        return pause.id


def resume_clock(station: Station, session_id: int) -> int:
    """Restart every stopped clock in the session; returns how many pauses ended."""
    with station.write() as session:
        session_for_write(station, session, session_id)
        open_pauses = session.scalars(
            select(ClockPause).where(ClockPause.session_id == session_id, ClockPause.ended_at.is_(None))
        ).all()
        for p in open_pauses:
            p.ended_at = station.now()
        return len(open_pauses)


def pauses_by_allocation(session: Session, session_id: int, now: datetime) -> dict[int, timedelta]:
    """How long each allocation's clock has been stopped, in total."""
    pauses, covered = _pauses(session, session_id)
    totals: dict[int, timedelta] = {}
    for p in pauses:
        for allocation_id in covered.get(p.id, set()):
            totals[allocation_id] = totals.get(allocation_id, timedelta()) + ((p.ended_at or now) - p.started_at)
    return totals


@dataclass(frozen=True)
class PauseRecord:
    started_at: datetime
    ended_at: datetime | None
    reason: str
    candidates: list[str]

    def describe(self, zone: str) -> str:
        end = hhmm(self.ended_at, zone) if self.ended_at else "not resumed"
        return (
            f"Clock stopped {hhmm(self.started_at, zone)}–{end} for {len(self.candidates)} candidate(s); "
            f"their finish times moved on by the pause. {self.reason}"
        ).strip()


def pauses_for_record(session: Session, session_id: int) -> list[PauseRecord]:
    pauses, covered = _pauses(session, session_id)
    ids = sorted({a for links in covered.values() for a in links})
    names: dict[int, str] = {}
    if ids:
        for a in session.scalars(
            select(Allocation).where(Allocation.id.in_(ids)).options(joinedload(Allocation.candidate))
        ):
            names[a.id] = f"{a.candidate.full_name} ({a.candidate.registration_number})"
    return [
        PauseRecord(
            p.started_at, p.ended_at, p.reason, [names[i] for i in sorted(covered.get(p.id, set())) if i in names]
        )
        for p in pauses
    ]


REST_BREAK = "Supervised rest break"
REST_BREAK_STARTED = f"{REST_BREAK} started (access arrangement); the candidate's clock stops"


def rest_break_ended(minutes: int) -> str:
    return f"{REST_BREAK} ended after {minutes} min; the finish time moved on by the break"


def _place(session: Session, session_id: int, registration_number: str) -> Allocation | None:
    """The candidate's place in the session (not a cancelled one), or None."""
    return next(
        (
            a
            for a in session.scalars(
                select(Allocation)
                .where(Allocation.session_id == session_id, Allocation.cancelled.is_(False))
                .options(joinedload(Allocation.candidate))
            )
            if a.candidate.registration_number.upper() == registration_number.upper()
        ),
        None,
    )


def _working(session: Session, session_id: int, registration_number: str) -> Allocation:
    alloc = _place(session, session_id, registration_number)
    if alloc is None:
        raise BadInput(f"{registration_number} is not allocated to session {session_id}.")
    if alloc.started_at is None or alloc.finished_at is not None:
        raise BadInput(f"{alloc.candidate.full_name} is not working at the moment; there is no clock to stop.")
    return alloc


def _open_break(session: Session, alloc: Allocation) -> ClockPause | None:
    return session.scalars(
        select(ClockPause)
        .join(ClockPauseAllocation, ClockPauseAllocation.pause_id == ClockPause.id)
        .where(
            ClockPauseAllocation.allocation_id == alloc.id,
            ClockPause.ended_at.is_(None),
            ClockPause.reason == REST_BREAK,
        )
    ).first()


def start_rest_break(station: Station, session_id: int, registration_number: str) -> int:
    """A supervised rest break (access arrangement): the candidate's clock stops until
    ``end_rest_break``; the start is logged. Refused for a candidate without the arrangement."""
    with station.write() as session:
        session_for_write(station, session, session_id)
        alloc = _working(session, session_id, registration_number)
        if not alloc.candidate.rest_breaks:
            raise BadInput(
                f"{alloc.candidate.full_name} has no supervised rest breaks among their access arrangements."
            )
        if _open_break(session, alloc) is not None:
            raise BadInput(f"{alloc.candidate.full_name} is already on a rest break.")
        now = station.now()
        entry = LogEntry(
            session_id=session_id,
            type=IncidentType.OTHER.value,
            at=now,
            note=REST_BREAK_STARTED,
            recorded_by_id=station.actor.id,
            recorded_at=now,
        )
        entry.candidates.append(alloc.candidate)
        session.add(entry)
        session.flush()
        pause = ClockPause(
            session_id=session_id, started_at=now, reason=REST_BREAK, entry_id=entry.id, by_id=station.actor.id
        )
        session.add(pause)
        session.flush()
        session.add(ClockPauseAllocation(pause_id=pause.id, allocation_id=alloc.id))
        return pause.id


def end_rest_break(station: Station, session_id: int, registration_number: str) -> None:
    """The rest break ends: the candidate's clock runs again, their finish moves on by the
    break, and the end is logged."""
    with station.write() as session:
        session_for_write(station, session, session_id)
        alloc = _working(session, session_id, registration_number)
        pause = _open_break(session, alloc)
        if pause is None:
            raise BadInput(f"{alloc.candidate.full_name} is not on a rest break.")
        now = station.now()
        pause.ended_at = now
        minutes = int((now - pause.started_at).total_seconds() // 60)
        entry = LogEntry(
            session_id=session_id,
            type=IncidentType.OTHER.value,
            at=now,
            note=rest_break_ended(minutes),
            recorded_by_id=station.actor.id,
            recorded_at=now,
        )
        entry.candidates.append(alloc.candidate)
        session.add(entry)


def on_rest_break(station: Station, session_id: int, registration_number: str) -> bool:
    """Whether the candidate is on a supervised rest break now (their clock stopped)."""
    with station.read() as session:
        alloc = _place(session, session_id, registration_number)
        return alloc is not None and _open_break(session, alloc) is not None
